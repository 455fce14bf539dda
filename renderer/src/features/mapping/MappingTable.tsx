import { useRef } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import type { MappingRowDto } from '../../../../shared/dto'
import { strings } from '../../strings'
import { heightRef, offsetRef } from '../../lib/css-position'

const t = strings.mapping
const ROW_HEIGHT = 38

export function MappingTable({
  rows,
  onMap,
  onUnmap,
}: {
  rows: MappingRowDto[]
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
    overscan: 12,
  })
  return (
    <div className="vtable" role="table" aria-label={t.title} aria-rowcount={rows.length + 1}>
      <div role="rowgroup">
        <div className="vrow vhead" role="row" aria-rowindex={1}>
          {(['channel', 'listing', 'sku', 'ean', 'title', 'product', 'reason', 'action'] as const).map(
            (c) => (
              <span key={c} role="columnheader">
                {t.col[c]}
              </span>
            ),
          )}
        </div>
      </div>
      <div ref={scroller} className="vbody" role="rowgroup" data-testid="mapping-rows" tabIndex={0}>
        <div className="vspacer" ref={heightRef(v.getTotalSize())}>
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
                ref={offsetRef(item.start)}
              >
                <span role="cell">{r.channelId}</span>
                <span role="cell" className="mono">
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
