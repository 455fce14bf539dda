import { useCallback, useEffect, useId, useState } from 'react'
import type { FirstPushReviewDto, ResyncOverviewDto } from '../../../../shared/dto'
import { call } from '../../lib/api'
import { strings } from '../../strings'
import { errorText, useAppStore } from '../../stores/app-store'

const t = strings.resync
const POLL_MS = 500

export function Resync() {
  const id = useId()
  const status = useAppStore((s) => s.status)
  const pushed = useAppStore((s) => s.resync)
  const setError = useAppStore((s) => s.setError)
  const [channel, setChannel] = useState('')
  const [overview, setOverview] = useState<ResyncOverviewDto | null>(null)
  const [review, setReview] = useState<FirstPushReviewDto | null>(null)
  const refresh = useCallback(
    () =>
      call('getResync', channel ? { channels: [channel] } : {}).then(setOverview, (e: unknown) =>
        setError(errorText(e)),
      ),
    [channel, setError],
  )
  useEffect(() => {
    void refresh()
    const timer = setInterval(() => void refresh(), POLL_MS)
    return () => clearInterval(timer)
  }, [refresh])
  const run = overview?.run ?? null
  // Pushed progress is fresher than the poll when it belongs to the same run.
  const live = pushed && run && pushed.runId === run.runId && pushed.done >= run.done ? pushed : run
  const pct =
    live && live.total > 0 ? Math.round((100 * live.done) / live.total) : live?.state === 'done' ? 100 : 0
  const estimate = overview?.estimate ?? []
  const listings = estimate.reduce((n, c) => n + c.listings, 0)
  const ms = Math.max(0, ...estimate.map((c) => c.estimatedMs))
  return (
    <section aria-labelledby="resync-title">
      <h1 id="resync-title">{t.title}</h1>
      <p className="muted">{t.intro}</p>
      {(overview?.awaitingConfirmation ?? []).map((c) => (
        <section key={c} className="panel attention" aria-label={`${t.guardTitle}: ${c}`}>
          <h2>
            {t.guardTitle}: {c}
          </h2>
          <p>{t.guardIntro}</p>
          <button
            type="button"
            onClick={() =>
              void call('reviewFirstPush', { channelId: c }).then(setReview, (e: unknown) =>
                setError(errorText(e)),
              )
            }
          >
            {t.review}
          </button>
          {review && review.channelId === c ? (
            <>
              <p>{review.reason}</p>
              <div className="table-wrap short">
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">{t.col.listing}</th>
                      <th scope="col">{t.col.before}</th>
                      <th scope="col">{t.col.after}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {review.diff.slice(0, 500).map((d) => (
                      <tr key={d.listingId} className={d.after === 0 ? 'to-zero' : ''}>
                        <th scope="row" className="mono">
                          {d.listingId}
                        </th>
                        <td className="num">{d.before ?? t.unknown}</td>
                        <td className="num">{d.after}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <button
                type="button"
                className="primary"
                onClick={() =>
                  void call('confirmFirstPush', { channelId: c }).then(
                    () => {
                      setReview(null)
                      void refresh()
                    },
                    (e: unknown) => setError(errorText(e)),
                  )
                }
              >
                {t.confirm}
              </button>
            </>
          ) : null}
        </section>
      ))}
      <section className="panel">
        <div className="inline-form">
          <label htmlFor={`${id}-ch`}>{t.channels}</label>
          <select id={`${id}-ch`} value={channel} onChange={(e) => setChannel(e.target.value)}>
            <option value="">{t.all}</option>
            {(status?.channels ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="primary"
            disabled={!status?.engineRunning || run?.state === 'running'}
            onClick={() =>
              void call('startResync', channel ? { channels: [channel] } : {}).then(refresh, (e: unknown) =>
                setError(errorText(e)),
              )
            }
          >
            {t.start}
          </button>
        </div>
        {listings > 0 ? <p className="muted">{t.estimate(listings, ms / 1000)}</p> : null}
      </section>
      <section className="panel" aria-labelledby={`${id}-progress`}>
        <h2 id={`${id}-progress`}>{t.progress}</h2>
        {!live ? (
          <p>{t.none}</p>
        ) : (
          <>
            <progress
              max={100}
              value={pct}
              aria-label={t.progress}
              aria-valuetext={`${pct}%`}
              data-testid="resync-progress"
            />
            <p role="status" data-testid="resync-state">
              <strong>{t.states[live.state]}</strong> · {pct}% · {t.done(live.done, live.total)}
              {live.state === 'running' && live.etaMs !== null ? ` · ${t.eta(live.etaMs / 1000)}` : ''}
            </p>
            {live.state === 'running' ? (
              <button
                type="button"
                onClick={() =>
                  void call('cancelResync', { runId: live.runId }).then(refresh, (e: unknown) =>
                    setError(errorText(e)),
                  )
                }
              >
                {t.cancel}
              </button>
            ) : null}
          </>
        )}
      </section>
    </section>
  )
}
