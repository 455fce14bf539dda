// The mapping CSV import's parser: csv-parse (node-csv), configured strictly. The rules (README, "SKU
// mapping CSV"):
// - the separator is `,` or `;`, read once from the header line; a header holding both is refused;
// - the header names channel, listing, and odoo_sku or odoo_id (any case), each once, and nothing else;
// - every row has exactly the header's fields: an extra (or a missing) field is refused;
// - quotes follow RFC 4180; a quote that is never closed, or one inside an unquoted field, refuses the
//   whole file (where a field ends can no longer be told), naming the line it starts on;
// - odoo_id is a decimal whole number above 0, digits only (`0x10`, `1e3`, `-1`, `1.5`, `+7` refused);
// - a UTF-8 byte order mark is accepted; blank lines are skipped; CRLF, LF and CR all end a line;
// - a cell LastUnit's own export neutralised for spreadsheets (`'=...`, `'+...`) reads back as it was.
// Every problem names its line and its column; a bad row is reported and the others still apply.
import { CsvError, parse } from 'csv-parse/sync'
import { unneutraliseCell, type CsvMappingRow, type CsvRowError } from '../../core/mapping/mapping-csv'

const COLUMNS = ['channel', 'listing', 'odoo_sku', 'odoo_id'] as const
type Column = (typeof COLUMNS)[number]

interface ParsedRecord {
  record: string[]
  info: { lines: number }
}

const headerLine = (text: string): string => text.split(/\r\n|\n|\r/, 1)[0] ?? ''

/** The separator the header uses, or why none can be told. */
function detectDelimiter(header: string): { delimiter: ',' | ';' } | { problem: string } {
  const commas = header.split(',').length - 1
  const semicolons = header.split(';').length - 1
  if (commas > 0 && semicolons > 0)
    return {
      problem:
        'The first line holds both "," and ";": separate the columns with one of them (the header decides for the whole file).',
    }
  return { delimiter: semicolons > 0 ? ';' : ',' }
}

const DECIMAL_ID = /^[0-9]+$/

export function parseMappingCsv(text: string): { rows: CsvMappingRow[]; errors: CsvRowError[] } {
  const errors: CsvRowError[] = []
  const rows: CsvMappingRow[] = []
  // Every line ending (CRLF, LF, CR, mixed) counts as one, so line numbers are the editor's: they become
  // LF first (inside a quoted field too, where a line break has no place in a mapping anyway).
  const body = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')
  const sep = detectDelimiter(headerLine(body))
  if ('problem' in sep) return { rows, errors: [{ line: 1, message: sep.problem }] }
  const { delimiter } = sep

  // Structural faults (quotes) are collected here; csv-parse goes on after them, but where its fields end
  // can no longer be trusted, so they refuse the file.
  const faults: CsvRowError[] = []
  let records: ParsedRecord[] = []
  try {
    records = parse(body, {
      delimiter,
      record_delimiter: '\n',
      bom: true,
      info: true,
      relax_column_count: true,
      relax_quotes: false,
      skip_empty_lines: false,
      skip_records_with_error: true,
      on_skip: (err) => {
        if (err) faults.push({ line: lineOf(err), message: quoteProblem(err, delimiter) })
        return undefined
      },
    }) as unknown as ParsedRecord[]
  } catch (e) {
    const err = e instanceof CsvError ? e : null
    return {
      rows,
      errors: [
        {
          line: err ? lineOf(err) : 1,
          message: `The file cannot be read as CSV: ${err ? err.message : String(e)}`,
        },
      ],
    }
  }
  // csv-parse reports an unclosed quote where the file ends: it starts on the line after the last whole
  // record before it.
  const unclosed = faults.findIndex((f) => f.message.startsWith('A quote opened'))
  if (unclosed >= 0) {
    const lastEnd = records.reduce((m, r) => (r.info.lines < faults[unclosed]!.line ? r.info.lines : m), 0)
    faults[unclosed] = { ...faults[unclosed]!, line: lastEnd + 1, message: faults[unclosed]!.message }
  }
  if (faults.length > 0) {
    const first = faults.reduce((a, b) => (b.line < a.line ? b : a))
    return {
      rows,
      errors: [{ line: first.line, message: `${first.message} Nothing in this file was imported.` }],
    }
  }

  const [head, ...data] = records
  const names = (head?.record ?? []).map((h) => h.trim().toLowerCase())
  const headerProblems: string[] = []
  const index = new Map<Column, number>()
  names.forEach((n, i) => {
    if (!(COLUMNS as readonly string[]).includes(n))
      headerProblems.push(
        `column ${i + 1} "${head!.record[i]}" is not one LastUnit reads (channel, listing, odoo_sku, odoo_id)`,
      )
    else if (index.has(n as Column))
      headerProblems.push(`column ${i + 1} "${n}" repeats column ${index.get(n as Column)! + 1}`)
    else index.set(n as Column, i)
  })
  if (!index.has('channel') || !index.has('listing') || (!index.has('odoo_sku') && !index.has('odoo_id')))
    headerProblems.unshift('The first line must name the columns: channel, listing, and odoo_sku or odoo_id')
  if (headerProblems.length > 0)
    return { rows, errors: [{ line: 1, message: `${headerProblems.join('; ')}.` }] }

  const width = names.length
  let start = (head?.info.lines ?? 1) + 1
  for (const { record, info } of data) {
    const line = start
    start = info.lines + 1
    if (record.every((v) => v.trim() === '')) continue
    if (record.length !== width) {
      errors.push({
        line,
        message:
          record.length > width
            ? `column ${width + 1}: an extra field ("${record[width]}"); the header names ${width} columns${delimiter === ',' ? '' : ` separated by "${delimiter}"`}.`
            : `${record.length} field(s) where the header names ${width}: column ${record.length + 1} (${names[record.length]}) is missing.`,
      })
      continue
    }
    const column = (c: Column) => {
      const i = index.get(c)
      return i === undefined ? '' : unneutraliseCell(record[i]!.trim())
    }
    const where = (c: Column) => `${c} (column ${index.get(c)! + 1})`
    const channelId = column('channel')
    const listingId = column('listing')
    const sku = column('odoo_sku')
    const idText = column('odoo_id')
    if (!channelId) {
      errors.push({ line, message: `${where('channel')}: the channel is empty.` })
      continue
    }
    if (!listingId) {
      errors.push({ line, message: `${where('listing')}: the listing is empty.` })
      continue
    }
    if (!sku && !idText) {
      errors.push({
        line,
        message: `${index.has('odoo_id') ? where('odoo_id') : where('odoo_sku')}: give the Odoo product, its internal reference (odoo_sku) or its id (odoo_id).`,
      })
      continue
    }
    let id: number | null = null
    if (idText) {
      const n = DECIMAL_ID.test(idText) ? Number(idText) : NaN
      if (!(Number.isSafeInteger(n) && n > 0)) {
        errors.push({
          line,
          message: `${where('odoo_id')}: "${idText}" is not an Odoo product id: write it in decimal digits only, a whole number above 0 (e.g. 42).`,
        })
        continue
      }
      id = n
    }
    rows.push({ line, channelId, listingId, odooSku: sku || null, odooId: id })
  }
  return { rows, errors }
}

const lineOf = (e: CsvError): number => (typeof e.lines === 'number' && e.lines > 0 ? e.lines : 1)

function quoteProblem(err: CsvError, delimiter: string): string {
  const field = typeof err.column === 'number' ? `column ${err.column + 1}: ` : ''
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'A quote opened on this line is never closed (a field that starts with " must end with ").'
    case 'INVALID_OPENING_QUOTE':
      return `${field}a quote inside a field that does not start with one: put the whole field in quotes and double the quote ("" for ").`
    case 'CSV_INVALID_CLOSING_QUOTE':
      return `${field}text after a closing quote: a quoted field ends with " followed by "${delimiter}" or the end of the line (double a quote inside it: "").`
    default:
      return `${field}${err.message}`
  }
}
