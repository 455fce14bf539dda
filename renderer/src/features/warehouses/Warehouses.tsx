import { useEffect, useId, useState } from 'react'
import type { ChannelSummaryDto, WarehousesDto } from '../../../../shared/dto'
import { call } from '../../lib/api'
import { strings } from '../../strings'
import { errorText, useAppStore } from '../../stores/app-store'

const t = strings.warehouses

export function Warehouses() {
  const id = useId()
  const setError = useAppStore((s) => s.setError)
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
  const [data, setData] = useState<WarehousesDto | null>(null)
  const [chosen, setChosen] = useState<Set<number>>(new Set())
  const [saved, setSaved] = useState(false)
  useEffect(() => {
    if (!channel) return
    call('getWarehouses', { channelId: channel }).then(
      (d) => {
        setData(d)
        setChosen(new Set(d.locations.filter((l) => l.selected).map((l) => l.id)))
      },
      (e: unknown) => setError(errorText(e)),
    )
  }, [channel, setError])
  if (loaded && channels.length === 0)
    return (
      <section aria-labelledby="wh-title">
        <h1 id="wh-title">{t.title}</h1>
        <p>{t.noChannels}</p>
      </section>
    )
  const reread = () =>
    call('getWarehouses', { channelId: channel, refresh: true }).then(
      (d) => {
        setData(d)
        setChosen(new Set(d.locations.filter((l) => l.selected).map((l) => l.id)))
      },
      (e: unknown) => setError(errorText(e)),
    )
  const save = async () => {
    try {
      const d = await call('setWarehouses', { channelId: channel, locationIds: [...chosen] })
      setData(d)
      setSaved(true)
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
          {data.problems.length > 0 ? (
            <div className="banner banner-warn" role="alert" data-testid="warehouse-problems">
              <ul>
                {data.problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            </div>
          ) : (
            <p className="ok-text">{t.ok}</p>
          )}
          <fieldset className="panel tree">
            <legend>
              {t.channel}: {channel}
            </legend>
            <ul>
              {data.locations.map((l) => (
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
                  {l.flag ? <span className="flag">{t.flag[l.flag]}</span> : null}
                </li>
              ))}
            </ul>
          </fieldset>
          <button type="button" className="primary" onClick={() => void save()}>
            {t.save}
          </button>{' '}
          <button type="button" onClick={() => void reread()}>
            {t.reread}
          </button>{' '}
          {saved ? (
            <span role="status" className="ok-text">
              {t.saved}
            </span>
          ) : null}
        </>
      ) : null}
    </section>
  )
}
