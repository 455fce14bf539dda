// Auto-matching of channel listings to Odoo products. A match is only taken when it is unambiguous: two
// products sharing a SKU or an EAN would make a guess, and a wrong mapping sells the wrong stock.

export interface MatchProduct {
  id: number
  defaultCode: string | null
  barcode: string | null
}

export interface MatchListing {
  listingId: string
  sku: string | null
  ean: string | null
  /** Channel identifiers (ASIN, offerId, inventory item id...) by name. */
  externalIds: Record<string, string>
}

export type MatchReason = 'sku' | 'ean' | 'channel_id'

export interface Match {
  listingId: string
  productId: number
  reason: MatchReason
  /** Plain words: which field matched which. */
  detail: string
}

export interface MatchResult {
  matches: Match[]
  /** Listings whose value matched several products: left for the seller. */
  ambiguous: Array<{ listingId: string; detail: string }>
}

const norm = (v: string | null | undefined): string | null => {
  const t = v?.trim()
  return t ? t.toLowerCase() : null
}

const index = (products: readonly MatchProduct[], key: (p: MatchProduct) => string | null) => {
  const m = new Map<string, number[]>()
  for (const p of products) {
    const k = norm(key(p))
    if (!k) continue
    const list = m.get(k)
    if (list) list.push(p.id)
    else m.set(k, [p.id])
  }
  return m
}

export function autoMatch(listings: readonly MatchListing[], products: readonly MatchProduct[]): MatchResult {
  const bySku = index(products, (p) => p.defaultCode)
  const byEan = index(products, (p) => p.barcode)
  const matches: Match[] = []
  const ambiguous: MatchResult['ambiguous'] = []
  for (const l of listings) {
    const tries: Array<[MatchReason, string, string | null, Map<string, number[]>, string]> = [
      ['sku', 'SKU', l.sku, bySku, 'Odoo internal reference'],
      ['ean', 'EAN', l.ean, byEan, 'Odoo barcode'],
    ]
    for (const [name, value] of Object.entries(l.externalIds)) {
      tries.push(['channel_id', name, value, bySku, 'Odoo internal reference'])
      tries.push(['channel_id', name, value, byEan, 'Odoo barcode'])
    }
    let found: Match | null = null
    let clash: string | null = null
    for (const [reason, field, value, idx, odooField] of tries) {
      const k = norm(value)
      if (!k) continue
      const ids = idx.get(k)
      if (!ids) continue
      if (ids.length > 1) {
        clash ??= `${field} ${value?.trim()} matches ${ids.length} Odoo products`
        continue
      }
      found = {
        listingId: l.listingId,
        productId: ids[0]!,
        reason,
        detail: `${field} ${value?.trim()} = ${odooField}`,
      }
      break
    }
    if (found) matches.push(found)
    else if (clash) ambiguous.push({ listingId: l.listingId, detail: clash })
  }
  return { matches, ambiguous }
}
