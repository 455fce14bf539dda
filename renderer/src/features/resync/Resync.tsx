import { useCallback, useEffect, useId, useState } from 'react'
import type { FirstPushReviewDto, ResyncOverviewDto } from '../../../../shared/dto'
import { call } from '../../lib/api'
import { strings } from '../../strings'
import { errorText, useAppStore } from '../../stores/app-store'
import { forward } from './resync-progress'

const t = strings.resync
const POLL_MS = 500

const pctOf = (done: number, total: number) => (total > 0 ? Math.floor((100 * done) / total) : 100)

function DryRun({ channels }: { channels: NonNullable<ResyncOverviewDto['channels']> }) {
  const id = useId()
  const setError = useAppStore((s) => s.setError)
  const [channel, setChannel] = useState('')
  const [review, setReview] = useState<FirstPushReviewDto | null>(null)
  const [busy, setBusy] = useState(false)
  const picked = channel || channels[0]?.channelId || ''
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t.dryRunTitle}</h2>
      <p className="muted">{t.dryRunIntro}</p>
      <div className="inline-form">
        <label htmlFor={`${id}-ch`}>{t.dryRunChannel}</label>
        <select
          id={`${id}-ch`}
          value={picked}
          onChange={(e) => {
            setChannel(e.target.value)
            setReview(null)
          }}
        >
          {channels.map((c) => (
            <option key={c.channelId} value={c.channelId}>
              {c.name}
            </option>
          ))}
        </select>
        <button
          type="button"
          disabled={!picked || busy}
          onClick={() => {
            setBusy(true)
            call('reviewFirstPush', { channelId: picked })
              .then(setReview, (e: unknown) => setError(errorText(e)))
              .finally(() => setBusy(false))
          }}
        >
          {busy ? strings.common.loading : t.dryRunShow}
        </button>
      </div>
      {review ? <Diff review={review} /> : null}
    </section>
  )
}

function Diff({ review }: { review: FirstPushReviewDto }) {
  const zero = review.diff.filter((d) => d.after === 0).length
  return (
    <>
      <p data-testid="dry-run-summary">
        {review.reason} {t.dryRunCount(review.diff.length, zero)}
      </p>
      <div className="table-wrap short" tabIndex={0} aria-label={t.dryRunTitle}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t.col.product}</th>
              <th scope="col">{t.col.listing}</th>
              <th scope="col">{t.col.before}</th>
              <th scope="col">{t.col.after}</th>
            </tr>
          </thead>
          <tbody>
            {review.diff.slice(0, 500).map((d) => (
              <tr key={d.listingId} className={d.after === 0 ? 'to-zero' : ''}>
                <th scope="row">
                  <span className="mono">{d.sku ?? ''}</span> {d.productName ?? ''}
                </th>
                <td className="mono">{d.listingId}</td>
                <td className="num">{d.before ?? t.unknown}</td>
                <td className="num">{d.after}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}

export function Resync() {
  const id = useId()
  const status = useAppStore((s) => s.status)
  const setError = useAppStore((s) => s.setError)
  const [channel, setChannel] = useState('')
  const [overview, setOverview] = useState<ResyncOverviewDto | null>(null)
  const [review, setReview] = useState<FirstPushReviewDto | null>(null)
  const refresh = useCallback(
    () =>
      call('getResync', channel ? { channels: [channel] } : {}).then(
        (next) => setOverview((prev) => ({ ...next, run: forward(prev?.run ?? null, next.run) })),
        (e: unknown) => setError(errorText(e)),
      ),
    [channel, setError],
  )
  useEffect(() => {
    void refresh()
    const timer = setInterval(() => void refresh(), POLL_MS)
    return () => clearInterval(timer)
  }, [refresh])
  const run = overview?.run ?? null
  const bars = run?.progress ?? []
  const done = run?.done ?? 0
  const total = run?.total ?? 0
  const pct = run ? pctOf(done, total) : 0
  const estimate = overview?.estimate ?? []
  const listings = estimate.reduce((n, c) => n + c.listings, 0)
  const ms = Math.max(0, ...estimate.map((c) => c.estimatedMs))
  const channels = overview?.channels ?? []
  const chosen = channels.find((c) => c.channelId === channel)
  const blocked = overview?.unavailable ?? null
  const running = run?.state === 'running'
  return (
    <section aria-labelledby="resync-title">
      <h1 id="resync-title">{t.title}</h1>
      <p className="muted">{t.intro}</p>
      {(overview?.awaitingConfirmation ?? []).map((c) => {
        const name = channels.find((x) => x.channelId === c)?.name ?? c
        return (
          <section key={c} className="panel attention" aria-label={`${t.guardTitle}: ${name}`}>
            <h2>
              {t.guardTitle}: {name}
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
                <Diff review={review} />
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
        )
      })}
      <section className="panel">
        <div className="inline-form">
          <label htmlFor={`${id}-ch`}>{t.channels}</label>
          <select id={`${id}-ch`} value={channel} onChange={(e) => setChannel(e.target.value)}>
            <option value="">{t.all}</option>
            {channels.map((c) => (
              <option key={c.channelId} value={c.channelId}>
                {c.name}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="primary"
            disabled={
              !status?.engineRunning || running || !!blocked || (chosen !== undefined && !chosen.live)
            }
            onClick={() =>
              void call('startResync', channel ? { channels: [channel] } : {}).then(refresh, (e: unknown) =>
                setError(errorText(e)),
              )
            }
          >
            {t.start}
          </button>
        </div>
        {blocked ? (
          <p className="banner banner-warn" role="status" data-testid="resync-unavailable">
            {blocked}
          </p>
        ) : listings > 0 ? (
          <p className="muted">{t.estimate(listings, ms / 1000)}</p>
        ) : null}
      </section>
      <section className="panel" aria-labelledby={`${id}-progress`}>
        <h2 id={`${id}-progress`}>{t.progress}</h2>
        {!run ? (
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
              <strong>{t.states[run.state]}</strong> · {pct}% · {t.done(done, total)}
              {running && run.etaMs !== null
                ? ` · ${t.eta(run.etaMs / 1000)}${run.etaMeasured ? '' : ` (${t.etaFirst})`}`
                : ''}
            </p>
            {bars.length > 0 ? (
              <ul className="channel-bars" data-testid="resync-bars">
                {bars.map((b) => {
                  const p = pctOf(b.done, b.total)
                  return (
                    <li key={b.channelId} data-testid="resync-bar">
                      <span className="bar-name">{b.name}</span>
                      <progress
                        max={100}
                        value={p}
                        aria-label={t.channelBar(b.name)}
                        aria-valuetext={`${p}%`}
                      />
                      <span className="bar-text">
                        {t.done(b.done, b.total)}
                        {running && b.done < b.total
                          ? ` · ${b.etaMs === null ? t.etaUnknown : t.eta(b.etaMs / 1000)}`
                          : ''}
                      </span>
                    </li>
                  )
                })}
              </ul>
            ) : null}
            {run.summary && run.summary.length > 0 ? (
              <div data-testid="resync-summary">
                <h3>{t.summaryTitle}</h3>
                <p>
                  {t.summaryLine(
                    run.summary.reduce((n, c) => n + c.changed, 0),
                    run.summary.reduce((n, c) => n + c.unchanged, 0),
                    run.summary.reduce((n, c) => n + c.failed, 0),
                  )}
                  {run.summary.some((c) => c.failed > 0) ? ` ${t.failedHint}` : ''}
                </p>
                <div className="table-wrap short">
                  <table className="table">
                    <thead>
                      <tr>
                        <th scope="col">{t.summaryCol.channel}</th>
                        <th scope="col">{t.summaryCol.changed}</th>
                        <th scope="col">{t.summaryCol.unchanged}</th>
                        <th scope="col">{t.summaryCol.failed}</th>
                        <th scope="col">{t.summaryCol.open}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {run.summary.map((c) => (
                        <tr key={c.channelId}>
                          <th scope="row">{c.name}</th>
                          <td className="num">{c.changed}</td>
                          <td className="num">{c.unchanged}</td>
                          <td className="num">{c.failed}</td>
                          <td className="num">{c.open}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </div>
            ) : null}
            {running ? (
              <button
                type="button"
                onClick={() =>
                  void call('cancelResync', { runId: run.runId }).then(refresh, (e: unknown) =>
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
      {channels.length > 0 ? <DryRun channels={channels} /> : null}
    </section>
  )
}
