// Reads what Odoo's kit arithmetic needs (core/stock/kits.ts) in as few calls as possible, and only where
// mrp is installed: one call to see whether it is, then the phantom BoMs, their lines and the units of
// measure at once, then the products they name (and every variant of their templates). Lines restricted to
// some variants cost two more calls, only when a BoM has such lines.
import { isClassifiedError } from '../../core/errors'
import type { OdooVersionProfile } from '../../core/odoo/odoo-version'
import type { KitBom, KitBomLine, KitProduct, KitSnapshot, KitUom } from '../../core/stock/kits'
import type { RpcParams } from './odoo-rpc'

/** The part of the gateway the reader uses. */
export interface KitReaderRpc {
  readonly versionProfile: OdooVersionProfile
  execute<T = unknown>(model: string, method: string, params: RpcParams): Promise<T>
}

type Row = Record<string, unknown>

const m2o = (v: unknown): number | null => (Array.isArray(v) && typeof v[0] === 'number' ? v[0] : null)
const num = (v: unknown): number => (typeof v === 'number' ? v : 0)
const ids = (v: unknown): number[] =>
  Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : []
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null)

/** `_bom_find` sorts BoMs by sequence, product_id, id: the order is taken from Odoo (a BoM whose sequence
 * was never set reads as 0 but sorts after every set one, and product_id sorts through product's order). */
export const BOM_ORDER = 'sequence, product_id, id'

async function searchAll(
  rpc: KitReaderRpc,
  model: string,
  domain: unknown[],
  fields: string[],
  order: string,
  pageSize: number,
  context: Record<string, unknown> = {},
): Promise<Row[]> {
  const out: Row[] = []
  for (let offset = 0; ; offset += pageSize) {
    const page = await rpc.execute<Row[]>(model, 'search_read', {
      domain,
      fields,
      offset,
      limit: pageSize,
      order,
      context,
    })
    out.push(...page)
    if (page.length < pageSize) return out
  }
}

/** Whether mrp is installed. A user who may not read the module list is answered by the BoM read itself. */
async function mrpInstalled(rpc: KitReaderRpc): Promise<boolean | null> {
  try {
    const rows = await rpc.execute<Row[]>('ir.module.module', 'search_read', {
      domain: [
        ['name', '=', 'mrp'],
        ['state', '=', 'installed'],
      ],
      fields: ['name'],
      limit: 1,
    })
    return rows.length > 0
  } catch (e) {
    if (isClassifiedError(e) && e.kind === 'retryable') throw e
    return null
  }
}

export async function readKitSnapshot(rpc: KitReaderRpc, pageSize = 5000): Promise<KitSnapshot | null> {
  const installed = await mrpInstalled(rpc)
  if (installed === false) return null
  const profile = rpc.versionProfile
  const major = profile.major
  let bomRows: Row[]
  let lineRows: Row[]
  let uomRows: Row[]
  try {
    ;[bomRows, lineRows, uomRows] = await Promise.all([
      searchAll(
        rpc,
        'mrp.bom',
        [['type', '=', 'phantom']],
        [
          'id',
          'product_tmpl_id',
          'product_id',
          'product_qty',
          'product_uom_id',
          'company_id',
          'picking_type_id',
        ],
        BOM_ORDER,
        pageSize,
      ),
      searchAll(
        rpc,
        'mrp.bom.line',
        [['bom_id.type', '=', 'phantom']],
        [
          'id',
          'bom_id',
          'product_id',
          'product_qty',
          'product_uom_id',
          'bom_product_template_attribute_value_ids',
        ],
        'sequence, id',
        pageSize,
      ),
      searchAll(
        rpc,
        'uom.uom',
        [],
        major >= 19 ? ['id', 'factor', 'rounding'] : ['id', 'factor', 'rounding', 'category_id'],
        'id',
        pageSize,
        { active_test: false },
      ),
    ])
  } catch (e) {
    // Without access to the module list, a database without mrp shows here: no BoM model.
    if (installed === null && isClassifiedError(e) && e.kind !== 'retryable') return null
    throw e
  }
  const linesByBom = new Map<number, KitBomLine[]>()
  for (const r of lineRows) {
    const bomId = m2o(r.bom_id)
    const productId = m2o(r.product_id)
    if (bomId === null || productId === null) continue
    let list = linesByBom.get(bomId)
    if (!list) linesByBom.set(bomId, (list = []))
    list.push({
      id: num(r.id),
      productId,
      quantity: num(r.product_qty),
      uomId: m2o(r.product_uom_id),
      attributeValueIds: ids(r.bom_product_template_attribute_value_ids),
    })
  }
  const boms: KitBom[] = bomRows.flatMap((r) => {
    const templateId = m2o(r.product_tmpl_id)
    if (templateId === null) return []
    const id = num(r.id)
    return [
      {
        id,
        templateId,
        productId: m2o(r.product_id),
        quantity: num(r.product_qty) || 1,
        uomId: m2o(r.product_uom_id),
        companyId: m2o(r.company_id),
        pickingTypeId: m2o(r.picking_type_id),
        lines: linesByBom.get(id) ?? [],
      },
    ]
  })
  const uoms: KitUom[] = uomRows.map((r) => ({
    id: num(r.id),
    factor: num(r.factor) || 1,
    rounding: num(r.rounding) || 0.01,
    categoryId: major >= 19 ? null : m2o(r.category_id),
  }))
  if (boms.length === 0) return { major, boms, products: [], uoms, attributeValues: [] }

  const named = new Set<number>()
  for (const b of boms) {
    if (b.productId !== null) named.add(b.productId)
    for (const l of b.lines) named.add(l.productId)
  }
  const templates = [...new Set(boms.filter((b) => b.productId === null).map((b) => b.templateId))]
  const productRows = await searchAll(
    rpc,
    'product.product',
    [
      '|',
      ['id', 'in', [...named].sort((a, b) => a - b)],
      ['product_tmpl_id', 'in', templates.sort((a, b) => a - b)],
    ],
    [
      'id',
      'name',
      'default_code',
      'barcode',
      'active',
      'company_id',
      'product_tmpl_id',
      'type',
      ...(major >= 18 ? ['is_storable'] : []),
      'uom_id',
      'product_template_attribute_value_ids',
    ],
    'id',
    pageSize,
    { active_test: false },
  )
  const products: KitProduct[] = productRows.map((r) => ({
    id: num(r.id),
    templateId: m2o(r.product_tmpl_id) ?? num(r.id),
    service: r.type === 'service',
    storable: major >= 18 ? r.is_storable === true : r.type === 'product',
    uomId: m2o(r.uom_id),
    attributeValueIds: ids(r.product_template_attribute_value_ids),
    name: String(r.name ?? ''),
    defaultCode: str(r.default_code),
    barcode: str(r.barcode),
    active: r.active !== false,
    companyId: m2o(r.company_id),
  }))

  // Lines that apply to some variants only: their values' attributes, and whether those make variants.
  const valueIds = [...new Set(boms.flatMap((b) => b.lines.flatMap((l) => l.attributeValueIds)))]
  const attributeValues: KitSnapshot['attributeValues'] = []
  if (valueIds.length > 0) {
    const values = await rpc.execute<Row[]>('product.template.attribute.value', 'read', {
      ids: valueIds.sort((a, b) => a - b),
      fields: ['attribute_id'],
    })
    const attrIds = [
      ...new Set(values.map((v) => m2o(v.attribute_id)).filter((x): x is number => x !== null)),
    ]
    const attrs = await rpc.execute<Row[]>('product.attribute', 'read', {
      ids: attrIds.sort((a, b) => a - b),
      fields: ['create_variant'],
    })
    const noVariant = new Set(attrs.filter((a) => a.create_variant === 'no_variant').map((a) => num(a.id)))
    for (const v of values) {
      const attributeId = m2o(v.attribute_id)
      if (attributeId === null) continue
      attributeValues.push({ id: num(v.id), attributeId, noVariant: noVariant.has(attributeId) })
    }
  }
  return { major, boms, products, uoms, attributeValues }
}
