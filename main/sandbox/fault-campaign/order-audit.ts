// The fault campaign's audit of Odoo's sale orders against the orders buyers placed: every placed order in
// Odoo exactly once (by the reference the engine writes, client_order_ref), and no sale order that no placed
// order explains (one made during the campaign with another reference, or none). Cancelled sale orders and
// those that existed before the campaign are left out.

export interface AuditedSaleOrder {
  id: number
  name: string
  clientOrderRef: string | false | null
  state: string
}

export interface OrderAudit {
  /** Sale orders beyond the first for a placed order's reference. */
  duplicatesByRef: number
  /** Placed orders with no sale order. */
  missing: number
  /** Sale orders made during the campaign that no placed order explains ("name (ref ..., state)"). */
  unexplained: string[]
  /** What `duplicate_orders` reports: duplicates by reference plus unexplained sale orders. */
  duplicateOrders: number
}

export function auditOrders(
  placedRefs: readonly string[],
  saleOrders: Iterable<AuditedSaleOrder>,
  existedBefore: ReadonlySet<number>,
): OrderAudit {
  const placed = new Set(placedRefs)
  const perRef = new Map<string, number>()
  const unexplained: string[] = []
  for (const so of saleOrders) {
    if (existedBefore.has(so.id) || so.state === 'cancel') continue
    if (so.clientOrderRef && placed.has(so.clientOrderRef))
      perRef.set(so.clientOrderRef, (perRef.get(so.clientOrderRef) ?? 0) + 1)
    else unexplained.push(`${so.name} (ref ${so.clientOrderRef || 'none'}, ${so.state})`)
  }
  let duplicatesByRef = 0
  let missing = 0
  for (const ref of placed) {
    const n = perRef.get(ref) ?? 0
    if (n === 0) missing++
    if (n > 1) duplicatesByRef += n - 1
  }
  return { duplicatesByRef, missing, unexplained, duplicateOrders: duplicatesByRef + unexplained.length }
}
