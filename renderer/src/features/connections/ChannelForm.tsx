import { useEffect, useId, useState } from 'react'
import {
  CHANNEL_ENVIRONMENTS,
  CHANNEL_LABELS,
  CHANNEL_TYPES,
  CHANNEL_ZERO_STOCK_ACTIONS,
  STOCK_BASES,
  type ChannelEnvironment,
  type ChannelType,
  type StockBasis,
  type ZeroStockAction,
} from '../../../../shared/channel-types'
import {
  AMAZON_MARKETPLACES,
  CHANNEL_SPECS,
  settingsFor,
  type FieldOption,
  type SettingField,
} from '../../../../shared/channel-fields'
import type { ChannelDraft, OdooChoicesDto, SetupTestDto } from '../../../../shared/connections'
import type { ChannelSummaryDto } from '../../../../shared/dto'
import { call } from '../../lib/api'
import { strings } from '../../strings'
import { errorText } from '../../stores/app-store'
import { anyTyped, channelDraft, initialSettings, newChannelDraft, problemsByField, sameDraft } from './draft'
import { Field, ResultBanner, SecretField, SettingInput } from './fields'

const t = strings.connections

export interface OdooChoices {
  choices: OdooChoicesDto | null
  error: string | null
  reload: (search?: string) => void
}

/** A whole number typed in a field, or null when it is empty. */
const wholeOrNull = (v: string): number | null =>
  v.trim() === '' ? null : Math.max(0, Math.floor(Number(v)))

export function ChannelForm({
  channel,
  initialResult = null,
  odoo,
  onSaved,
  onTested,
  dirtyKey,
  onDirty,
  onCancel,
}: {
  channel: ChannelSummaryDto | null
  /** The result to show first (the save that added this channel). */
  initialResult?: SetupTestDto | null
  odoo: OdooChoices
  onSaved: (c: ChannelSummaryDto, result: SetupTestDto) => void
  /** A test ran: the stored last test of this channel changed. */
  onTested: () => void
  /** Names this form when it reports unsaved changes. */
  dirtyKey: string
  onDirty: (key: string, dirty: boolean) => void
  onCancel?: () => void
}) {
  const id = useId()
  const [initial, setInitial] = useState<ChannelDraft>(() =>
    channel ? channelDraft(channel) : newChannelDraft('amazon'),
  )
  const [draft, setDraft] = useState<ChannelDraft>(initial)
  const [secrets, setSecrets] = useState<Record<string, string>>({})
  const [stored, setStored] = useState<Set<string>>(
    () => new Set(channel?.credentials.filter((c) => c.set).map((c) => c.name) ?? []),
  )
  const [busy, setBusy] = useState<'test' | 'save' | null>(null)
  const [result, setResult] = useState<SetupTestDto | null>(initialResult)
  const [saved, setSaved] = useState<boolean | undefined>(initialResult ? true : undefined)
  const [offerAnyway, setOfferAnyway] = useState(false)
  const [locations, setLocations] = useState<FieldOption[] | null>(null)
  const [locationError, setLocationError] = useState<string | null>(null)
  const [partnerSearch, setPartnerSearch] = useState('')
  const isNew = channel === null
  const spec = CHANNEL_SPECS[draft.type]
  const dirty = !sameDraft(draft, initial) || anyTyped(secrets)
  useEffect(() => onDirty(dirtyKey, dirty), [dirty, dirtyKey, onDirty])
  const errors = problemsByField(result?.problems ?? [])
  const fid = (key: string) => `${id}-${key.replace(/\W/g, '-')}`

  const set = <K extends keyof ChannelDraft>(key: K, value: ChannelDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }))
  const setSetting = (key: string, value: ChannelDraft['settings'][string] | undefined) =>
    setDraft((d) => {
      const settings = { ...d.settings }
      if (value === undefined) delete settings[key]
      else settings[key] = value
      return { ...d, settings }
    })

  const request = () => ({ draft, credentials: secrets, isNew })

  const test = async () => {
    setBusy('test')
    setSaved(undefined)
    setOfferAnyway(false)
    try {
      setResult(await call('testChannelSettings', request()))
      if (!isNew) onTested()
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
      const r = await call('saveChannelSettings', { ...request(), test: withTest })
      setResult(r.result)
      setSaved(r.saved)
      if (r.saved && r.channel) {
        const next = channelDraft(r.channel)
        setInitial(next)
        setDraft(next)
        setSecrets({})
        setStored(new Set(r.channel.credentials.filter((c) => c.set).map((c) => c.name)))
        onSaved(r.channel, r.result)
      } else if (withTest) setOfferAnyway(true)
      if (!isNew) onTested()
    } catch (e) {
      setResult({ ok: false, message: errorText(e), hint: null, problems: [], at: Date.now() })
      setSaved(false)
    } finally {
      setBusy(null)
    }
  }

  const loadLocations = async () => {
    setLocationError(null)
    try {
      const r = await call('getChannelChoices', { draft, credentials: secrets, setting: 'locationId' })
      setLocations(r.options)
    } catch (e) {
      setLocationError(errorText(e))
    }
  }

  const optionsFor = (f: SettingField): readonly FieldOption[] | undefined => {
    if (f.key === 'marketplaceIds' && draft.type === 'amazon' && draft.environment !== 'custom') {
      const region = typeof draft.settings.region === 'string' ? draft.settings.region : 'eu'
      const chosen = Array.isArray(draft.settings.marketplaceIds) ? draft.settings.marketplaceIds : []
      return AMAZON_MARKETPLACES.filter((m) => m.group === region || chosen.includes(m.value))
    }
    if (f.loadable) return locations ?? []
    return undefined
  }

  const partners = odoo.choices?.partners ?? []
  const warehouses = odoo.choices?.warehouses ?? []

  return (
    <form
      className="form-grid channel-form"
      aria-label={channel ? channel.name : t.addChannel}
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        void save(true)
      }}
    >
      <p className="span-2 muted">{spec.intro}</p>
      {isNew ? (
        <Field id={fid('type')} label={t.channelType} error={errors.get('type')}>
          {(describedBy) => (
            <select
              id={fid('type')}
              value={draft.type}
              aria-describedby={describedBy}
              onChange={(e) => {
                const type = e.target.value as ChannelType
                setSecrets({})
                setLocations(null)
                setResult(null)
                setDraft((d) => ({
                  ...d,
                  type,
                  settings: initialSettings(type),
                  environment: CHANNEL_SPECS[type].address === 'shop' ? 'production' : d.environment,
                  zeroStockAction: CHANNEL_ZERO_STOCK_ACTIONS[type].includes(d.zeroStockAction)
                    ? d.zeroStockAction
                    : CHANNEL_ZERO_STOCK_ACTIONS[type][0]!,
                }))
              }}
            >
              {CHANNEL_TYPES.map((c) => (
                <option key={c} value={c}>
                  {CHANNEL_LABELS[c]}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : null}
      <Field id={fid('id')} label={t.channelId} help={t.channelIdHint} error={errors.get('id')}>
        {(describedBy, invalid) => (
          <input
            id={fid('id')}
            value={draft.id}
            disabled={!isNew}
            spellCheck={false}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            onChange={(e) => set('id', e.target.value.trim())}
          />
        )}
      </Field>
      <Field id={fid('name')} label={t.channelName} error={errors.get('name')}>
        {(describedBy) => (
          <input
            id={fid('name')}
            value={draft.name}
            placeholder={CHANNEL_LABELS[draft.type]}
            aria-describedby={describedBy}
            onChange={(e) => set('name', e.target.value)}
          />
        )}
      </Field>
      {channel ? (
        <>
          <span>{t.goLive}</span>
          <span data-testid="channel-state">{t.stateName[channel.state]}</span>
        </>
      ) : null}

      <h3 className="span-2 form-section">{t.connectionSection}</h3>
      {spec.address === 'shop' ? (
        <Field
          id={fid('baseUrl')}
          label={t.shopAddress}
          help={t.shopAddressHint[draft.type]}
          error={errors.get('baseUrl')}
        >
          {(describedBy, invalid) => (
            <input
              id={fid('baseUrl')}
              type="url"
              spellCheck={false}
              value={draft.baseUrl}
              placeholder={
                draft.type === 'shopify' ? 'https://myshop.myshopify.com' : 'https://shop.example.com'
              }
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              onChange={(e) => set('baseUrl', e.target.value)}
            />
          )}
        </Field>
      ) : (
        <>
          <Field id={fid('environment')} label={t.environment} error={errors.get('environment')}>
            {(describedBy) => (
              <select
                id={fid('environment')}
                value={draft.environment}
                aria-describedby={describedBy}
                onChange={(e) => set('environment', e.target.value as ChannelEnvironment)}
              >
                {CHANNEL_ENVIRONMENTS.map((env) => (
                  <option key={env} value={env}>
                    {t.env[env]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {draft.environment === 'custom' ? (
            <Field id={fid('baseUrl')} label={t.baseUrl} help={t.baseUrlHint} error={errors.get('baseUrl')}>
              {(describedBy, invalid) => (
                <input
                  id={fid('baseUrl')}
                  type="url"
                  spellCheck={false}
                  value={draft.baseUrl}
                  placeholder={spec.customAddress?.placeholder ?? 'https://…'}
                  aria-describedby={describedBy}
                  aria-invalid={invalid || undefined}
                  onChange={(e) => set('baseUrl', e.target.value)}
                />
              )}
            </Field>
          ) : null}
        </>
      )}
      {settingsFor(draft.type, draft.environment).map((f) => (
        <SettingInput
          key={f.key}
          id={fid(`settings.${f.key}`)}
          field={f}
          value={draft.settings[f.key]}
          options={optionsFor(f)}
          error={errors.get(`settings.${f.key}`) ?? (f.loadable ? (locationError ?? undefined) : undefined)}
          onChange={(v) => setSetting(f.key, v)}
          extra={
            f.loadable ? (
              <button type="button" onClick={() => void loadLocations()}>
                {t.loadChoices}
              </button>
            ) : undefined
          }
        />
      ))}

      <h3 className="span-2 form-section">{t.credentialsSection}</h3>
      {spec.credentials.map((c) => (
        <SecretField
          key={c.name}
          id={fid(`credentials.${c.name}`)}
          field={c}
          saved={stored.has(c.name)}
          value={secrets[c.name] ?? ''}
          error={errors.get(`credentials.${c.name}`)}
          onChange={(v) => setSecrets((s) => ({ ...s, [c.name]: v }))}
        />
      ))}
      <p className="span-2 muted">{t.secretNote}</p>

      <h3 className="span-2 form-section">{t.ordersSection}</h3>
      <span />
      <label className="check">
        <input
          type="checkbox"
          checked={draft.orderImport}
          onChange={(e) => set('orderImport', e.target.checked)}
        />
        <span>
          {t.orderImport}
          <small className="muted"> {t.orderImportHint}</small>
        </span>
      </label>
      {odoo.error ? <p className="span-2 warn-text">{odoo.error}</p> : null}
      <Field
        id={fid('odooPartnerId')}
        label={t.partner}
        help={odoo.choices?.more ? `${t.partnerHint} ${t.partnerMore}` : t.partnerHint}
        error={errors.get('odooPartnerId')}
      >
        {(describedBy, invalid) => (
          <div className="with-button">
            <select
              id={fid('odooPartnerId')}
              value={draft.odooPartnerId ?? ''}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              onChange={(e) => set('odooPartnerId', e.target.value ? Number(e.target.value) : null)}
            >
              <option value="">{t.partnerNone}</option>
              {draft.odooPartnerId !== null && !partners.some((p) => p.id === draft.odooPartnerId) ? (
                <option value={draft.odooPartnerId}>
                  {odoo.choices ? t.unknownChoice(draft.odooPartnerId) : `#${draft.odooPartnerId}`}
                </option>
              ) : null}
              {partners.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
        )}
      </Field>
      <span />
      <div className="with-button">
        <input
          type="search"
          aria-label={t.partnerSearch}
          placeholder={t.partnerSearch}
          value={partnerSearch}
          onChange={(e) => setPartnerSearch(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault()
              odoo.reload(partnerSearch)
            }
          }}
        />
        <button type="button" onClick={() => odoo.reload(partnerSearch)}>
          {odoo.choices ? t.search : t.reloadOdoo}
        </button>
      </div>
      <Field
        id={fid('odooWarehouseId')}
        label={t.warehouse}
        help={t.warehouseHint}
        error={errors.get('odooWarehouseId')}
      >
        {(describedBy) => (
          <select
            id={fid('odooWarehouseId')}
            value={draft.odooWarehouseId ?? ''}
            aria-describedby={describedBy}
            onChange={(e) => set('odooWarehouseId', e.target.value ? Number(e.target.value) : null)}
          >
            <option value="">{t.warehouseDefault}</option>
            {draft.odooWarehouseId !== null && !warehouses.some((w) => w.id === draft.odooWarehouseId) ? (
              <option value={draft.odooWarehouseId}>
                {odoo.choices ? t.unknownChoice(draft.odooWarehouseId) : `#${draft.odooWarehouseId}`}
              </option>
            ) : null}
            {warehouses.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name} ({w.code})
              </option>
            ))}
          </select>
        )}
      </Field>

      <h3 className="span-2 form-section">{t.stockSection}</h3>
      <Field id={fid('zeroStockAction')} label={t.zeroStock} error={errors.get('zeroStockAction')}>
        {(describedBy) => (
          <select
            id={fid('zeroStockAction')}
            value={draft.zeroStockAction}
            aria-describedby={describedBy}
            onChange={(e) => set('zeroStockAction', e.target.value as ZeroStockAction)}
          >
            {CHANNEL_ZERO_STOCK_ACTIONS[draft.type].map((z) => (
              <option key={z} value={z}>
                {t.zero[z]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        id={fid('stockBasis')}
        label={t.stockBasis}
        help={draft.stockBasis === 'free' ? undefined : t.stockBasisWarning}
        error={errors.get('stockBasis')}
      >
        {(describedBy) => (
          <select
            id={fid('stockBasis')}
            value={draft.stockBasis}
            aria-describedby={describedBy}
            onChange={(e) => set('stockBasis', e.target.value as StockBasis)}
          >
            {STOCK_BASES.map((b) => (
              <option key={b} value={b}>
                {t.stockBases[b]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        id={fid('maxPublished')}
        label={t.maxPublished}
        help={t.maxPublishedHint}
        error={errors.get('maxPublished')}
      >
        {(describedBy, invalid) => (
          <input
            id={fid('maxPublished')}
            type="number"
            min={0}
            step={1}
            value={draft.maxPublished ?? ''}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            onChange={(e) => set('maxPublished', wholeOrNull(e.target.value))}
          />
        )}
      </Field>
      <Field id={fid('zeroBelow')} label={t.zeroBelow} help={t.zeroBelowHint} error={errors.get('zeroBelow')}>
        {(describedBy, invalid) => (
          <input
            id={fid('zeroBelow')}
            type="number"
            min={0}
            step={1}
            value={draft.zeroBelow ?? ''}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            onChange={(e) => set('zeroBelow', wholeOrNull(e.target.value))}
          />
        )}
      </Field>

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
        {dirty && !isNew ? (
          <button
            type="button"
            className="link"
            disabled={busy !== null}
            onClick={() => {
              setDraft(initial)
              setSecrets({})
              setResult(null)
              setOfferAnyway(false)
            }}
          >
            {t.discard}
          </button>
        ) : null}
        {onCancel ? (
          <button type="button" className="link" disabled={busy !== null} onClick={onCancel}>
            {t.cancel}
          </button>
        ) : null}
        {dirty ? <span className="muted unsaved-note">{t.unsavedNote}</span> : null}
      </div>
      {offerAnyway ? <p className="span-2 muted">{t.saveAnywayHint}</p> : null}
      {result ? <ResultBanner result={result} saved={saved} testId="channel-test-result" /> : null}
    </form>
  )
}
