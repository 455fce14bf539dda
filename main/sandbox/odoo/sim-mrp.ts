// The simulated mrp module: kit BoMs (mrp.bom of type phantom, and normal BoMs that kits ignore), their
// lines, the units of measure they use, and what Odoo does with kits: product quantity fields computed
// from the components, and a sale of a kit delivered as moves of its components. Written as a line by
// line port of Odoo's Python (mrp_bom.py `_bom_find` and `explode`, product.py `_compute_quantities_dict`,
// stock_move.py `_action_explode`), apart from LastUnit's own kit code, so tests can hold one against the
// other.
import { floatIsZero, floatRound } from '../../core/odoo/float-round'
import { OdooSimError } from './sim-errors'

export interface SimUom {
  id: number
  name: string
  /** Reference units one of this unit holds (a dozen: 12). 17 and 18 store the inverse as `factor`. */
  size: number
  rounding: number
  categoryId: number
}

/** Units, Dozens (same category), kg and g. 19 rounds every unit to the "Product Unit" precision 0.01. */
export const SIM_UOMS: ReadonlyMap<number, SimUom> = new Map(
  [
    { id: 1, name: 'Units', size: 1, rounding: 0.01, categoryId: 1 },
    { id: 2, name: 'Dozens', size: 12, rounding: 0.01, categoryId: 1 },
    { id: 3, name: 'kg', size: 1, rounding: 0.001, categoryId: 2 },
    { id: 4, name: 'g', size: 0.001, rounding: 0.01, categoryId: 2 },
  ].map((u) => [u.id, u]),
)

export const UNITS = 1

export interface SimBom {
  id: number
  templateId: number
  productId: number | null
  type: 'phantom' | 'normal'
  productQty: number
  uomId: number
  active: boolean
  sequence: number
  companyId: number | null
  pickingTypeId: number | null
  lineIds: number[]
  writeDate: string
}

export interface SimBomLine {
  id: number
  bomId: number
  productId: number
  productQty: number
  uomId: number
  sequence: number
  writeDate: string
}

/** What the mrp module needs from the rest of the simulated database. */
export interface MrpHost {
  version: () => number
  product(
    id: number,
  ): { id: number; templateId: number; kind: string; storable: boolean; uomId: number } | undefined
  nextId(model: string): number
  stamp(): string
}

export interface ExplodedLine {
  line: SimBomLine
  qty: number
  product: number
  originalQty: number
}

export interface KitQuantities {
  onHand: number
  free: number
  incoming: number
  outgoing: number
  virtual: number
}

export class SimMrp {
  /** Whether the mrp module is installed: without it the models do not exist and nothing is a kit. */
  installed = false
  readonly boms = new Map<number, SimBom>()
  readonly lines = new Map<number, SimBomLine>()

  constructor(private readonly host: MrpHost) {}

  uom(id: number): SimUom {
    const u = SIM_UOMS.get(id)
    if (!u)
      throw new OdooSimError(
        'MissingError',
        `Record does not exist or has been deleted.\n(Record: uom.uom(${id},))`,
      )
    return u
  }

  /** 19 rounds every unit to the "Product Unit" precision. */
  rounding(u: SimUom): number {
    return this.host.version() >= 19 ? 0.01 : u.rounding
  }

  /** `factor` as the version stores it. */
  uomFactor(u: SimUom): number {
    return this.host.version() >= 19 ? u.size : 1 / u.size
  }

  addBom(vals: {
    templateId: number
    productId?: number | null
    type?: 'phantom' | 'normal'
    productQty?: number
    uomId?: number
    sequence?: number
    companyId?: number | null
    pickingTypeId?: number | null
    active?: boolean
    lines: Array<{ productId: number; productQty?: number; uomId?: number; sequence?: number }>
  }): SimBom {
    const id = this.host.nextId('mrp.bom')
    if (!((vals.productQty ?? 1) > 0))
      throw new OdooSimError('ValidationError', 'The quantity to produce must be positive!')
    const bom: SimBom = {
      id,
      templateId: vals.templateId,
      productId: vals.productId ?? null,
      type: vals.type ?? 'normal',
      productQty: vals.productQty ?? 1,
      uomId: vals.uomId ?? UNITS,
      active: vals.active ?? true,
      sequence: vals.sequence ?? 0,
      companyId: vals.companyId === undefined ? 1 : vals.companyId,
      pickingTypeId: vals.pickingTypeId ?? null,
      lineIds: [],
      writeDate: this.host.stamp(),
    }
    this.boms.set(id, bom)
    for (const l of vals.lines) {
      const p = this.host.product(l.productId)
      if (!p)
        throw new OdooSimError(
          'MissingError',
          `Record does not exist or has been deleted.\n(Record: product.product(${l.productId},))`,
        )
      if ((l.productQty ?? 1) < 0)
        throw new OdooSimError('ValidationError', 'All product quantities must be greater or equal to 0.')
      const line: SimBomLine = {
        id: this.host.nextId('mrp.bom.line'),
        bomId: id,
        productId: l.productId,
        productQty: l.productQty ?? 1,
        uomId: l.uomId ?? p.uomId,
        sequence: l.sequence ?? 1,
        writeDate: this.host.stamp(),
      }
      this.lines.set(line.id, line)
      bom.lineIds.push(line.id)
    }
    return bom
  }

  /** bom.bom_line_ids in the line order (sequence, id). */
  linesOf(bom: SimBom): SimBomLine[] {
    return bom.lineIds.map((id) => this.lines.get(id)!).sort((a, b) => a.sequence - b.sequence || a.id - b.id)
  }

  // uom._compute_quantity(qty, to_unit, round=True, rounding_method='UP', raise_if_failure=...)
  private computeQuantity(
    fromId: number,
    qty: number,
    toId: number,
    round: boolean,
    raiseIfFailure: boolean,
    method: 'UP' | 'HALF-UP' = 'UP',
  ): number {
    if (!qty) return qty
    const from = this.uom(fromId)
    const to = this.uom(toId)
    const v19 = this.host.version() >= 19
    if (!v19 && from.id !== to.id && from.categoryId !== to.categoryId) {
      if (raiseIfFailure)
        throw new OdooSimError(
          'UserError',
          `The unit of measure ${from.name} doesn't belong to the category of ${to.name}.`,
        )
      return qty
    }
    let amount: number
    if (from.id === to.id) amount = qty
    else if (v19) amount = (qty * this.uomFactor(from)) / this.uomFactor(to)
    else amount = (qty / this.uomFactor(from)) * this.uomFactor(to)
    if (round) amount = floatRound(amount, this.rounding(to), method)
    return amount
  }

  // mrp.bom._bom_find(products, picking_type, company_id, bom_type='phantom') for one product.
  bomFind(
    productId: number,
    companyId: number | null = null,
    pickingTypeId: number | null = null,
  ): SimBom | null {
    if (!this.installed) return null
    const p = this.host.product(productId)
    if (!p || p.kind === 'service') return null
    const found = [...this.boms.values()]
      .filter(
        (b) =>
          b.active &&
          b.type === 'phantom' &&
          (b.productId === productId || (b.productId === null && b.templateId === p.templateId)) &&
          (companyId === null || b.companyId === null || b.companyId === companyId) &&
          (pickingTypeId === null || b.pickingTypeId === null || b.pickingTypeId === pickingTypeId),
      )
      // order='sequence, product_id, id': a variant BoM sorts before a template BoM (null last).
      .sort(
        (a, b) =>
          a.sequence - b.sequence ||
          (a.productId === null ? 1 : 0) - (b.productId === null ? 1 : 0) ||
          (a.productId ?? 0) - (b.productId ?? 0) ||
          a.id - b.id,
      )
    return found[0] ?? null
  }

  // mrp.bom.explode(product, quantity): the leaf lines with their quantities.
  explode(bom: SimBom, productId: number, quantity: number): ExplodedLine[] {
    const productBoms = new Map<number, SimBom | null>()
    const update = (ids: Iterable<number>) => {
      for (const id of ids) productBoms.set(id, this.bomFind(id, bom.companyId, bom.pickingTypeId))
    }
    let bomLines: Array<[SimBomLine, number, number]> = this.linesOf(bom).map((l) => [l, productId, quantity])
    update(bomLines.map(([l]) => l.productId))
    const done: ExplodedLine[] = []
    let guard = 0
    while (bomLines.length > 0) {
      if (++guard > 10_000) throw new OdooSimError('ValidationError', 'The BoM structure has a cycle.')
      const [currentLine, currentProduct, currentQty] = bomLines[0]!
      bomLines = bomLines.slice(1)
      let lineQuantity = currentQty * currentLine.productQty
      if (!productBoms.has(currentLine.productId)) update([currentLine.productId])
      const sub = productBoms.get(currentLine.productId)
      if (sub) {
        const v19 = this.host.version() >= 19
        const converted = this.computeQuantity(
          currentLine.uomId,
          lineQuantity / sub.productQty,
          sub.uomId,
          !v19,
          true,
        )
        const next: Array<[SimBomLine, number, number]> = this.linesOf(sub).map((l) => [
          l,
          currentLine.productId,
          converted,
        ])
        bomLines = v19 ? [...next, ...bomLines] : [...bomLines, ...next]
        update(next.map(([l]) => l.productId).filter((id) => !productBoms.has(id)))
      } else {
        lineQuantity = floatRound(lineQuantity, this.rounding(this.uom(currentLine.uomId)), 'UP')
        done.push({ line: currentLine, qty: lineQuantity, product: currentProduct, originalQty: quantity })
      }
    }
    return done
  }

  /**
   * product.product._compute_quantities_dict for a kit: null when the product is not a kit. `of` answers
   * a component's quantities in the same context (a component that is a kit itself answers its kit figure).
   */
  kitQuantities(productId: number, of: (componentId: number) => KitQuantities): KitQuantities | null {
    const bom = this.bomFind(productId)
    if (!bom) return null
    const version = this.host.version()
    const lines = this.explode(bom, productId, 1)
    const grouped = new Map<number, ExplodedLine[]>()
    for (const info of lines) {
      const g = grouped.get(info.line.productId) ?? []
      g.push(info)
      grouped.set(info.line.productId, g)
    }
    const keys = ['onHand', 'free', 'incoming', 'outgoing', 'virtual'] as const
    const ratios: Record<(typeof keys)[number], number[]> = {
      onHand: [],
      free: [],
      incoming: [],
      outgoing: [],
      virtual: [],
    }
    let rounding = 0.01
    for (const [componentId, infos] of grouped) {
      const component = this.host.product(componentId)
      let qtyPerKit = 0
      for (const info of infos) {
        if (!component?.storable || floatIsZero(info.qty, this.rounding(this.uom(info.line.uomId)))) continue
        const uomQtyPerKit = info.qty / info.originalQty
        qtyPerKit += this.computeQuantity(info.line.uomId, uomQtyPerKit, component.uomId, false, false)
      }
      if (!qtyPerKit || !component) continue
      rounding = this.rounding(this.uom(component.uomId))
      const res = of(componentId)
      for (const k of keys) {
        let ratio = floatRound(res[k], rounding) / qtyPerKit
        if (version === 18) ratio = floatRound(ratio, rounding)
        else if (version >= 19) ratio = floatRound(ratio, rounding, 'DOWN')
        ratios[k].push(ratio)
      }
    }
    const out: KitQuantities = { onHand: 0, free: 0, incoming: 0, outgoing: 0, virtual: 0 }
    if (lines.length === 0 || ratios.virtual.length === 0) return out
    for (const k of keys) {
      let q = Math.min(...ratios[k]) * bom.productQty
      if (version >= 18) q = floatRound(q, rounding)
      out[k] = Math.floor(q)
    }
    return out
  }

  /**
   * stock.move._action_explode for a sale of `qty` kits: the component quantities (in each component's
   * unit) the delivery moves. Null when the product is not a kit.
   */
  explodeSale(productId: number, qty: number): Array<{ productId: number; qty: number }> | null {
    const bom = this.bomFind(productId, 1)
    if (!bom) return null
    const factor = qty / bom.productQty
    const out: Array<{ productId: number; qty: number }> = []
    for (const info of this.explode(bom, productId, factor)) {
      const component = this.host.product(info.line.productId)
      if (!component) continue
      const q = this.computeQuantity(info.line.uomId, info.qty, component.uomId, true, false, 'HALF-UP')
      if (q > 0) out.push({ productId: component.id, qty: q })
    }
    return out
  }
}
