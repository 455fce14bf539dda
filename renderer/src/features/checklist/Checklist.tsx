import { useCallback, useEffect, useState } from 'react'
import type { ChecklistRunDto, CheckResultDto } from '../../../../shared/dto'
import { strings } from '../../strings'
import { useAppStore, type Screen } from '../../stores/app-store'
import { ApiError, call } from '../../lib/api'

const t = strings.checklist

const errorText = (e: unknown) =>
  e instanceof ApiError ? `${e.error.message}${e.error.hint ? ` ${e.error.hint}` : ''}` : String(e)

/** The guided pre-launch checklist: one check at a time, its evidence, the fix, and the go-live guard. */
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
  }, [channelId])

  const act = useCallback(async (label: string, fn: () => Promise<void>) => {
    setBusy(label)
    setMessage(null)
    try {
      await fn()
    } catch (e) {
      setMessage({ ok: false, text: errorText(e) })
    } finally {
      setBusy(null)
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
                {c.name} ({c.state})
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
                <p>{current.fix}</p>
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
              {current.id === 'zero_stock' ? (
                <button
                  type="button"
                  className="primary"
                  disabled={busy !== null}
                  title={t.zeroStockHint}
                  onClick={() =>
                    void act('zero', async () => {
                      const r = await call('runZeroStockTest', { channelId: channelId! })
                      setSteps(r.steps)
                      setRun(r.run)
                    })
                  }
                >
                  {busy === 'zero' ? t.checking : t.zeroStockTest}
                </button>
              ) : null}
              {current.id === 'return_restock' ? (
                <button
                  type="button"
                  className="primary"
                  disabled={busy !== null}
                  title={t.returnHint}
                  onClick={() =>
                    void act('return', async () => {
                      const r = await call('runReturnTest', { channelId: channelId! })
                      setSteps(r.steps)
                      setRun(r.run)
                    })
                  }
                >
                  {busy === 'return' ? t.checking : t.returnTest}
                </button>
              ) : null}
            </div>
            {current.id === 'zero_stock' ? <p className="muted">{t.zeroStockHint}</p> : null}
            {current.id === 'return_restock' ? <p className="muted">{t.returnHint}</p> : null}
            {steps.length > 0 ? (
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
