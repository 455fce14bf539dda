// CSV import and export of SKU mappings: channel,listing,odoo_sku (or odoo_id). Every row is checked on
// its own so one bad line is reported with its number and the rest still apply.

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

/** Splits CSV text into records (RFC 4180: quoted fields, doubled quotes, CRLF or LF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i++
        } else quoted = false
      } else field += c
    } else if (c === '"' && field === '') quoted = true
    else if (c === ',' || c === ';') {
      row.push(field)
      field = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      row.push(field)
      rows.push(row)
      row = []
      field = ''
    } else field += c
  }
  if (field !== '' || row.length > 0) {
    row.push(field)
    rows.push(row)
  }
  return rows
}

const cell = (v: string | number | null): string => {
  const s = v === null ? '' : String(v)
  return /[",;\r\n]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export function toCsv(
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number | null>>,
): string {
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n'
}

export function parseMappingCsv(text: string): { rows: CsvMappingRow[]; errors: CsvRowError[] } {
  const records = parseCsv(text.replace(/^\uFEFF/, ''))
  const errors: CsvRowError[] = []
  const rows: CsvMappingRow[] = []
  const head = (records[0] ?? []).map((h) => h.trim().toLowerCase())
  const col = (name: string) => head.indexOf(name)
  const [cChannel, cListing, cSku, cId] = [col('channel'), col('listing'), col('odoo_sku'), col('odoo_id')]
  if (cChannel < 0 || cListing < 0 || (cSku < 0 && cId < 0)) {
    errors.push({
      line: 1,
      message: 'The first line must name the columns: channel, listing, and odoo_sku or odoo_id.',
    })
    return { rows, errors }
  }
  records.slice(1).forEach((r, i) => {
    const line = i + 2
    if (r.every((v) => v.trim() === '')) return
    const get = (c: number) => (c < 0 ? '' : (r[c] ?? '').trim())
    const channelId = get(cChannel)
    const listingId = get(cListing)
    const sku = get(cSku)
    const idText = get(cId)
    if (!channelId) return errors.push({ line, message: 'The channel is empty.' })
    if (!listingId) return errors.push({ line, message: 'The listing is empty.' })
    if (!sku && !idText)
      return errors.push({ line, message: 'Give the Odoo product: its internal reference or its id.' })
    const id = idText ? Number(idText) : null
    if (id !== null && !(Number.isInteger(id) && id > 0))
      return errors.push({ line, message: `"${idText}" is not an Odoo product id (a whole number).` })
    rows.push({ line, channelId, listingId, odooSku: sku || null, odooId: id })
  })
  return { rows, errors }
}
