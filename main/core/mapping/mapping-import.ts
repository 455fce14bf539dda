// What a CSV import of mappings does, row by row, before anything is written: each row names a listing the
// channel really has (fetched from it), one Odoo product, and either maps it, changes its mapping, or
// leaves it as it is. Rows that cannot apply are reported with their line and the reason; the rest apply.
import type { CsvMappingRow, CsvRowError } from './mapping-csv'

export interface MappingImportContext {
  channelExists(channelId: string): boolean
  /** Listings fetched from the channel so far (0: never fetched). */
  listingCount(channelId: string): number
  listingExists(channelId: string, listingId: string): boolean
  /** Active Odoo products with this internal reference. */
  productsBySku(sku: string): number[]
  productExists(productId: number): boolean
  /** The product the listing is mapped to now, or null. */
  mappedTo(channelId: string, listingId: string): number | null
}

export interface MappingImportRow {
  line: number
  channelId: string
  listingId: string
  productId: number
  /** new: was not mapped; changed: was mapped to `previous`; same: already mapped to this product. */
  change: 'new' | 'changed' | 'same'
  previous: number | null
}

export interface MappingImportPlan {
  rows: MappingImportRow[]
  errors: CsvRowError[]
}

export function planMappingImport(
  parsed: readonly CsvMappingRow[],
  ctx: MappingImportContext,
): MappingImportPlan {
  const rows: MappingImportRow[] = []
  const errors: CsvRowError[] = []
  const seen = new Map<string, number>()
  for (const r of parsed) {
    if (!ctx.channelExists(r.channelId)) {
      errors.push({ line: r.line, message: `There is no channel "${r.channelId}".` })
      continue
    }
    if (ctx.listingCount(r.channelId) === 0) {
      errors.push({
        line: r.line,
        message: `No listings of ${r.channelId} have been fetched yet, so listing "${r.listingId}" cannot be checked: fetch the listings from the channel first.`,
      })
      continue
    }
    if (!ctx.listingExists(r.channelId, r.listingId)) {
      errors.push({
        line: r.line,
        message: `${r.channelId} has no listing "${r.listingId}" (as of the last fetch): check the listing id, or fetch the listings again if it is new.`,
      })
      continue
    }
    let productId = r.odooId
    if (productId === null) {
      const ids = ctx.productsBySku(r.odooSku ?? '')
      if (ids.length !== 1) {
        errors.push({
          line: r.line,
          message:
            ids.length === 0
              ? `No Odoo product has the internal reference "${r.odooSku}".`
              : `Several Odoo products have the internal reference "${r.odooSku}"; use odoo_id.`,
        })
        continue
      }
      productId = ids[0]!
    } else if (!ctx.productExists(productId)) {
      errors.push({ line: r.line, message: `Odoo product ${productId} is not known to LastUnit.` })
      continue
    }
    const key = `${r.channelId}\u0000${r.listingId}`
    const before = seen.get(key)
    if (before !== undefined) {
      errors.push({
        line: r.line,
        message: `Listing "${r.listingId}" on ${r.channelId} is already on line ${before}.`,
      })
      continue
    }
    seen.set(key, r.line)
    const previous = ctx.mappedTo(r.channelId, r.listingId)
    rows.push({
      line: r.line,
      channelId: r.channelId,
      listingId: r.listingId,
      productId,
      change: previous === null ? 'new' : previous === productId ? 'same' : 'changed',
      previous,
    })
  }
  return { rows, errors }
}
