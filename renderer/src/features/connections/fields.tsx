// The pieces every Connections form is made of: a labelled field with its help and its error, a secret
// field that never shows a stored value, a setting drawn from its definition, the result of a test, and
// the last stored test of a connection.
import type { ReactNode } from 'react'
import type {
  CredentialField,
  FieldOption,
  SettingField,
  SettingValue,
} from '../../../../shared/channel-fields'
import type { SetupTestDto } from '../../../../shared/connections'
import type { ConnectionTestRecordDto } from '../../../../shared/dto'
import { strings } from '../../strings'

const t = strings.connections

/** A labelled field: the control, what it is (help) and what is wrong with it (error), both announced. */
export function Field({
  id,
  label,
  help,
  error,
  children,
}: {
  id: string
  label: ReactNode
  help?: ReactNode
  error?: string | undefined
  children: (describedBy: string | undefined, invalid: boolean) => ReactNode
}) {
  const ids = [error ? `${id}-error` : null, help ? `${id}-help` : null].filter(Boolean).join(' ')
  return (
    <div className="contents">
      <label htmlFor={id}>{label}</label>
      <div className={error ? 'field field-invalid' : 'field'}>
        {children(ids || undefined, !!error)}
        {error ? (
          <small id={`${id}-error`} className="field-error" data-testid="field-error">
            {error}
          </small>
        ) : null}
        {help ? (
          <small id={`${id}-help`} className="muted">
            {help}
          </small>
        ) : null}
      </div>
    </div>
  )
}

/** A write-only secret: the input is empty, says whether one is saved, and keeps what was typed. */
export function SecretField({
  id,
  field,
  saved,
  value,
  error,
  onChange,
}: {
  id: string
  field: CredentialField
  saved: boolean
  value: string
  error?: string | undefined
  onChange: (v: string) => void
}) {
  return (
    <Field
      id={id}
      label={
        <>
          {field.label}{' '}
          <small className={saved ? 'ok-text' : 'warn-text'}>({saved ? t.secretSaved : t.secretUnset})</small>
        </>
      }
      help={
        <>
          <strong>{t.whereToFind}</strong> {field.help}
        </>
      }
      error={error}
    >
      {(describedBy, invalid) => (
        <input
          id={id}
          type="password"
          autoComplete="new-password"
          spellCheck={false}
          placeholder={saved ? t.secretReplace : (field.placeholder ?? t.secretNew)}
          value={value}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  )
}

const listOf = (v: SettingValue | undefined): string[] =>
  Array.isArray(v) ? v : typeof v === 'string' && v ? v.split(/[\s,]+/).filter(Boolean) : []

/** One channel setting, drawn from its definition: a text, a choice, or several choices. */
export function SettingInput({
  id,
  field,
  value,
  options,
  error,
  onChange,
  extra,
}: {
  id: string
  field: SettingField
  value: SettingValue | undefined
  /** The choices to offer (a region's marketplaces, loaded locations); default: the field's own. */
  options?: readonly FieldOption[]
  error?: string | undefined
  onChange: (v: SettingValue | undefined) => void
  /** A control beside the field (a "Load" button). */
  extra?: ReactNode
}) {
  const opts = options ?? field.options ?? []
  if (field.kind === 'multi') {
    const chosen = listOf(value)
    const known = new Set((field.options ?? []).map((o) => o.value))
    const others = chosen.filter((v) => !known.has(v))
    return (
      <div className="contents">
        <span id={`${id}-label`}>{field.label}</span>
        <div className={error ? 'field field-invalid' : 'field'}>
          <div
            role="group"
            aria-labelledby={`${id}-label`}
            aria-describedby={[error ? `${id}-error` : '', `${id}-help`].join(' ').trim()}
            className="choice-list"
          >
            {opts.map((o) => (
              <label key={o.value} className="check">
                <input
                  type="checkbox"
                  checked={chosen.includes(o.value)}
                  onChange={(e) =>
                    onChange(e.target.checked ? [...chosen, o.value] : chosen.filter((x) => x !== o.value))
                  }
                />
                <span>{o.label}</span>
              </label>
            ))}
          </div>
          {field.other ? (
            <label className="other-values">
              <span>{field.other.label}</span>
              <input
                type="text"
                value={others.join(', ')}
                placeholder={field.other.placeholder}
                onChange={(e) =>
                  onChange([
                    ...chosen.filter((v) => known.has(v)),
                    ...e.target.value
                      .split(/[\s,]+/)
                      .map((x) => x.trim())
                      .filter(Boolean),
                  ])
                }
              />
            </label>
          ) : null}
          {error ? (
            <small id={`${id}-error`} className="field-error" data-testid="field-error">
              {error}
            </small>
          ) : null}
          <small id={`${id}-help`} className="muted">
            {field.help}
          </small>
        </div>
      </div>
    )
  }
  return (
    <Field id={id} label={field.label} help={field.help} error={error}>
      {(describedBy, invalid) =>
        field.kind === 'select' ? (
          <div className="with-button">
            <select
              id={id}
              value={typeof value === 'string' ? value : ''}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              onChange={(e) => onChange(e.target.value || undefined)}
            >
              {!field.required || !value ? (
                <option value="">
                  {field.loadable
                    ? t.defaultLocation
                    : field.initial !== undefined && !field.required
                      ? t.defaultChoice(
                          opts.find((o) => o.value === field.initial)?.label ?? String(field.initial),
                        )
                      : t.chooseOne}
                </option>
              ) : null}
              {typeof value === 'string' && value && !opts.some((o) => o.value === value) ? (
                <option value={value}>{value}</option>
              ) : null}
              {opts.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
            {extra}
          </div>
        ) : (
          <input
            id={id}
            type="text"
            spellCheck={false}
            value={typeof value === 'string' || typeof value === 'number' ? String(value) : ''}
            placeholder={field.placeholder}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            onChange={(e) => onChange(e.target.value)}
          />
        )
      }
    </Field>
  )
}

/** The result of a test or of a save, announced; problems are shown under their fields as well. */
export function ResultBanner({
  result,
  saved,
  testId,
}: {
  result: SetupTestDto
  /** Set after a save: whether it was saved. */
  saved?: boolean | undefined
  testId: string
}) {
  const tested = result.message !== 'Saved without a test.'
  const title = saved ? (tested ? t.savedTested : t.savedUntested) : result.ok ? t.testOk : t.testFailed
  const tone = result.ok ? (saved && !tested ? 'banner-warn' : 'banner-ok') : 'banner-error'
  return (
    <div className={`span-2 banner ${tone}`} role={result.ok ? 'status' : 'alert'} data-testid={testId}>
      <p>
        <strong>{title}.</strong> {tested ? result.message : null}
      </p>
      {result.hint ? <p>{result.hint}</p> : null}
      {result.problems.length > 1 ? (
        <ul>
          {result.problems.map((p) => (
            <li key={p.field + p.message}>{p.message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  )
}

/** "Last test 3 min ago: connected" (or failed, with its words in the tooltip and for screen readers). */
export function LastTest({ test, now }: { test: ConnectionTestRecordDto | null; now: number }) {
  if (!test)
    return (
      <span className="muted" data-testid="last-test">
        {t.lastTestNever}
      </span>
    )
  const ago = strings.common.ago(Math.max(0, (now - test.at) / 1000))
  return (
    <span
      className={test.ok ? 'ok-text' : 'warn-text'}
      data-testid="last-test"
      title={`${new Date(test.at).toLocaleString()}: ${test.message}`}
    >
      {test.ok ? t.lastTestOk(ago) : t.lastTestFailed(ago)}
      {test.unsaved ? t.lastTestUnsaved : ''}
      {test.ok ? null : <span className="last-test-message">: {test.message}</span>}
    </span>
  )
}
