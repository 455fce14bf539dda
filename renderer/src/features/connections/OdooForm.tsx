import { useEffect, useId, useState } from 'react'
import type { OdooDraft, SetupTestDto } from '../../../../shared/connections'
import type { OdooConnectionDto } from '../../../../shared/dto'
import { call } from '../../lib/api'
import { strings } from '../../strings'
import { errorText, useAppStore } from '../../stores/app-store'
import { odooDraft, problemsByField, sameDraft } from './draft'
import { Field, LastTest, ResultBanner } from './fields'

const t = strings.connections

export function OdooForm({
  onSaved,
  onDirty,
}: {
  /** The connection was saved (the channels' Odoo pickers read from it). */
  onSaved: (c: OdooConnectionDto) => void
  onDirty: (key: 'odoo', dirty: boolean) => void
}) {
  const id = useId()
  const load = useAppStore((s) => s.load)
  const now = useAppStore((s) => s.now)
  const [stored, setStored] = useState<OdooConnectionDto | null>(null)
  const [initial, setInitial] = useState<OdooDraft>(odooDraft(null))
  const [draft, setDraft] = useState<OdooDraft>(initial)
  const [apiKey, setApiKey] = useState('')
  const [busy, setBusy] = useState<'test' | 'save' | null>(null)
  const [result, setResult] = useState<SetupTestDto | null>(null)
  const [saved, setSaved] = useState<boolean | undefined>(undefined)
  const [offerAnyway, setOfferAnyway] = useState(false)
  const dirty = !sameDraft(draft, initial) || apiKey !== ''
  useEffect(() => onDirty('odoo', dirty), [dirty, onDirty])
  useEffect(() => {
    void call('getOdooConnection', {}).then(
      (c) => {
        setStored(c)
        const d = odooDraft(c)
        setInitial(d)
        setDraft(d)
      },
      () => undefined,
    )
  }, [])
  const errors = problemsByField(result?.problems ?? [])
  const set = <K extends keyof OdooDraft>(key: K, value: OdooDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }))

  const refreshStored = async () => setStored(await call('getOdooConnection', {}))

  const test = async () => {
    setBusy('test')
    setSaved(undefined)
    setOfferAnyway(false)
    try {
      setResult(await call('testOdooSettings', { draft, apiKey }))
      await refreshStored()
    } catch (e) {
      setResult({ ok: false, message: errorText(e), hint: null, problems: [], at: Date.now() })
    } finally {
      setBusy(null)
    }
  }

  const save = async (withTest: boolean) => {
    setBusy('save')
    setOfferAnyway(false)
    try {
      const r = await call('saveOdooSettings', { draft, apiKey, test: withTest })
      setResult(r.result)
      setSaved(r.saved)
      setStored(r.connection)
      if (r.saved && r.connection) {
        const d = odooDraft(r.connection)
        setInitial(d)
        setDraft(d)
        setApiKey('')
        onSaved(r.connection)
        await load()
      } else if (withTest) setOfferAnyway(true)
    } catch (e) {
      setResult({ ok: false, message: errorText(e), hint: null, problems: [], at: Date.now() })
      setSaved(false)
    } finally {
      setBusy(null)
    }
  }

  const fid = (k: string) => `${id}-${k}`
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t.odooTitle}</h2>
      <p className="muted">{t.odooIntro}</p>
      {stored ? (
        <p data-testid="odoo-last-test">
          <LastTest test={stored.lastTest} now={now} />
        </p>
      ) : null}
      <form
        className="form-grid"
        aria-label={t.odooTitle}
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          void save(true)
        }}
      >
        <Field id={fid('url')} label={t.url} help={t.urlHint} error={errors.get('url')}>
          {(describedBy, invalid) => (
            <input
              id={fid('url')}
              type="url"
              spellCheck={false}
              value={draft.url}
              placeholder="https://mycompany.odoo.com"
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              onChange={(e) => set('url', e.target.value)}
            />
          )}
        </Field>
        <span />
        <div>
          <label className="check">
            <input
              type="checkbox"
              checked={draft.allowInsecureHttp}
              aria-describedby={fid('insecure-help')}
              onChange={(e) => set('allowInsecureHttp', e.target.checked)}
            />
            <span>{t.insecure}</span>
          </label>
          <small id={fid('insecure-help')} className="muted">
            {t.insecureHint}
          </small>
        </div>
        <Field id={fid('db')} label={t.database} help={t.databaseHint} error={errors.get('database')}>
          {(describedBy, invalid) => (
            <input
              id={fid('db')}
              spellCheck={false}
              value={draft.database}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              onChange={(e) => set('database', e.target.value)}
            />
          )}
        </Field>
        <Field id={fid('user')} label={t.username} help={t.usernameHint} error={errors.get('username')}>
          {(describedBy, invalid) => (
            <input
              id={fid('user')}
              autoComplete="username"
              spellCheck={false}
              value={draft.username}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              onChange={(e) => set('username', e.target.value)}
            />
          )}
        </Field>
        <Field
          id={fid('key')}
          label={
            <>
              {t.apiKey}{' '}
              <small className={stored?.apiKeySet ? 'ok-text' : 'warn-text'}>
                ({stored?.apiKeySet ? t.secretSaved : t.secretUnset})
              </small>
            </>
          }
          help={
            <>
              <strong>{t.whereToFind}</strong> {t.apiKeyHint}
            </>
          }
          error={errors.get('apiKey')}
        >
          {(describedBy, invalid) => (
            <input
              id={fid('key')}
              type="password"
              autoComplete="new-password"
              spellCheck={false}
              placeholder={stored?.apiKeySet ? t.secretReplace : t.secretNew}
              value={apiKey}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              onChange={(e) => setApiKey(e.target.value)}
            />
          )}
        </Field>
        <details className="span-2 advanced">
          <summary>{t.advanced}</summary>
          <div className="form-grid">
            <Field id={fid('transport')} label={t.transport}>
              {(describedBy) => (
                <select
                  id={fid('transport')}
                  value={draft.transport}
                  aria-describedby={describedBy}
                  onChange={(e) => set('transport', e.target.value as OdooDraft['transport'])}
                >
                  {(['auto', 'xmlrpc', 'json2'] as const).map((x) => (
                    <option key={x} value={x}>
                      {t.transports[x]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field id={fid('poll')} label={t.pollInterval} help={t.pollIntervalHint}>
              {(describedBy) => (
                <input
                  id={fid('poll')}
                  type="number"
                  min={1}
                  max={300}
                  value={draft.pollIntervalMs / 1000}
                  aria-describedby={describedBy}
                  onChange={(e) =>
                    set('pollIntervalMs', Math.min(300, Math.max(1, Number(e.target.value) || 1)) * 1000)
                  }
                />
              )}
            </Field>
            <Field id={fid('timeout')} label={t.timeout}>
              {(describedBy) => (
                <input
                  id={fid('timeout')}
                  type="number"
                  min={1}
                  max={300}
                  value={draft.timeoutMs / 1000}
                  aria-describedby={describedBy}
                  onChange={(e) =>
                    set('timeoutMs', Math.min(300, Math.max(1, Number(e.target.value) || 1)) * 1000)
                  }
                />
              )}
            </Field>
          </div>
        </details>
        <div className="span-2 actions">
          <button type="button" disabled={busy !== null} onClick={() => void test()}>
            {busy === 'test' ? t.testing : t.test}
          </button>
          <button type="submit" className="primary" disabled={busy !== null}>
            {busy === 'save' ? t.saving : t.saveAndTest}
          </button>
          {offerAnyway ? (
            <button type="button" disabled={busy !== null} onClick={() => void save(false)}>
              {t.saveAnyway}
            </button>
          ) : null}
          {dirty && stored ? (
            <button
              type="button"
              className="link"
              disabled={busy !== null}
              onClick={() => {
                setDraft(initial)
                setApiKey('')
                setResult(null)
                setOfferAnyway(false)
              }}
            >
              {t.discard}
            </button>
          ) : null}
          {dirty ? <span className="muted unsaved-note">{t.unsavedNote}</span> : null}
        </div>
        {offerAnyway ? <p className="span-2 muted">{t.saveAnywayHint}</p> : null}
        {result ? <ResultBanner result={result} saved={saved} testId="odoo-test-result" /> : null}
      </form>
    </section>
  )
}
