import { useCallback, useEffect, useId, useMemo, useState } from 'react'
import type { AutoMatchDto, CsvImportDto, MappingRowDto, MappingsDto } from '../../../../shared/dto'
import { call } from '../../lib/api'
import { downloadText } from '../../lib/download'
import { strings } from '../../strings'
import { errorText, useAppStore } from '../../stores/app-store'
import { filterRows, indexRows, type MappedFilter } from './filter-rows'
import { MappingTable } from './MappingTable'
import { ProductPicker } from './ProductPicker'

const t = strings.mapping

export function Mapping() {
  const id = useId()
  const setError = useAppStore((s) => s.setError)
  const [data, setData] = useState<MappingsDto>({ rows: [], products: [] })
  const [query, setQuery] = useState('')
  const [mapped, setMapped] = useState<MappedFilter>('all')
  const [channel, setChannel] = useState('')
  const [picking, setPicking] = useState<MappingRowDto | null>(null)
  const [matched, setMatched] = useState<AutoMatchDto | null>(null)
  const [csv, setCsv] = useState<CsvImportDto | null>(null)
  const [busy, setBusy] = useState(false)
  const [fetched, setFetched] = useState<number | null>(null)
  /** The last unmap, so it can be undone. */
  const [undo, setUndo] = useState<{
    row: MappingRowDto
    productId: number
    source: NonNullable<MappingRowDto['source']>
    restored: boolean
  } | null>(null)
  const status = useAppStore((s) => s.status)
  const names = useMemo(() => new Map((status?.channels ?? []).map((c) => [c.id, c.name])), [status])
  const channelName = useCallback((cid: string) => names.get(cid) ?? cid, [names])
  const reload = useCallback(
    () => call('listMappings', {}).then(setData, (e: unknown) => setError(errorText(e))),
    [setError],
  )
  useEffect(() => {
    void reload()
  }, [reload])
  const indexed = useMemo(() => indexRows(data.rows), [data.rows])
  const shown = useMemo(() => filterRows(indexed, query, mapped, channel), [indexed, query, mapped, channel])
  const channels = useMemo(() => [...new Set(data.rows.map((r) => r.channelId))].sort(), [data.rows])
  const unmappedCount = useMemo(() => data.rows.filter((r) => r.productId === null).length, [data.rows])
  const orphanProducts = useMemo(() => data.products.filter((p) => p.listings === 0), [data.products])
  const run = async (f: () => Promise<void>) => {
    setBusy(true)
    try {
      await f()
    } catch (e) {
      setError(errorText(e))
    } finally {
      setBusy(false)
    }
  }
  return (
    <section aria-labelledby="mapping-title" className="mapping">
      <h1 id="mapping-title">{t.title}</h1>
      <p className="muted">{t.intro}</p>
      <div className="toolbar">
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() =>
            void run(async () => {
              setMatched(await call('autoMatch', {}))
              await reload()
            })
          }
        >
          {t.autoMatch}
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={() =>
            void run(async () => {
              const r = await call('refreshListings', {})
              setFetched(r.reduce((n, c) => n + c.listings, 0))
              await reload()
            })
          }
        >
          {t.fetch}
        </button>
        <button
          type="button"
          onClick={() =>
            void run(async () =>
              downloadText('lastunit-mappings.csv', (await call('exportMappingsCsv', {})).csv),
            )
          }
        >
          {t.export}
        </button>
      </div>
      {fetched !== null ? (
        <p role="status" className="ok-text">
          {t.fetched(fetched)}
        </p>
      ) : null}
      {matched ? (
        <div className="banner banner-ok" role="status" data-testid="automatch-result">
          {t.autoMatched(
            matched.matched,
            matched.bySku,
            matched.byEan,
            matched.byChannelId,
            matched.stillUnmapped,
          )}
          {matched.ambiguous.length > 0 ? <p>{t.ambiguous(matched.ambiguous.length)}</p> : null}
        </div>
      ) : null}
      <details className="panel">
        <summary>{t.csvTitle}</summary>
        <p className="muted">{t.csvHint}</p>
        <label htmlFor={`${id}-csv`}>{t.csvFile}</label>{' '}
        <input
          id={`${id}-csv`}
          type="file"
          accept=".csv,text/csv"
          onChange={(e) => {
            const file = e.target.files?.[0]
            e.target.value = ''
            if (file)
              void run(async () => {
                setCsv(await call('importMappingsCsv', { csv: await file.text() }))
                await reload()
              })
          }}
        />
        {csv ? (
          <div
            className={`banner ${csv.errors.length ? 'banner-warn' : 'banner-ok'}`}
            role="status"
            data-testid="csv-result"
          >
            <p>{t.csvImported(csv.applied)}</p>
            {csv.changed && csv.changed.length > 0 ? (
              <>
                <p>{t.csvChanged(csv.changed.length)}</p>
                <ul>
                  {csv.changed.map((c) => (
                    <li key={c.line}>
                      <strong>{t.csvLine(c.line)}</strong>: {channelName(c.channelId)} {c.listingId}: {c.from}{' '}
                      → {c.to}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            {csv.unchanged ? <p>{t.csvUnchanged(csv.unchanged)}</p> : null}
            {csv.errors.length > 0 ? (
              <>
                <p>{t.csvErrors(csv.errors.length)}</p>
                <ul>
                  {csv.errors.map((e) => (
                    <li key={`${e.line}-${e.message}`}>
                      <strong>{t.csvLine(e.line)}</strong>: {e.message}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </div>
        ) : null}
      </details>
      <div className="filters">
        <label htmlFor={`${id}-q`}>{t.filter}</label>
        <input
          id={`${id}-q`}
          type="search"
          value={query}
          placeholder={t.filterPlaceholder}
          onChange={(e) => setQuery(e.target.value)}
        />
        <label htmlFor={`${id}-show`}>{t.show}</label>
        <select id={`${id}-show`} value={mapped} onChange={(e) => setMapped(e.target.value as MappedFilter)}>
          <option value="all">{t.showAll}</option>
          <option value="mapped">{t.showMapped}</option>
          <option value="unmapped">{t.showUnmapped}</option>
        </select>
        <label htmlFor={`${id}-ch`}>{t.channel}</label>
        <select id={`${id}-ch`} value={channel} onChange={(e) => setChannel(e.target.value)}>
          <option value="">{t.allChannels}</option>
          {channels.map((c) => (
            <option key={c} value={c}>
              {channelName(c)}
            </option>
          ))}
        </select>
      </div>
      <p className="muted" aria-live="polite" data-testid="mapping-count">
        {t.counts(shown.length, data.rows.length, unmappedCount, orphanProducts.length)}
      </p>
      {picking ? (
        <ProductPicker
          row={picking}
          products={data.products}
          onCancel={() => setPicking(null)}
          onPick={(productId) =>
            void run(async () => {
              await call('setMapping', {
                channelId: picking.channelId,
                listingId: picking.listingId,
                productId,
                replace: true,
              })
              setPicking(null)
              await reload()
            })
          }
        />
      ) : null}
      {undo ? (
        <div className="banner banner-ok" role="status" data-testid="unmap-undo">
          <span>
            {undo.restored
              ? t.restored(undo.row.listingId)
              : t.unmapped1(
                  undo.row.listingId,
                  `${undo.row.productSku ?? ''} ${undo.row.productName ?? ''}`.trim(),
                )}
          </span>
          {undo.restored ? null : (
            <button
              type="button"
              className="small"
              disabled={busy}
              onClick={() =>
                void run(async () => {
                  await call('restoreMapping', {
                    channelId: undo.row.channelId,
                    listingId: undo.row.listingId,
                    productId: undo.productId,
                    source: undo.source,
                  })
                  setUndo({ ...undo, restored: true })
                  await reload()
                })
              }
            >
              {t.undo}
            </button>
          )}
        </div>
      ) : null}
      {data.rows.length > 0 && shown.length === 0 ? (
        <p className="empty" data-testid="mapping-empty">
          {t.noMatch(query.trim())}
        </p>
      ) : null}
      <MappingTable
        rows={shown}
        channelName={channelName}
        onMap={setPicking}
        onUnmap={(r) =>
          void run(async () => {
            const res = await call('removeMapping', { channelId: r.channelId, listingId: r.listingId })
            if (res.previous)
              setUndo({
                row: r,
                productId: res.previous.productId,
                source: res.previous.source,
                restored: false,
              })
            await reload()
          })
        }
      />
      <details className="panel">
        <summary>
          {t.unmappedProducts} ({orphanProducts.length})
        </summary>
        {orphanProducts.length === 0 ? (
          <p>{t.none}</p>
        ) : (
          <ul className="columns">
            {orphanProducts.slice(0, 500).map((p) => (
              <li key={p.id}>
                <span className="mono">{p.sku ?? `#${p.id}`}</span> {p.name}
              </li>
            ))}
          </ul>
        )}
      </details>
    </section>
  )
}
