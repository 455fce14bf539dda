import { useId, useState } from 'react'
import {
  CHANNEL_CREDENTIAL_FIELDS,
  CHANNEL_ENVIRONMENTS,
  CHANNEL_LABELS,
  CHANNEL_TYPES,
  CHANNEL_ZERO_STOCK_ACTIONS,
  type ChannelEnvironment,
  type ChannelType,
  type ZeroStockAction,
} from '../../../../shared/channel-types'
import type { ChannelSummaryDto, ConnectionTestDto } from '../../../../shared/dto'
import { call } from '../../lib/api'
import { strings } from '../../strings'
import { errorText, useAppStore } from '../../stores/app-store'

const t = strings.connections

export function ChannelForm({
  channel,
  onSaved,
}: {
  channel: ChannelSummaryDto | null
  onSaved: (c: ChannelSummaryDto) => void
}) {
  const id = useId()
  const load = useAppStore((s) => s.load)
  const [type, setType] = useState<ChannelType>(channel?.type ?? 'bol')
  const [cid, setCid] = useState(channel?.id ?? '')
  const [name, setName] = useState(channel?.name ?? '')
  const [environment, setEnvironment] = useState<ChannelEnvironment>(channel?.environment ?? 'production')
  const [baseUrl, setBaseUrl] = useState(channel?.environment === 'custom' ? channel.baseUrl : '')
  const [zero, setZero] = useState<ZeroStockAction>(channel?.zeroStockAction ?? 'push_zero')
  const [orders, setOrders] = useState(channel?.orderImport ?? true)
  const [secrets, setSecrets] = useState<Record<string, string>>({})
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<ConnectionTestDto | null>(null)
  const fields = CHANNEL_CREDENTIAL_FIELDS[type]
  const creds = new Map(channel?.credentials.map((c) => [c.name, c.set]))
  const submit = async (test: boolean) => {
    setBusy(true)
    setResult(null)
    try {
      const saved = await call('saveChannel', {
        id: cid,
        type,
        name: name || CHANNEL_LABELS[type],
        environment,
        ...(environment === 'custom' ? { baseUrl } : {}),
        stockBasis: channel?.stockBasis ?? 'free',
        zeroStockAction: zero,
        orderImport: orders,
        settings: channel?.settings ?? {},
      })
      for (const [n, v] of Object.entries(secrets))
        if (v) await call('setCredential', { owner: saved.id, name: n, value: v })
      setSecrets({})
      const fresh = (await call('listChannels', {})).find((c) => c.id === saved.id) ?? saved
      onSaved(fresh)
      setResult(test ? await call('testConnection', { target: saved.id }) : { ok: true, message: t.saved })
      await load()
    } catch (e) {
      setResult({ ok: false, message: errorText(e) })
    } finally {
      setBusy(false)
    }
  }
  return (
    <form
      className="form-grid"
      aria-label={channel ? channel.name : t.addChannel}
      onSubmit={(e) => {
        e.preventDefault()
        void submit(false)
      }}
    >
      <label htmlFor={`${id}-type`}>{t.channelType}</label>
      <select
        id={`${id}-type`}
        value={type}
        disabled={!!channel}
        onChange={(e) => {
          const v = e.target.value as ChannelType
          setType(v)
          if (!CHANNEL_ZERO_STOCK_ACTIONS[v].includes(zero)) setZero('push_zero')
        }}
      >
        {CHANNEL_TYPES.map((c) => (
          <option key={c} value={c}>
            {CHANNEL_LABELS[c]}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-id`}>{t.channelId}</label>
      <div>
        <input
          id={`${id}-id`}
          required
          pattern="[a-z0-9][a-z0-9\-]{0,39}"
          value={cid}
          disabled={!!channel}
          aria-describedby={`${id}-id-hint`}
          onChange={(e) => setCid(e.target.value)}
        />
        <small id={`${id}-id-hint`} className="muted">
          {t.channelIdHint}
        </small>
      </div>
      <label htmlFor={`${id}-name`}>{t.channelName}</label>
      <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} />
      <label htmlFor={`${id}-env`}>{t.environment}</label>
      <select
        id={`${id}-env`}
        value={environment}
        onChange={(e) => setEnvironment(e.target.value as ChannelEnvironment)}
      >
        {CHANNEL_ENVIRONMENTS.map((e) => (
          <option key={e} value={e}>
            {t.env[e]}
          </option>
        ))}
      </select>
      {environment === 'custom' ? (
        <>
          <label htmlFor={`${id}-base`}>{t.baseUrl}</label>
          <input
            id={`${id}-base`}
            type="url"
            required
            value={baseUrl}
            onChange={(e) => setBaseUrl(e.target.value)}
          />
        </>
      ) : null}
      <label htmlFor={`${id}-zero`}>{t.zeroStock}</label>
      <select id={`${id}-zero`} value={zero} onChange={(e) => setZero(e.target.value as ZeroStockAction)}>
        {CHANNEL_ZERO_STOCK_ACTIONS[type].map((z) => (
          <option key={z} value={z}>
            {t.zero[z]}
          </option>
        ))}
      </select>
      <span />
      <label className="check">
        <input type="checkbox" checked={orders} onChange={(e) => setOrders(e.target.checked)} />
        <span>
          {t.orderImport}
          <small className="muted"> {t.orderImportHint}</small>
        </span>
      </label>
      {channel ? (
        <>
          <span>{t.goLive}</span>
          <span data-testid="channel-state">{t.stateName[channel.state]}</span>
        </>
      ) : null}
      <fieldset className="span-2">
        <legend>{t.credentials}</legend>
        <div className="form-grid">
          {fields.map((f) => (
            <div key={f} className="contents">
              <label htmlFor={`${id}-cred-${f}`}>
                {f}{' '}
                <small className={creds.get(f) ? 'ok-text' : 'warn-text'}>
                  ({creds.get(f) ? t.credentialSet : t.credentialUnset})
                </small>
              </label>
              <input
                id={`${id}-cred-${f}`}
                type="password"
                autoComplete="off"
                placeholder={t.credentialPlaceholder}
                value={secrets[f] ?? ''}
                onChange={(e) => setSecrets({ ...secrets, [f]: e.target.value })}
              />
            </div>
          ))}
        </div>
      </fieldset>
      <div className="span-2 actions">
        <button type="submit" className="primary" disabled={busy}>
          {t.save}
        </button>
        <button type="button" disabled={busy || !cid} onClick={() => void submit(true)}>
          {t.test}
        </button>
      </div>
      {result ? (
        <div className={`span-2 banner ${result.ok ? 'banner-ok' : 'banner-error'}`} role="status">
          <p>{result.message}</p>
          {result.hint ? <p>{result.hint}</p> : null}
        </div>
      ) : null}
    </form>
  )
}
