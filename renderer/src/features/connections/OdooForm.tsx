import { useEffect, useId, useState } from 'react'
import type { ConnectionTestDto, OdooConnectionDto } from '../../../../shared/dto'
import { call } from '../../lib/api'
import { strings } from '../../strings'
import { errorText, useAppStore } from '../../stores/app-store'

const t = strings.connections

export function OdooForm() {
  const id = useId()
  const load = useAppStore((s) => s.load)
  const [saved, setSaved] = useState<OdooConnectionDto | null>(null)
  const [url, setUrl] = useState('')
  const [database, setDatabase] = useState('')
  const [username, setUsername] = useState('')
  const [apiKey, setApiKey] = useState('')
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<ConnectionTestDto | null>(null)
  useEffect(() => {
    void call('getOdooConnection', {}).then((c) => {
      setSaved(c)
      if (c) {
        setUrl(c.url)
        setDatabase(c.database)
        setUsername(c.username)
      }
    })
  }, [])
  const submit = async () => {
    setBusy(true)
    setResult(null)
    try {
      const c = await call('saveOdooConnection', {
        url,
        database,
        username,
        transport: saved?.transport ?? 'auto',
        allowInsecureHttp: saved?.allowInsecureHttp ?? false,
        pollIntervalMs: saved?.pollIntervalMs ?? 5000,
        timeoutMs: saved?.timeoutMs ?? 30_000,
      })
      if (apiKey) await call('setCredential', { owner: 'odoo', name: 'apiKey', value: apiKey })
      setApiKey('')
      setSaved({ ...c, apiKeySet: c.apiKeySet || apiKey !== '' })
      setResult(await call('testConnection', { target: 'odoo' }))
      await load()
    } catch (e) {
      setResult({ ok: false, message: errorText(e) })
    } finally {
      setBusy(false)
    }
  }
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t.odooTitle}</h2>
      <p className="muted">{t.odooIntro}</p>
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
      >
        <label htmlFor={`${id}-url`}>{t.url}</label>
        <div>
          <input
            id={`${id}-url`}
            type="url"
            required
            value={url}
            placeholder="https://mycompany.odoo.com"
            aria-describedby={`${id}-url-hint`}
            onChange={(e) => setUrl(e.target.value)}
          />
          <small id={`${id}-url-hint`} className="muted">
            {t.urlHint}
          </small>
        </div>
        <label htmlFor={`${id}-db`}>{t.database}</label>
        <input id={`${id}-db`} required value={database} onChange={(e) => setDatabase(e.target.value)} />
        <label htmlFor={`${id}-user`}>{t.username}</label>
        <input
          id={`${id}-user`}
          required
          autoComplete="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        <label htmlFor={`${id}-key`}>{t.apiKey}</label>
        <div>
          <input
            id={`${id}-key`}
            type="password"
            autoComplete="new-password"
            value={apiKey}
            required={!saved?.apiKeySet}
            aria-describedby={`${id}-key-hint`}
            onChange={(e) => setApiKey(e.target.value)}
          />
          <small id={`${id}-key-hint`} className="muted">
            {saved?.apiKeySet ? t.apiKeySet : t.apiKeyUnset}
          </small>
        </div>
        <div />
        <div>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t.testing : t.saveAndTest}
          </button>
        </div>
      </form>
      {result ? (
        <div
          className={`banner ${result.ok ? 'banner-ok' : 'banner-error'}`}
          role={result.ok ? 'status' : 'alert'}
          data-testid="odoo-test-result"
        >
          <p>
            <strong>{result.ok ? t.testOk : t.testFailed}.</strong> {result.message}
          </p>
          {result.hint ? <p>{result.hint}</p> : null}
        </div>
      ) : null}
    </section>
  )
}
