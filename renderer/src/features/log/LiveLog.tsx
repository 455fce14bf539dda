import { useCallback, useEffect, useId, useRef, useState } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import type { LogLevel, LogLineDto } from '../../../../shared/dto'
import { call } from '../../lib/api'
import { downloadText } from '../../lib/download'
import { heightRef, offsetRef } from '../../lib/css-position'
import { strings } from '../../strings'
import { errorText, useAppStore } from '../../stores/app-store'

const t = strings.log
/** Every row has this height (one line, the rest in its tooltip): rows can never overlap. */
export const LOG_ROW_PX = 34
const LEVELS: LogLevel[] = ['debug', 'info', 'warn', 'error']
const STATUSES = Object.keys(t.statuses) as Array<keyof typeof t.statuses>
const PAGE = 500
const LIVE_MS = 1000
const MAX_ROWS = 5000
const COLUMNS = ['time', 'level', 'channel', 'product', 'status', 'message'] as const

interface Filters {
  channel: string
  level: LogLevel | ''
  status: string
  search: string
}

const dayBounds = (day: string) => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  const from = new Date(y, m - 1, d).getTime()
  return { from, to: new Date(y, m - 1, d + 1).getTime() }
}

const isoDay = (ms: number) => {
  const d = new Date(ms)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

const request = (f: Filters) => ({
  ...(f.channel ? { channelId: f.channel } : {}),
  ...(f.level ? { level: f.level } : {}),
  ...(f.status ? { status: f.status } : {}),
  ...(f.search ? { search: f.search } : {}),
})

export function LiveLog() {
  const id = useId()
  const status = useAppStore((s) => s.status)
  const logTick = useAppStore((s) => s.logTick)
  const setError = useAppStore((s) => s.setError)
  const [channel, setChannel] = useState('')
  const [level, setLevel] = useState<LogLevel | ''>('')
  const [st, setSt] = useState('')
  const [q, setQ] = useState('')
  const [search, setSearch] = useState('')
  const [day, setDay] = useState<string | null>(null)
  const [frozen, setFrozen] = useState(false)
  const [rows, setRows] = useState<LogLineDto[]>([])
  const [hasMore, setHasMore] = useState(false)
  const [oldestAt, setOldestAt] = useState<number | null>(null)
  const [loaded, setLoaded] = useState(false)
  // Answers to an older request (other filters, another day) are dropped.
  const generation = useRef(0)
  const newest = useRef<number | null>(null)
  const busy = useRef(false)

  // The search box settles before it asks the engine.
  useEffect(() => {
    const h = setTimeout(() => setSearch(q.trim()), 250)
    return () => clearTimeout(h)
  }, [q])

  const filters: Filters = { channel, level, status: st, search }
  const key = JSON.stringify([filters, day])

  // A new filter or day: the newest page of what matches, from the store.
  useEffect(() => {
    const gen = ++generation.current
    const f = JSON.parse(key) as [Filters, string | null]
    const bounds = f[1] ? dayBounds(f[1]) : null
    busy.current = true
    call('browseLog', { limit: PAGE, ...request(f[0]), ...(bounds ?? {}) })
      .then(
        (page) => {
          if (gen !== generation.current) return
          setRows(page.rows)
          setHasMore(page.hasMore)
          setOldestAt(page.oldestAt)
          setLoaded(true)
          newest.current = page.rows[0]?.id ?? newest.current ?? 0
        },
        (e: unknown) => setError(errorText(e)),
      )
      .finally(() => {
        if (gen === generation.current) busy.current = false
      })
  }, [key, setError])

  // Live: what arrived after the newest line shown, every second and on every pushed log event.
  const pull = useCallback(async () => {
    if (day !== null || frozen || busy.current) return
    const gen = generation.current
    const after = newest.current
    if (after === null) return
    busy.current = true
    try {
      const page = await call('browseLog', { limit: 1000, afterId: after, ...request(filters) })
      if (gen !== generation.current) return
      if (page.hasMore) {
        // A burst larger than one read: the newest page again, rather than a gap.
        const fresh = await call('browseLog', { limit: PAGE, ...request(filters) })
        if (gen !== generation.current) return
        setRows(fresh.rows)
        setHasMore(fresh.hasMore)
        newest.current = fresh.rows[0]?.id ?? after
        return
      }
      if (page.rows.length === 0) return
      newest.current = page.rows[0]!.id
      setRows((cur) => {
        const seen = new Set(cur.map((r) => r.id))
        const add = page.rows.filter((r) => !seen.has(r.id))
        const next = [...add, ...cur]
        if (next.length > MAX_ROWS) setHasMore(true)
        return next.slice(0, MAX_ROWS)
      })
    } catch {
      // The status poll reports a lost engine; the list keeps what it has.
    } finally {
      if (gen === generation.current) busy.current = false
    }
    // filters is rebuilt every render; key carries its identity.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, day, frozen])

  useEffect(() => {
    const timer = setInterval(() => void pull(), LIVE_MS)
    return () => clearInterval(timer)
  }, [pull])
  useEffect(() => {
    void pull()
  }, [logTick, pull])

  const older = async () => {
    const last = rows[rows.length - 1]
    if (!last) return
    const gen = generation.current
    const bounds = day ? dayBounds(day) : null
    try {
      const page = await call('browseLog', {
        limit: PAGE,
        beforeId: last.id,
        ...request(filters),
        ...(bounds ?? {}),
      })
      if (gen !== generation.current) return
      setRows((cur) => [...cur, ...page.rows])
      setHasMore(page.hasMore)
    } catch (e) {
      setError(errorText(e))
    }
  }

  const scroller = useRef<HTMLDivElement>(null)
  // The virtualizer's functions change every render by design; this component is not auto-memoized.
  // eslint-disable-next-line react-hooks/incompatible-library
  const v = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => LOG_ROW_PX,
    getItemKey: (i) => rows[i]?.id ?? i,
    overscan: 12,
    // The sticky header row sits above the rows inside the same scroller.
    scrollMargin: LOG_ROW_PX,
  })
  const exportCsv = async () => {
    try {
      const r = await call('exportLogCsv', request(filters))
      downloadText('lastunit-log.csv', r.csv)
    } catch (e) {
      setError(errorText(e))
    }
  }
  const today = isoDay(Date.now())
  return (
    <section aria-labelledby="log-title" className="log">
      <h1 id="log-title">{t.title}</h1>
      <p className="muted">{t.intro}</p>
      <div className="filters">
        <label htmlFor={`${id}-ch`}>{t.channel}</label>
        <select id={`${id}-ch`} value={channel} onChange={(e) => setChannel(e.target.value)}>
          <option value="">{t.all}</option>
          {(status?.channels ?? []).map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-lv`}>{t.level}</label>
        <select id={`${id}-lv`} value={level} onChange={(e) => setLevel(e.target.value as LogLevel | '')}>
          <option value="">{t.all}</option>
          {LEVELS.map((l) => (
            <option key={l} value={l}>
              {t.levels[l]}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-st`}>{t.status}</label>
        <select id={`${id}-st`} value={st} onChange={(e) => setSt(e.target.value)}>
          <option value="">{t.all}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t.statuses[s]}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-q`}>{t.search}</label>
        <input
          id={`${id}-q`}
          type="search"
          value={q}
          placeholder={t.searchPlaceholder}
          onChange={(e) => setQ(e.target.value)}
        />
      </div>
      <div className="filters">
        <label htmlFor={`${id}-day`}>{t.history}</label>
        <input
          id={`${id}-day`}
          type="date"
          value={day ?? today}
          max={today}
          min={oldestAt !== null ? isoDay(oldestAt) : undefined}
          aria-describedby={`${id}-day-hint`}
          onChange={(e) => setDay(e.target.value && e.target.value !== today ? e.target.value : null)}
        />
        <span id={`${id}-day-hint`} className="muted small-text">
          {t.historyHint}
        </span>
        {day !== null ? (
          <button type="button" onClick={() => setDay(null)}>
            {t.backToLive}
          </button>
        ) : (
          <button type="button" aria-pressed={frozen} title={t.freezeHint} onClick={() => setFrozen(!frozen)}>
            {frozen ? t.unfreeze : t.freeze}
          </button>
        )}
        <button type="button" onClick={() => void exportCsv()}>
          {t.export}
        </button>
      </div>
      <p className="muted" aria-live="off" data-testid="log-count">
        {day !== null
          ? t.historyOf(new Date(dayBounds(day).from).toLocaleDateString())
          : frozen
            ? t.frozen
            : t.live}{' '}
        · {t.shown(rows.length, hasMore)}
      </p>
      {loaded && rows.length === 0 ? <p data-testid="log-empty">{t.empty}</p> : null}
      <div className="vtable log-table">
        <div
          ref={scroller}
          className="vbody"
          tabIndex={0}
          data-testid="log-rows"
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
          <div role="rowgroup" ref={heightRef(v.getTotalSize())} className="vspacer">
            {v.getVirtualItems().map((item) => {
              const e = rows[item.index]
              if (!e) return null
              return (
                <div
                  key={e.id}
                  role="row"
                  aria-rowindex={item.index + 2}
                  className={`vrow level-${e.level}`}
                  data-testid="log-row"
                  ref={offsetRef(item.start - LOG_ROW_PX)}
                >
                  <span role="cell" className="mono" title={new Date(e.at).toLocaleString()}>
                    {new Date(e.at).toLocaleTimeString()}
                  </span>
                  <span role="cell">{t.levels[e.level]}</span>
                  <span role="cell" title={e.channelName ?? undefined}>
                    {e.channelName ?? '–'}
                  </span>
                  <span
                    role="cell"
                    title={[e.sku, e.productName].filter(Boolean).join(' ') || e.listingId || undefined}
                  >
                    {e.sku || e.productName ? (
                      <>
                        <span className="mono">{e.sku}</span> {e.productName}
                      </>
                    ) : (
                      '–'
                    )}
                  </span>
                  <span role="cell">{e.statusLabel ?? ''}</span>
                  <span role="cell" className="ellipsis" title={`${e.text}\n${e.message}`}>
                    {e.text}
                  </span>
                </div>
              )
            })}
          </div>
        </div>
      </div>
      {hasMore ? (
        <button type="button" onClick={() => void older()}>
          {t.older}
        </button>
      ) : null}
    </section>
  )
}
