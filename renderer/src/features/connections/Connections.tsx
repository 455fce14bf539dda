import { useCallback, useEffect, useState } from 'react'
import { CHANNEL_LABELS, ORDER_QUEUE_CHANNELS } from '../../../../shared/channel-types'
import type { OdooChoicesDto, SetupTestDto } from '../../../../shared/connections'
import type { ChannelSummaryDto } from '../../../../shared/dto'
import { call } from '../../lib/api'
import { strings } from '../../strings'
import { errorText, useAppStore } from '../../stores/app-store'
import { ChannelForm, type OdooChoices } from './ChannelForm'
import { FasterOrders } from './FasterOrders'
import { LastTest } from './fields'
import { OdooForm } from './OdooForm'

const t = strings.connections

export function Connections() {
  const setError = useAppStore((s) => s.setError)
  const setUnsaved = useAppStore((s) => s.setUnsaved)
  const now = useAppStore((s) => s.now)
  const [channels, setChannels] = useState<ChannelSummaryDto[]>([])
  const [adding, setAdding] = useState(false)
  const [open, setOpen] = useState<Set<string>>(new Set())
  // The result of the save that added a channel, shown in its row's form.
  const [added, setAdded] = useState<Map<string, SetupTestDto>>(new Map())
  const [choices, setChoices] = useState<OdooChoicesDto | null>(null)
  const [choicesError, setChoicesError] = useState<string | null>(null)
  // Which forms hold changes not saved: leaving the screen asks first.
  const [dirty, setDirty] = useState<ReadonlySet<string>>(new Set())
  const onDirty = useCallback((key: string, isDirty: boolean) => {
    setDirty((d) => {
      if (d.has(key) === isDirty) return d
      const n = new Set(d)
      if (isDirty) n.add(key)
      else n.delete(key)
      return n
    })
  }, [])

  const refresh = useCallback(
    () => call('listChannels', {}).then(setChannels, (e: unknown) => setError(errorText(e))),
    [setError],
  )
  const loadChoices = useCallback((search = '') => {
    setChoicesError(null)
    call('getOdooChoices', { search }).then(
      (c) => setChoices(c),
      (e: unknown) => setChoicesError(errorText(e)),
    )
  }, [])
  useEffect(() => {
    void refresh()
    void call('getOdooConnection', {}).then(
      (c) => {
        if (c) loadChoices()
        else setChoicesError(t.odooNotConnected)
      },
      () => undefined,
    )
  }, [refresh, loadChoices])

  const anyDirty = dirty.size > 0
  useEffect(() => {
    setUnsaved(anyDirty ? strings.nav.connections : null)
    if (!anyDirty) return
    // Closing the window or reloading asks too.
    const warn = (e: BeforeUnloadEvent) => e.preventDefault()
    window.addEventListener('beforeunload', warn)
    return () => window.removeEventListener('beforeunload', warn)
  }, [anyDirty, setUnsaved])
  useEffect(() => () => setUnsaved(null), [setUnsaved])

  const odoo: OdooChoices = { choices, error: choicesError, reload: loadChoices }
  const upsert = (c: ChannelSummaryDto) =>
    setChannels((cs) => (cs.some((x) => x.id === c.id) ? cs.map((x) => (x.id === c.id ? c : x)) : [...cs, c]))

  return (
    <section aria-labelledby="connections-title">
      <h1 id="connections-title">{t.title}</h1>
      <p className="muted">{t.intro}</p>
      <OdooForm onSaved={() => loadChoices()} onDirty={onDirty} />
      <section className="panel" aria-labelledby="channels-title">
        <h2 id="channels-title">{t.channelsTitle}</h2>
        {channels.length === 0 && !adding ? <p className="muted">{t.noChannels}</p> : null}
        {channels.map((c) => (
          <details
            key={c.id}
            className="channel-block"
            data-testid={`channel-row-${c.id}`}
            open={open.has(c.id)}
            onToggle={(e) => {
              const isOpen = (e.currentTarget as HTMLDetailsElement).open
              setOpen((o) => {
                const n = new Set(o)
                if (isOpen) n.add(c.id)
                else n.delete(c.id)
                return n
              })
            }}
          >
            <summary>
              <strong>{c.name}</strong> · {CHANNEL_LABELS[c.type]} · {t.stateName[c.state]} ·{' '}
              <span className={c.credentials.every((x) => x.set) ? 'ok-text' : 'warn-text'}>
                {t.credentialsSection}: {c.credentials.every((x) => x.set) ? t.secretSaved : t.secretUnset}
              </span>{' '}
              · <LastTest test={c.lastTest} now={now} />
            </summary>
            <ChannelForm
              channel={c}
              initialResult={added.get(c.id) ?? null}
              odoo={odoo}
              onSaved={upsert}
              onTested={() => void refresh()}
              dirtyKey={c.id}
              onDirty={onDirty}
            />
            {ORDER_QUEUE_CHANNELS.includes(c.type) ? (
              <FasterOrders channel={c} onSaved={() => void refresh()} />
            ) : null}
          </details>
        ))}
        {adding ? (
          <div className="channel-block">
            <h3>{t.addChannel}</h3>
            <ChannelForm
              channel={null}
              odoo={odoo}
              onSaved={(c, result) => {
                upsert(c)
                setAdded((m) => new Map(m).set(c.id, result))
                setOpen((o) => new Set(o).add(c.id))
                onDirty('new', false)
                setAdding(false)
              }}
              onTested={() => undefined}
              dirtyKey="new"
              onDirty={onDirty}
              onCancel={() => {
                onDirty('new', false)
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
