// CSV of SKU mappings (channel,listing,odoo_sku or odoo_id) and the CSV every export writes. The import's
// parser is main/node/mapping/mapping-csv-parser.ts (csv-parse, strict); this file stays pure.

export const MAPPING_CSV_HEADER = ['channel', 'listing', 'odoo_sku', 'odoo_id'] as const

export interface CsvMappingRow {
  /** 1-based line number in the file, the header being line 1. */
  line: number
  channelId: string
  listingId: string
  odooSku: string | null
  odooId: number | null
}

export interface CsvRowError {
  line: number
  message: string
}

// What a spreadsheet would read as a formula (or as the start of one: tab and carriage return hide what
// follows from the eye): a cell starting with = + - @ TAB or CR.
/** A cell that starts like a formula, or is one behind apostrophes (so that the mark reads back exactly). */
const NEEDS_MARK = /^'*[=+\-@\t\r]/

/**
 * A text cell a spreadsheet could run as a formula gets a leading apostrophe, the spreadsheets' own mark
 * for "text": `=HYPERLINK(...)` is exported as `'=HYPERLINK(...)`. Numbers are written as numbers. The
 * mapping import takes one apostrophe off such a cell again (`unneutraliseCell`), so an export reads back
 * as it was written.
 */
export const neutraliseCell = (v: string | number | null): string => {
  if (v === null) return ''
  if (typeof v === 'number') return String(v)
  return NEEDS_MARK.test(v) ? `'${v}` : v
}

/** The cell `neutraliseCell` wrote, as it was before. */
export const unneutraliseCell = (v: string): string => (/^'+[=+\-@\t\r]/.test(v) ? v.slice(1) : v)

const cell = (v: string | number | null): string => {
  const s = neutraliseCell(v)
  return /[",;\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export function toCsv(
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number | null>>,
): string {
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n'
}
