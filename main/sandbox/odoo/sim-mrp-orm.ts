// mrp.bom create over RPC on the simulated Odoo: the vals a client sends (product_tmpl_id, product_id,
// type, product_qty, product_uom_id, sequence, company_id, bom_line_ids as (0, 0, vals) commands).
import { OdooSimError } from './sim-errors'
import type { SimEnv } from './sim-models'

const numOr = <T>(v: unknown, fallback: T): number | T => (typeof v === 'number' ? v : fallback)

export function createBom(env: SimEnv, v: Record<string, unknown>): number {
  const mrp = env.store.mrp
  if (typeof v.product_tmpl_id !== 'number')
    throw new OdooSimError('ValidationError', "Field 'product_tmpl_id' is required and must be a number")
  if (v.type !== undefined && v.type !== 'phantom' && v.type !== 'normal')
    throw new OdooSimError('ValueError', `Wrong value for mrp.bom.type: ${JSON.stringify(v.type)}`)
  const lines = ((v.bom_line_ids ?? []) as unknown[]).map((cmd) => {
    if (!Array.isArray(cmd) || cmd[0] !== 0)
      throw new OdooSimError('ValueError', `Unsupported bom_line_ids command ${JSON.stringify(cmd)}`)
    const l = (cmd[2] ?? {}) as Record<string, unknown>
    if (typeof l.product_id !== 'number')
      throw new OdooSimError('ValidationError', "Field 'product_id' is required and must be a number")
    const uomId = numOr(l.product_uom_id, undefined)
    const sequence = numOr(l.sequence, undefined)
    return {
      productId: l.product_id,
      productQty: numOr(l.product_qty, 1),
      ...(uomId === undefined ? {} : { uomId }),
      ...(sequence === undefined ? {} : { sequence }),
    }
  })
  return mrp.addBom({
    templateId: v.product_tmpl_id,
    productId: numOr(v.product_id, null),
    type: (v.type as 'phantom' | 'normal' | undefined) ?? 'normal',
    productQty: numOr(v.product_qty, 1),
    uomId: numOr(v.product_uom_id, 1),
    sequence: numOr(v.sequence, 0),
    companyId: v.company_id === false ? null : numOr(v.company_id, 1),
    active: v.active !== false,
    lines,
  }).id
}
