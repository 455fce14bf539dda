import { useCallback, useEffect, useId, useState } from 'react'
import type {
  ChecklistProgressDto,
  ChecklistRunDto,
  CheckResultDto,
  ReturnTestDto,
  ZeroStockCandidateDto,
} from '../../../../shared/dto'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { strings } from '../../strings'
import { errorText, useAppStore, type Screen } from '../../stores/app-store'
import { call } from '../../lib/api'

const t = strings.checklist
const PROGRESS_MS = 500
const RETURN_MS = 2000

const label = (c: { sku: string | null; productName: string | null; listingId?: string }) =>
  [c.sku, c.productName].filter(Boolean).join(' ') || c.listingId || ''

/** Progress of a run of checks: its steps, and the time it has taken against what it usually takes. */
function RunProgress({ p, now }: { p: ChecklistProgressDto; now: number }) {
  const elapsed = p.startedAt ? Math.max(0, now - p.startedAt) : 0
  const done = p.steps.filter((s) => s.state === 'done').length
  // Time and steps both count; never 100% until the run has answered.
  const pct = Math.min(
    95,
    Math.round(Math.max((100 * elapsed) / p.expectedMs, (100 * done) / p.steps.length)),
  )
  return (
    <div className="panel check-progress" data-testid="check-progress">
      <progress max={100} value={pct} aria-label={t.progress} aria-valuetext={`${pct}%`} />
      <p className="muted">{t.elapsed(elapsed / 1000, p.expectedMs / 1000)}</p>
      <ol className="check-progress-steps">
        {p.steps.map((s) => (
          <li key={s.label} className={`step-${s.state}`}>
            {s.label} <span className="muted">({t.stepState[s.state]})</span>
          </li>
        ))}
      </ol>
    </div>
  )
}

function ZeroStockTest({
  channelId,
  channelName,
  busy,
  onRun,
}: {
  channelId: string
  channelName: string
  busy: boolean
  onRun: (listingId: string) => void
}) {
  const id = useId()
  const [candidates, setCandidates] = useState<ZeroStockCandidateDto[]>([])
  const [pick, setPick] = useState('')
  const [ask, setAsk] = useState(false)
  useEffect(() => {
    call('zeroStockCandidates', { channelId }).then(setCandidates, () => setCandidates([]))
  }, [channelId])
  const listingId = pick || candidates[0]?.listingId || ''
  const chosen = candidates.find((c) => c.listingId === listingId)
  return (
    <div className="inline-form">
      <label htmlFor={`${id}-l`}>
        {t.zeroStockListing}
        <select id={`${id}-l`} value={listingId} onChange={(e) => setPick(e.target.value)}>
          {candidates.map((c) => (
            <option key={c.listingId} value={c.listingId}>
              {label(c)} (
              {c.published === null
                ? strings.mapping.publishedNone
                : `${strings.mapping.published.toLowerCase()} ${c.published}`}
              )
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="primary" disabled={busy || !listingId} onClick={() => setAsk(true)}>
        {busy ? t.checking : t.zeroStockTest}
      </button>
      <ConfirmDialog
        open={ask}
        title={t.zeroStockConfirmTitle}
        confirm={t.zeroStockConfirm}
        cancel={t.zeroStockCancel}
        danger
        onConfirm={() => {
          setAsk(false)
          onRun(listingId)
        }}
        onCancel={() => setAsk(false)}
      >
        <p>
          {t.zeroStockConfirmBody(
            chosen ? label(chosen) : listingId,
            channelName,
            chosen?.published !== null && chosen?.published !== undefined
              ? String(chosen.published)
              : 'what it showed',
          )}
        </p>
      </ConfirmDialog>
    </div>
  )
}

/** The guided checklist: one check at a time, its evidence, the concrete fix, and the go-live guard. */
export function Checklist() {
  const go = useAppStore((s) => s.go)
  const [channels, setChannels] = useState<{ id: string; name: string; state: string }[]>([])
  const [channelId, setChannelId] = useState<string | null>(null)
  const [run, setRun] = useState<ChecklistRunDto | null>(null)
  const [selected, setSelected] = useState(0)
  const [busy, setBusy] = useState<string | null>(null)
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null)
  const [steps, setSteps] = useState<string[]>([])
  const [reason, setReason] = useState('')
  const [progress, setProgress] = useState<ChecklistProgressDto | null>(null)
  const [now, setNow] = useState(() => Date.now())
  const [ret, setRet] = useState<ReturnTestDto | null>(null)

  useEffect(() => {
    void call('listChannels', {}).then(
      (list) => {
        setChannels(list.map((c) => ({ id: c.id, name: c.name, state: c.state })))
        // Channels still in setup come first: they are the ones the checklist is for.
        const first = list.find((c) => c.state === 'setup') ?? list[0]
        if (first) setChannelId((cur) => cur ?? first.id)
      },
      (e: unknown) => setMessage({ ok: false, text: errorText(e) }),
    )
  }, [])

  useEffect(() => {
    if (!channelId) return
    void call('getChecklist', { channelId }).then(setRun, (e: unknown) =>
      setMessage({ ok: false, text: errorText(e) }),
    )
    void call('returnTestStatus', { channelId }).then(setRet, () => setRet(null))
  }, [channelId])

  // While checks run: their progress, twice a second.
  useEffect(() => {
    if (busy !== 'recheck' || !channelId) return
    const tick = () => {
      setNow(Date.now())
      void call('checklistProgress', { channelId }).then(setProgress, () => undefined)
    }
    tick()
    const timer = setInterval(tick, PROGRESS_MS)
    return () => clearInterval(timer)
  }, [busy, channelId])

  // While the return test waits for the seller's return in Odoo: its state every 2 s.
  const waiting = ret?.state === 'waiting'
  useEffect(() => {
    if (!waiting || !channelId) return
    const timer = setInterval(() => {
      setNow(Date.now())
      void call('returnTestStatus', { channelId }).then(
        (r) => {
          setRet(r)
          if (r.run) setRun(r.run)
        },
        () => undefined,
      )
    }, RETURN_MS)
    return () => clearInterval(timer)
  }, [waiting, channelId])

  const act = useCallback(async (what: string, fn: () => Promise<void>) => {
    setBusy(what)
    setMessage(null)
    try {
      await fn()
    } catch (e) {
      setMessage({ ok: false, text: errorText(e) })
    } finally {
      setBusy(null)
      setProgress(null)
    }
  }, [])

  if (channels.length === 0)
    return (
      <section aria-labelledby="checklist-title">
        <h1 id="checklist-title">{t.title}</h1>
        <p>{t.noChannels}</p>
      </section>
    )

  const results = run?.results ?? []
  const current: CheckResultDto | undefined = results[selected]
  const failing = results.filter((r) => r.status !== 'pass' && r.status !== 'overridden').length
  const channelName = channels.find((c) => c.id === channelId)?.name ?? channelId ?? ''
  const product = ret ? label({ sku: ret.sku, productName: ret.productName }) || `#${ret.productId}` : ''

  return (
    <section aria-labelledby="checklist-title" className="checklist-screen">
      <h1 id="checklist-title">{t.title}</h1>
      <p className="muted">{t.intro}</p>
      <div className="toolbar">
        <label>
          {t.channel}{' '}
          <select
            value={channelId ?? ''}
            onChange={(e) => {
              setSteps([])
              setSelected(0)
              setChannelId(e.target.value)
            }}
          >
            {channels.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({strings.connections.stateName[c.state as 'setup' | 'live' | 'disabled'] ?? c.state}
                )
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="primary"
          disabled={busy !== null || !channelId}
          onClick={() =>
            void act('recheck', async () => setRun(await call('runChecklist', { channelId: channelId! })))
          }
        >
          {busy === 'recheck' ? t.checking : t.recheck}
        </button>
      </div>
      {busy === 'recheck' && progress ? <RunProgress p={progress} now={now} /> : null}
      {message ? (
        <div
          className={`banner ${message.ok ? 'banner-ok' : 'banner-error'}`}
          role={message.ok ? 'status' : 'alert'}
        >
          {message.text}
        </div>
      ) : null}
      <div className="checklist-layout">
        <ol className="checklist-steps" aria-label={t.steps}>
          {results.map((r, i) => (
            <li key={r.id}>
              <button
                type="button"
                className={`check-step check-${r.status}${i === selected ? ' active' : ''}`}
                aria-current={i === selected ? 'step' : undefined}
                onClick={() => setSelected(i)}
              >
                <span className="check-badge">{t.status[r.status]}</span>
                <span>{r.title}</span>
              </button>
            </li>
          ))}
        </ol>
        {current ? (
          <article className="check-detail card" aria-labelledby="check-title" data-testid="check-detail">
            <p className="muted">{t.step(selected + 1, results.length)}</p>
            <h2 id="check-title">
              {current.title}{' '}
              <span className={`check-badge check-${current.status}`}>{t.status[current.status]}</span>
            </h2>
            {current.stale ? <p className="banner banner-warn">{t.stale}</p> : null}
            <h3>{t.why}</h3>
            <p>{current.why}</p>
            <h3>{t.evidence}</h3>
            <p>{current.evidence || t.notChecked}</p>
            {current.checkedAt > 0 ? (
              <p className="muted">{t.checkedAt(new Date(current.checkedAt).toLocaleString())}</p>
            ) : null}
            {current.fix ? (
              <>
                <h3>{t.fix}</h3>
                <p data-testid="check-fix">{current.fix}</p>
              </>
            ) : null}
            <div className="toolbar">
              {current.screen !== 'checklist' ? (
                <button type="button" onClick={() => go(current.screen as Screen)}>
                  {t.open} {strings.nav[current.screen as Exclude<typeof current.screen, 'checklist'>]}
                </button>
              ) : null}
              {current.id === 'single_source' && current.status === 'warn' ? (
                <button
                  type="button"
                  className="primary"
                  disabled={busy !== null}
                  onClick={() =>
                    void act('confirm', async () =>
                      setRun(await call('confirmSingleSource', { channelId: channelId! })),
                    )
                  }
                >
                  {t.confirmSingleSource}
                </button>
              ) : null}
            </div>
            {current.id === 'zero_stock' && channelId ? (
              <>
                <p className="muted">{t.zeroStockHint}</p>
                <ZeroStockTest
                  channelId={channelId}
                  channelName={channelName}
                  busy={busy !== null}
                  onRun={(listingId) =>
                    void act('zero', async () => {
                      const r = await call('runZeroStockTest', { channelId, listingId })
                      setSteps(r.steps)
                      setRun(r.run)
                    })
                  }
                />
              </>
            ) : null}
            {current.id === 'return_restock' && channelId ? (
              <>
                <p className="muted">{t.returnHint}</p>
                {waiting && ret ? (
                  <div className="banner banner-warn" role="status" data-testid="return-waiting">
                    <p>
                      <strong>{t.returnWaiting(product, Math.round(ret.timeoutMs / 60_000))}</strong>
                    </p>
                    {ret.listedOn.length > 0 ? <p>{t.returnListedOn(ret.listedOn.join(', '))}</p> : null}
                    <p>{t.returnElapsed(ret.startedAt ? (now - ret.startedAt) / 1000 : 0)}</p>
                    <button
                      type="button"
                      onClick={() =>
                        void call('cancelReturnTest', { channelId }).then(setRet, () => undefined)
                      }
                    >
                      {t.returnCancel}
                    </button>
                  </div>
                ) : (
                  <button
                    type="button"
                    className="primary"
                    disabled={busy !== null}
                    onClick={() =>
                      void act('return', async () => {
                        setRet(await call('startReturnTest', { channelId }))
                        setNow(Date.now())
                      })
                    }
                  >
                    {t.returnTest}
                  </button>
                )}
                {ret && (ret.state === 'passed' || ret.state === 'failed') ? (
                  <div
                    className={`banner ${ret.state === 'passed' ? 'banner-ok' : 'banner-error'}`}
                    role="status"
                  >
                    <p>{ret.state === 'passed' ? t.returnPassed : t.returnFailed}</p>
                    <ol className="test-steps">
                      {ret.steps.map((s, i) => (
                        <li key={i}>{s}</li>
                      ))}
                    </ol>
                  </div>
                ) : null}
              </>
            ) : null}
            {steps.length > 0 && current.id === 'zero_stock' ? (
              <ol className="test-steps">
                {steps.map((s, i) => (
                  <li key={i}>{s}</li>
                ))}
              </ol>
            ) : null}
          </article>
        ) : null}
      </div>
      {run ? (
        <section className="card go-live" aria-labelledby="go-live-title">
          <h2 id="go-live-title">{t.goLive}</h2>
          {run.channelState === 'live' ? (
            <p>{t.live}</p>
          ) : run.channelState === 'disabled' ? (
            <p>{t.disabled}</p>
          ) : failing === 0 ? (
            <button
              type="button"
              className="primary"
              disabled={busy !== null}
              onClick={() =>
                void act('live', async () => {
                  const r = await call('goLive', { channelId: channelId! })
                  setRun(r.run)
                  setMessage({ ok: r.live, text: r.message })
                })
              }
            >
              {t.goLive}
            </button>
          ) : (
            <>
              <label htmlFor="override-reason">{t.overrideLabel}</label>
              <textarea
                id="override-reason"
                rows={2}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
              />
              <button
                type="button"
                disabled={busy !== null || reason.trim().length < 10}
                onClick={() =>
                  void act('live', async () => {
                    const r = await call('goLive', { channelId: channelId!, overrideReason: reason.trim() })
                    setRun(r.run)
                    setMessage({ ok: r.live, text: r.message })
                  })
                }
              >
                {t.goLiveAnyway}
              </button>
            </>
          )}
        </section>
      ) : null}
    </section>
  )
}
