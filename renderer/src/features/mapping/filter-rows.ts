import type { MappingRowDto } from '../../../../shared/dto'

export type MappedFilter = 'all' | 'mapped' | 'unmapped'

export interface IndexedRow {
  row: MappingRowDto
  /** Lower-cased text searched by the filter box, built once per load. */
  text: string
}

export const indexRows = (rows: readonly MappingRowDto[]): IndexedRow[] =>
  rows.map((row) => ({
    row,
    text: [row.listingId, row.sku, row.ean, row.title, row.productName, row.productSku, row.channelId]
      .filter(Boolean)
      .join('\u0001')
      .toLowerCase(),
  }))

/** Every word typed must appear somewhere in the row. */
export function filterRows(
  rows: readonly IndexedRow[],
  query: string,
  mapped: MappedFilter,
  channelId: string,
): MappingRowDto[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  const out: MappingRowDto[] = []
  for (const r of rows) {
    if (channelId && r.row.channelId !== channelId) continue
    if (mapped === 'mapped' && r.row.productId === null) continue
    if (mapped === 'unmapped' && r.row.productId !== null) continue
    if (words.every((w) => r.text.includes(w))) out.push(r.row)
  }
  return out
}
