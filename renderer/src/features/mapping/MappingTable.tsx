import { useRef } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import type { MappingRowDto } from '../../../../shared/dto'
import { strings } from '../../strings'
import { heightRef, offsetRef } from '../../lib/css-position'

const t = strings.mapping
/** Every row, the header included, has this height: the header sits in the same scroller as the rows. */
const ROW_HEIGHT = 38
const COLUMNS = [
  'channel',
  'listing',
  'sku',
  'ean',
  'title',
  'product',
  'reason',
  'published',
  'action',
] as const

const published = (r: MappingRowDto): string =>
  r.published === null || r.published === undefined
    ? t.publishedNone
    : r.publishedPaused
      ? t.publishedPaused
      : String(r.published)

export function MappingTable({
  rows,
  channelName,
  onMap,
  onUnmap,
}: {
  rows: MappingRowDto[]
  channelName: (id: string) => string
  onMap: (row: MappingRowDto) => void
  onUnmap: (row: MappingRowDto) => void
}) {
  const scroller = useRef<HTMLDivElement>(null)
  // The virtualizer's functions change every render by design; this component is not auto-memoized.
  // eslint-disable-next-line react-hooks/incompatible-library
  const v = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (i) => (rows[i] ? `${rows[i].channelId}/${rows[i].listingId}` : i),
    overscan: 12,
    // The sticky header row sits above the rows inside the same scroller, so columns stay aligned
    // whatever the scrollbar takes and however narrow the window is.
    scrollMargin: ROW_HEIGHT,
  })
  return (
    <div className="vtable mapping-table">
      <div
        ref={scroller}
        className="vbody"
        data-testid="mapping-rows"
        tabIndex={0}
        role="table"
        aria-label={t.title}
        aria-rowcount={rows.length + 1}
      >
        <div role="rowgroup" className="vhead-group">
          <div className="vrow vhead" role="row" aria-rowindex={1}>
            {COLUMNS.map((c) => (
              <span key={c} role="columnheader">
                {t.col[c]}
              </span>
            ))}
          </div>
        </div>
        <div role="rowgroup" className="vspacer" ref={heightRef(v.getTotalSize())}>
          {v.getVirtualItems().map((item) => {
            const r = rows[item.index]
            if (!r) return null
            return (
              <div
                key={`${r.channelId}/${r.listingId}`}
                className={`vrow ${r.productId === null ? 'unmapped' : ''}`}
                role="row"
                aria-rowindex={item.index + 2}
                data-testid="mapping-row"
                ref={offsetRef(item.start - ROW_HEIGHT)}
              >
                <span role="cell" title={r.channelId}>
                  {channelName(r.channelId)}
                </span>
                <span role="cell" className="mono" title={r.listingId}>
                  {r.listingId}
                </span>
                <span role="cell" className="mono">
                  {r.sku ?? '–'}
                </span>
                <span role="cell" className="mono">
                  {r.ean ?? '–'}
                </span>
                <span role="cell" className="ellipsis" title={r.title}>
                  {r.title}
                </span>
                <span role="cell" className="ellipsis">
                  {r.productId === null ? (
                    <em className="warn-text">{t.unmapped}</em>
                  ) : (
                    `${r.productSku ?? `#${r.productId}`} ${r.productName ?? ''}`
                  )}
                </span>
                <span role="cell">{r.source ? t.reason[r.source] : ''}</span>
                <span role="cell" className="num" title={r.publishedStatus ?? undefined}>
                  {published(r)}
                </span>
                <span role="cell" className="row-actions">
                  <button
                    type="button"
                    className="small"
                    aria-label={`${r.productId === null ? t.map : t.change} ${r.listingId}`}
                    onClick={() => onMap(r)}
                  >
                    {r.productId === null ? t.map : t.change}
                  </button>
                  {r.productId !== null ? (
                    <button
                      type="button"
                      className="small"
                      aria-label={`${t.unmap} ${r.listingId}`}
                      onClick={() => onUnmap(r)}
                    >
                      {t.unmap}
                    </button>
                  ) : null}
                </span>
              </div>
            )
          })}
        </div>
      </div>
    </div>
  )
}
