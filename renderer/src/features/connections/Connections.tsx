import { useEffect, useState } from 'react'
import { CHANNEL_LABELS } from '../../../../shared/channel-types'
import type { ChannelSummaryDto } from '../../../../shared/dto'
import { call } from '../../lib/api'
import { strings } from '../../strings'
import { errorText, useAppStore } from '../../stores/app-store'
import { ChannelForm } from './ChannelForm'
import { OdooForm } from './OdooForm'

const t = strings.connections

export function Connections() {
  const setError = useAppStore((s) => s.setError)
  const [channels, setChannels] = useState<ChannelSummaryDto[]>([])
  const [adding, setAdding] = useState(false)
  useEffect(() => {
    call('listChannels', {}).then(setChannels, (e: unknown) => setError(errorText(e)))
  }, [setError])
  const upsert = (c: ChannelSummaryDto) =>
    setChannels((cs) => (cs.some((x) => x.id === c.id) ? cs.map((x) => (x.id === c.id ? c : x)) : [...cs, c]))
  return (
    <section aria-labelledby="connections-title">
      <h1 id="connections-title">{t.title}</h1>
      <OdooForm />
      <section className="panel" aria-labelledby="channels-title">
        <h2 id="channels-title">{t.channelsTitle}</h2>
        {channels.length === 0 ? <p className="muted">{t.noChannels}</p> : null}
        {channels.map((c) => (
          <details key={c.id} className="channel-block">
            <summary>
              <strong>{c.name}</strong> · {CHANNEL_LABELS[c.type]} · {t.stateName[c.state]} ·{' '}
              {c.credentials.every((x) => x.set) ? t.credentialSet : t.credentialUnset}
            </summary>
            <ChannelForm channel={c} onSaved={upsert} />
          </details>
        ))}
        {adding ? (
          <div className="channel-block">
            <h3>{t.addChannel}</h3>
            <ChannelForm
              channel={null}
              onSaved={(c) => {
                upsert(c)
                setAdding(false)
              }}
            />
          </div>
        ) : (
          <button type="button" onClick={() => setAdding(true)}>
            {t.addChannel}
          </button>
        )}
      </section>
    </section>
  )
}
