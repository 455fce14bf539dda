import { useId, useMemo, useRef, useState } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import type { LogEntryDto, LogLevel } from '../../../../shared/dto'
import { call } from '../../lib/api'
import { downloadText } from '../../lib/download'
import { heightRef, offsetRef } from '../../lib/css-position'
import { strings } from '../../strings'
import { errorText, useAppStore } from '../../stores/app-store'

const t = strings.log
const ROW = 30
const LEVELS: LogLevel[] = ['debug', 'info', 'warn', 'error']
const STATUSES = Object.keys(t.statuses) as Array<keyof typeof t.statuses>

export function LiveLog() {
  const id = useId()
  const live = useAppStore((s) => s.log)
  const status = useAppStore((s) => s.status)
  const setError = useAppStore((s) => s.setError)
  const [frozen, setFrozen] = useState<LogEntryDto[] | null>(null)
  const [channel, setChannel] = useState('')
  const [level, setLevel] = useState<LogLevel | ''>('')
  const [st, setSt] = useState('')
  const [q, setQ] = useState('')
  const source = frozen ?? live
  const rows = useMemo(() => {
    const needle = q.trim().toLowerCase()
    return source.filter(
      (e) =>
        (!channel || e.channelId === channel) &&
        (!level || e.level === level) &&
        (!st || e.status === st) &&
        (!needle || `${e.listingId ?? ''} ${e.message}`.toLowerCase().includes(needle)),
    )
  }, [source, channel, level, st, q])
  const scroller = useRef<HTMLDivElement>(null)
  // The virtualizer's functions change every render by design; this component is not auto-memoized.
  // eslint-disable-next-line react-hooks/incompatible-library
  const v = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW,
    overscan: 10,
  })
  const exportCsv = async () => {
    try {
      const r = await call('exportLogCsv', {
        ...(channel ? { channelId: channel } : {}),
        ...(level ? { level } : {}),
        ...(st ? { status: st } : {}),
        ...(q.trim() ? { search: q.trim() } : {}),
      })
      downloadText('lastunit-log.csv', r.csv)
    } catch (e) {
      setError(errorText(e))
    }
  }
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
        <input id={`${id}-q`} type="search" value={q} onChange={(e) => setQ(e.target.value)} />
        <button type="button" aria-pressed={frozen !== null} onClick={() => setFrozen(frozen ? null : live)}>
          {frozen ? t.resumeView : t.pauseView}
        </button>
        <button type="button" onClick={() => void exportCsv()}>
          {t.export}
        </button>
      </div>
      <p className="muted" aria-live="off" data-testid="log-count">
        {frozen ? t.paused : t.live} · {t.shown(rows.length)}
      </p>
      {rows.length === 0 ? <p>{t.empty}</p> : null}
      <div className="vtable log-table" role="table" aria-label={t.title}>
        <div className="vrow vhead" role="row" aria-rowindex={1}>
          {(['time', 'level', 'channel', 'listing', 'status', 'message'] as const).map((c) => (
            <span key={c} role="columnheader">
              {t.col[c]}
            </span>
          ))}
        </div>
        <div ref={scroller} className="vbody" role="rowgroup" tabIndex={0} data-testid="log-rows">
          <div ref={heightRef(v.getTotalSize())} className="vspacer">
            {v.getVirtualItems().map((item) => {
              const e = rows[item.index]
              if (!e) return null
              return (
                <div
                  key={e.id}
                  role="row"
                  className={`vrow level-${e.level}`}
                  data-testid="log-row"
                  ref={offsetRef(item.start)}
                >
                  <span role="cell" className="mono">
                    {new Date(e.at).toLocaleTimeString()}
                  </span>
                  <span role="cell">{t.levels[e.level]}</span>
                  <span role="cell">{e.channelId ?? '–'}</span>
                  <span role="cell" className="mono">
                    {e.listingId ?? (e.productId !== null ? `#${e.productId}` : '–')}
                  </span>
                  <span role="cell">{e.status ?? ''}</span>
                  <span role="cell" className="ellipsis" title={e.message}>
                    {e.message}
                  </span>
                </div>
              )
            })}
          </div>
        </div>
      </div>
    </section>
  )
}
