// Kits (Odoo mrp, a phantom bill of materials) have no quants: Odoo derives their quantities from their
// components. This is that derivation, step by step as Odoo's own code does it
// (addons/mrp/models/mrp_bom.py `_bom_find` and `explode`, addons/mrp/models/product.py
// `_compute_quantities_dict`, on 17.0, 18.0 and 19.0), so the figure LastUnit publishes for a kit is the
// `free_qty` Odoo shows for it:
//
// 1. Which BoM: the first active phantom BoM, in the order `sequence, product_id, id`, whose product_id is
//    the product or whose product_id is empty and product_tmpl_id is the product's template. Services are
//    never kits. A component that has a kit BoM itself is exploded with the same rule, restricted to BoMs
//    of no company or of the top BoM's company, and to its operation type when it has one.
// 2. Explode for one BoM batch (the BoM's product_qty kits): a line needs current_qty * line.product_qty
//    in its unit; a sub-kit's line quantity is converted to the sub-BoM's unit per sub-BoM batch (rounded
//    up to that unit's rounding before 19) and its lines follow; a leaf's quantity is rounded up to its
//    unit's rounding. Lines restricted to other variants ("Apply on Variants") are skipped.
// 3. Group the leaves by component; non-storable components and zero quantities do not count. Per
//    component: qty_per_kit = its lines' quantities converted to the component's unit, ratio = its figure
//    (rounded to its unit) / qty_per_kit (18 rounds the ratio half-up, 19 down, 17 not at all).
// 4. Kit figure = floor(min(ratios) * BoM product_qty) (18 and 19 round the product first, 18 to the
//    rounding of the last counted component); 0 when no component counts.
//
// The same function gives qty_available (from the components' on-hand) and free_qty (from their free
// quantity). Everything here is pure: the engine feeds it the components' stored stock.
import { floatIsZero, floatRound } from '../odoo/float-round'

/** One unit of measure as Odoo stores it. */
export interface KitUom {
  id: number
  /**
   * 17 and 18: `factor`, how many of this unit make one reference unit (a dozen: 1/12).
   * 19: `factor`, how many reference units this unit holds (a dozen: 12).
   */
  factor: number
  /** `rounding` (19: the "Product Unit" precision every unit shares). */
  rounding: number
  /** `category_id` (17, 18); null on 19, which converts between any units. */
  categoryId: number | null
}

export interface KitProduct {
  id: number
  templateId: number
  /** Odoo type 'service': never a kit, never counted. */
  service: boolean
  /** 17: type 'product'; 18 and later: is_storable. Only storable components count. */
  storable: boolean
  uomId: number | null
  /** product_template_attribute_value_ids: the variant's attribute values. */
  attributeValueIds: number[]
  name: string
  defaultCode: string | null
  barcode: string | null
  active: boolean
  companyId: number | null
}

export interface KitBomLine {
  id: number
  productId: number
  quantity: number
  uomId: number | null
  /** bom_product_template_attribute_value_ids: the line applies only to variants with these values. */
  attributeValueIds: number[]
}

/** An active phantom BoM with its lines in Odoo's line order (sequence, id). */
export interface KitBom {
  id: number
  templateId: number
  /** product_id: a variant BoM; null for a BoM of every variant of the template. */
  productId: number | null
  /** product_qty: how many kits one batch makes. */
  quantity: number
  uomId: number | null
  companyId: number | null
  pickingTypeId: number | null
  lines: KitBomLine[]
}

/** What Odoo holds about kits, read in one go (only where mrp is installed). */
export interface KitSnapshot {
  /** Odoo's major version: the arithmetic differs slightly between 17, 18 and 19. */
  major: number
  /** Active phantom BoMs in `_bom_find`'s order: sequence, product_id, id (as Odoo sorted them). */
  boms: KitBom[]
  /** Every product a BoM or a BoM line names, and every variant of a BoM's template. */
  products: KitProduct[]
  uoms: KitUom[]
  /** product.template.attribute.value named by BoM lines: its attribute, and whether it makes no variant. */
  attributeValues: Array<{ id: number; attributeId: number; noVariant: boolean }>
}

/** A counted component of a kit. */
export interface KitComponent {
  productId: number
  /** Odoo's qty_per_kit: units (in the component's unit) one BoM batch needs. */
  perBatch: number
  /** The component's unit rounding (its figure and its ratio are rounded with it). */
  rounding: number
  /** The component is itself a kit Odoo did not explode here (another company's BoM): its figure is its kit figure. */
  kit: boolean
}

export interface KitDefinition {
  productId: number
  bomId: number
  /** The BoM's product_qty: kits per batch. */
  batch: number
  /** Counted components, in the order Odoo meets them. */
  components: KitComponent[]
  /** Leaves Odoo does not count: not storable, or a zero quantity. */
  uncounted: number[]
  /** Sub-kits exploded on the way (their own stock never counts). */
  subKits: number[]
}

const MAX_DEPTH = 32
const MAX_STEPS = 20_000

type RoundingRules = 'v17' | 'v18' | 'v19'
const rulesOf = (major: number): RoundingRules => (major >= 19 ? 'v19' : major >= 18 ? 'v18' : 'v17')

/** uom._compute_quantity(qty, to, round, 'UP', raise_if_failure=False), per version. */
function convert(
  rules: RoundingRules,
  from: KitUom | undefined,
  to: KitUom | undefined,
  qty: number,
  round: boolean,
): number {
  if (!from || qty === 0) return qty
  let amount: number
  if (!to || from.id === to.id) amount = qty
  else if (rules === 'v19') amount = (qty * from.factor) / to.factor
  else if (from.categoryId !== to.categoryId) return qty
  else amount = (qty / from.factor) * to.factor
  if (to && round) amount = floatRound(amount, to.rounding, 'UP')
  return amount
}

export class KitResolver {
  private readonly rules: RoundingRules
  private readonly products = new Map<number, KitProduct>()
  private readonly uoms = new Map<number, KitUom>()
  private readonly values = new Map<number, { attributeId: number; noVariant: boolean }>()
  /** Rank of each BoM in Odoo's order. */
  private readonly rank = new Map<number, number>()
  private readonly byProduct = new Map<number, KitBom[]>()
  private readonly byTemplate = new Map<number, KitBom[]>()

  constructor(private readonly snap: KitSnapshot) {
    this.rules = rulesOf(snap.major)
    for (const p of snap.products) this.products.set(p.id, p)
    for (const u of snap.uoms) this.uoms.set(u.id, u)
    for (const v of snap.attributeValues) this.values.set(v.id, v)
    snap.boms.forEach((b, i) => {
      this.rank.set(b.id, i)
      const map = b.productId !== null ? this.byProduct : this.byTemplate
      const key = b.productId ?? b.templateId
      let list = map.get(key)
      if (!list) map.set(key, (list = []))
      list.push(b)
    })
  }

  product(id: number): KitProduct | undefined {
    return this.products.get(id)
  }

  /** `_bom_find(product, company_id, picking_type, bom_type='phantom')`: the kit BoM Odoo picks, if any. */
  bomFor(
    productId: number,
    companyId: number | null = null,
    pickingTypeId: number | null = null,
  ): KitBom | null {
    const p = this.products.get(productId)
    if (!p || p.service) return null
    const candidates = [
      ...(this.byProduct.get(productId) ?? []),
      ...(this.byTemplate.get(p.templateId) ?? []),
    ]
      .filter((b) => companyId === null || b.companyId === null || b.companyId === companyId)
      .filter((b) => pickingTypeId === null || b.pickingTypeId === null || b.pickingTypeId === pickingTypeId)
    let best: KitBom | null = null
    for (const b of candidates) if (!best || this.rank.get(b.id)! < this.rank.get(best.id)!) best = b
    return best
  }

  /** `_skip_bom_line(product)`: the line names variant values the product does not have. */
  private skipLine(line: KitBomLine, productId: number): boolean {
    if (line.attributeValueIds.length === 0) return false
    const own = new Set(this.products.get(productId)?.attributeValueIds ?? [])
    const attrs = new Set<number>()
    let matched = 0
    for (const id of line.attributeValueIds) {
      const v = this.values.get(id)
      // Unknown values are treated as values the product lacks (conservative: the line is skipped).
      if (!v || v.noVariant) return true
      attrs.add(v.attributeId)
      if (own.has(id)) matched++
    }
    return matched !== attrs.size
  }

  /** The kit's definition: Odoo's explosion for one batch, grouped by component. Null for a non-kit. */
  resolve(productId: number): KitDefinition | null {
    const bom = this.bomFor(productId)
    if (!bom) return null
    const rules = this.rules
    // Leaves in the order `explode` lists them: 17 and 18 append a sub-kit's lines at the end of the
    // queue, 19 puts them first.
    const leaves: Array<{ line: KitBomLine; qty: number }> = []
    const subKits: number[] = []
    type Item = { line: KitBomLine; product: number; qty: number; depth: number }
    const top: Item[] = bom.lines.map((line) => ({ line, product: productId, qty: 1, depth: 0 }))
    // A queue (17, 18: sub-kit lines go last) or a stack (19: they go first), both without copying.
    const fifo = rules !== 'v19'
    const queue: Item[] = fifo ? top : [...top].reverse()
    let head = 0
    let steps = 0
    while (fifo ? head < queue.length : queue.length > 0) {
      // Odoo refuses BoM cycles; should one get through, the kit is not resolved (it then publishes as a
      // product without stock) rather than exploded for ever.
      if (++steps > MAX_STEPS) return null
      const cur = fifo ? queue[head++]! : queue.pop()!
      if (this.skipLine(cur.line, cur.product)) continue
      const lineQty = cur.qty * cur.line.quantity
      const sub =
        cur.depth < MAX_DEPTH ? this.bomFor(cur.line.productId, bom.companyId, bom.pickingTypeId) : null
      const lineUom = cur.line.uomId === null ? undefined : this.uoms.get(cur.line.uomId)
      if (sub) {
        const subUom = sub.uomId === null ? undefined : this.uoms.get(sub.uomId)
        const converted = convert(rules, lineUom, subUom, lineQty / sub.quantity, rules !== 'v19')
        if (!subKits.includes(cur.line.productId)) subKits.push(cur.line.productId)
        const next = sub.lines.map((line) => ({
          line,
          product: cur.line.productId,
          qty: converted,
          depth: cur.depth + 1,
        }))
        if (fifo) queue.push(...next)
        else queue.push(...next.reverse())
      } else {
        const qty = lineUom ? floatRound(lineQty, lineUom.rounding, 'UP') : lineQty
        leaves.push({ line: cur.line, qty })
      }
    }
    // Group by component, in the order components first appear.
    const grouped = new Map<number, Array<{ line: KitBomLine; qty: number }>>()
    for (const l of leaves) {
      let g = grouped.get(l.line.productId)
      if (!g) grouped.set(l.line.productId, (g = []))
      g.push(l)
    }
    const components: KitComponent[] = []
    const uncounted: number[] = []
    for (const [componentId, lines] of grouped) {
      const comp = this.products.get(componentId)
      const compUom = comp?.uomId == null ? undefined : this.uoms.get(comp.uomId)
      let perBatch = 0
      for (const { line, qty } of lines) {
        const lineUom = line.uomId === null ? undefined : this.uoms.get(line.uomId)
        if (!comp?.storable || floatIsZero(qty, lineUom?.rounding ?? 0.01)) continue
        perBatch += convert(rules, lineUom, compUom, qty / 1, false)
      }
      if (!perBatch) {
        uncounted.push(componentId)
        continue
      }
      components.push({
        productId: componentId,
        perBatch,
        rounding: compUom?.rounding ?? 0.01,
        kit: this.bomFor(componentId) !== null,
      })
    }
    return { productId, bomId: bom.id, batch: bom.quantity, components, uncounted, subKits }
  }

  /** Every product Odoo treats as a kit, with its definition. */
  all(): Map<number, KitDefinition> {
    const out = new Map<number, KitDefinition>()
    const candidates = new Set<number>()
    for (const b of this.snap.boms) if (b.productId !== null) candidates.add(b.productId)
    const templates = new Set(this.snap.boms.filter((b) => b.productId === null).map((b) => b.templateId))
    for (const p of this.snap.products) if (templates.has(p.templateId)) candidates.add(p.id)
    for (const id of [...candidates].sort((a, b) => a - b)) {
      const d = this.resolve(id)
      if (d) out.set(id, d)
    }
    return out
  }
}

/** Resolves every kit of a snapshot. */
export const resolveKits = (snap: KitSnapshot): Map<number, KitDefinition> => new KitResolver(snap).all()

export interface KitFigure {
  /** The kit's figure as Odoo computes it (whole kits; may be negative when a component is). */
  quantity: number
  /** The component with the smallest ratio (null when none counts). */
  limiting: { productId: number; figure: number; perKit: number } | null
}

/**
 * The kit's figure from its components' figures (on hand for qty_available, on hand - reserved for
 * free_qty). `figure` answers a component's figure, or null when it is not known (never read): then the
 * kit's is not known either. Components that are kits themselves are computed through `figure` too.
 */
export function kitFigure(
  def: KitDefinition,
  figure: (productId: number) => number | null,
  major: number,
): KitFigure | null {
  const rules = rulesOf(major)
  let min = Infinity
  let limiting: KitFigure['limiting'] = null
  let lastRounding = 0.01
  for (const c of def.components) {
    const raw = figure(c.productId)
    if (raw === null || !Number.isFinite(raw)) return null
    const value = floatRound(raw, c.rounding)
    let ratio = value / c.perBatch
    if (rules === 'v18') ratio = floatRound(ratio, c.rounding)
    else if (rules === 'v19') ratio = floatRound(ratio, c.rounding, 'DOWN')
    lastRounding = c.rounding
    if (ratio < min) {
      min = ratio
      limiting = { productId: c.productId, figure: value, perKit: c.perBatch / def.batch }
    }
  }
  if (limiting === null) return { quantity: 0, limiting: null }
  let q = min * def.batch
  if (rules !== 'v17') q = floatRound(q, lastRounding)
  return { quantity: Math.floor(q), limiting }
}

/** Component units one kit takes, per counted component (for pending units of kit orders). */
export const unitsPerKit = (def: KitDefinition): Map<number, number> =>
  new Map(def.components.map((c) => [c.productId, c.perBatch / def.batch]))

/**
 * Pending units with those of kits spread over their counted components (nested kits Odoo did not explode
 * are spread further). Kits keep their own entry: the caller derives the kit's figure from its components.
 */
export function spreadPending(
  pending: ReadonlyMap<number, number>,
  kits: ReadonlyMap<number, KitDefinition>,
  /** Told each share: the component, the kit ordered, how many of those kits, and the component units. */
  onShare?: (componentId: number, kitId: number, kitUnits: number, units: number) => void,
): Map<number, number> {
  const out = new Map(pending)
  const spread = (ordered: number, kitId: number, kitUnits: number, units: number, depth: number) => {
    const def = kits.get(kitId)
    if (!def || depth > MAX_DEPTH) return
    for (const c of def.components) {
      const n = units * (c.perBatch / def.batch)
      out.set(c.productId, (out.get(c.productId) ?? 0) + n)
      onShare?.(c.productId, ordered, kitUnits, n)
      if (c.kit) spread(ordered, c.productId, kitUnits, n, depth + 1)
    }
  }
  for (const [id, units] of pending) if (units > 0 && kits.has(id)) spread(id, id, units, units, 0)
  return out
}
