import { useEffect, useId, useState } from 'react'
import type { ChannelSummaryDto, WarehousesDto } from '../../../../shared/dto'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { call } from '../../lib/api'
import { strings } from '../../strings'
import { errorText, useAppStore } from '../../stores/app-store'

const t = strings.warehouses

const sameSet = (a: ReadonlySet<number>, b: ReadonlySet<number>) =>
  a.size === b.size && [...a].every((x) => b.has(x))

export function Warehouses() {
  const id = useId()
  const setError = useAppStore((s) => s.setError)
  const reload = useAppStore((s) => s.load)
  // Every configured channel, syncing or not: locations are chosen before a channel goes live.
  const [channels, setChannels] = useState<ChannelSummaryDto[]>([])
  const [loaded, setLoaded] = useState(false)
  useEffect(() => {
    call('listChannels', {}).then(
      (cs) => {
        setChannels(cs)
        setLoaded(true)
      },
      (e: unknown) => setError(errorText(e)),
    )
  }, [setError])
  const [picked, setChannel] = useState('')
  const channel = picked || channels[0]?.id || ''
  const channelName = channels.find((c) => c.id === channel)?.name ?? channel
  /** What is saved, as Odoo's tree with the saved selection's problems. */
  const [data, setData] = useState<WarehousesDto | null>(null)
  /** The seller's ticks, saved or not, and their problems (checked as they tick, before saving). */
  const [chosen, setChosen] = useState<Set<number>>(new Set())
  const [check, setCheck] = useState<WarehousesDto | null>(null)
  const [saved, setSaved] = useState(false)
  const [confirm, setConfirm] = useState(false)
  const take = (d: WarehousesDto) => {
    setData(d)
    setCheck(d)
    setChosen(new Set(d.locations.filter((l) => l.selected).map((l) => l.id)))
  }
  useEffect(() => {
    if (!channel) return
    call('getWarehouses', { channelId: channel }).then(take, (e: unknown) => setError(errorText(e)))
  }, [channel, setError])
  const savedSet = new Set((data?.locations ?? []).filter((l) => l.selected).map((l) => l.id))
  const dirty = data !== null && !sameSet(savedSet, chosen)
  // The pending ticks are checked by the same rules as a saved selection, before they count.
  const chosenKey = [...chosen].sort((a, b) => a - b).join(',')
  useEffect(() => {
    if (!channel || !dirty) return
    const h = setTimeout(() => {
      call('validateWarehouses', {
        channelId: channel,
        locationIds: chosenKey ? chosenKey.split(',').map(Number) : [],
      }).then(setCheck, (e: unknown) => setError(errorText(e)))
    }, 150)
    return () => clearTimeout(h)
  }, [channel, chosenKey, dirty, setError])
  if (loaded && channels.length === 0)
    return (
      <section aria-labelledby="wh-title">
        <h1 id="wh-title">{t.title}</h1>
        <p>{t.noChannels}</p>
      </section>
    )
  const view = dirty ? check : data
  const problems = view?.problems ?? []
  const flags = new Map((view?.locations ?? []).map((l) => [l.id, l.flag]))
  const reread = () =>
    call('getWarehouses', { channelId: channel, refresh: true }).then(take, (e: unknown) =>
      setError(errorText(e)),
    )
  /** The ticks are checked as they are now, whatever check is still on its way; a wrong selection asks first. */
  const trySave = async () => {
    try {
      const v = await call('validateWarehouses', { channelId: channel, locationIds: [...chosen] })
      setCheck(v)
      if (v.problems.length > 0) setConfirm(true)
      else await save()
    } catch (e) {
      setError(errorText(e))
    }
  }
  const save = async () => {
    setConfirm(false)
    try {
      take(await call('setWarehouses', { channelId: channel, locationIds: [...chosen] }))
      setSaved(true)
      void reload()
    } catch (e) {
      setError(errorText(e))
    }
  }
  return (
    <section aria-labelledby="wh-title">
      <h1 id="wh-title">{t.title}</h1>
      <p className="muted">{t.intro}</p>
      <label htmlFor={`${id}-ch`}>{t.channel}</label>{' '}
      <select
        id={`${id}-ch`}
        value={channel}
        onChange={(e) => {
          setChannel(e.target.value)
          setSaved(false)
        }}
      >
        {channels.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      {data && data.locations.length === 0 ? <p>{t.noLocations}</p> : null}
      {data && data.locations.length > 0 ? (
        <>
          {problems.length > 0 ? (
            <div className="banner banner-warn" role="alert" data-testid="warehouse-problems">
              <p>{dirty ? t.pendingProblems : t.savedProblems}</p>
              <ul>
                {problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            </div>
          ) : (
            <p className="ok-text" data-testid="warehouse-ok">
              {dirty ? t.okPending : t.ok}
            </p>
          )}
          <fieldset className="panel tree">
            <legend>
              {t.channel}: {channelName}
            </legend>
            <ul>
              {data.locations.map((l) => {
                const flag = chosen.has(l.id) ? (flags.get(l.id) ?? null) : null
                return (
                  <li
                    key={l.id}
                    className={`depth-${Math.min(l.depth, 6)} ${l.usage !== 'internal' ? 'virtual' : ''}`}
                  >
                    <label>
                      <input
                        type="checkbox"
                        checked={chosen.has(l.id)}
                        onChange={(e) => {
                          const next = new Set(chosen)
                          if (e.target.checked) next.add(l.id)
                          else next.delete(l.id)
                          setChosen(next)
                          setSaved(false)
                        }}
                      />{' '}
                      {l.name} <small className="muted">{l.usage === 'internal' ? '' : `(${l.usage})`}</small>
                    </label>
                    {flag ? <span className="flag">{t.flag[flag]}</span> : null}
                  </li>
                )
              })}
            </ul>
          </fieldset>
          <button type="button" className="primary" onClick={() => void trySave()}>
            {t.save}
          </button>{' '}
          <button type="button" onClick={() => void reread()}>
            {t.reread}
          </button>{' '}
          {saved && !dirty ? (
            <span role="status" className="ok-text">
              {t.saved}
            </span>
          ) : dirty ? (
            <span className="muted">{t.unsaved}</span>
          ) : null}
        </>
      ) : null}
      <ConfirmDialog
        open={confirm}
        title={t.confirmTitle}
        confirm={t.confirmSave}
        cancel={t.confirmCancel}
        danger
        onConfirm={() => void save()}
        onCancel={() => setConfirm(false)}
      >
        <p>{t.confirmBody}</p>
        <ul>
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      </ConfirmDialog>
    </section>
  )
}
