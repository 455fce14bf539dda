// The forms' values: a channel or the Odoo connection as typed, built from what is stored, compared with
// it to know whether something is unsaved.
import { CHANNEL_ZERO_STOCK_ACTIONS, type ChannelType } from '../../../../shared/channel-types'
import { CHANNEL_SPECS, type FieldProblem, type SettingValue } from '../../../../shared/channel-fields'
import type { ChannelDraft, OdooDraft } from '../../../../shared/connections'
import type { ChannelSummaryDto, OdooConnectionDto } from '../../../../shared/dto'

const hasPlaceholder = (url: string) => /\{[^}]*\}/.test(url)

/** Settings a new channel of this type starts with. */
export const initialSettings = (type: ChannelType): Record<string, SettingValue> =>
  Object.fromEntries(
    CHANNEL_SPECS[type].settings.filter((f) => f.initial !== undefined).map((f) => [f.key, f.initial!]),
  )

export const newChannelDraft = (type: ChannelType): ChannelDraft => ({
  id: '',
  type,
  name: '',
  environment: 'production',
  baseUrl: '',
  stockBasis: 'free',
  zeroStockAction: CHANNEL_ZERO_STOCK_ACTIONS[type][0]!,
  orderImport: true,
  settings: initialSettings(type),
  odooPartnerId: null,
  odooWarehouseId: null,
  maxPublished: null,
  zeroBelow: null,
})

/**
 * The settings as the form shows them: an Amazon channel configured without a region (a configuration
 * file) shows the region its address is in.
 */
const withDerivedSettings = (c: ChannelSummaryDto): ChannelDraft['settings'] => {
  const settings = { ...c.settings }
  if (c.type === 'amazon' && c.environment !== 'custom' && settings.region === undefined)
    settings.region = /-na\./.test(c.baseUrl) ? 'na' : /-fe\./.test(c.baseUrl) ? 'fe' : 'eu'
  return settings
}

/** The form of a stored channel. The address field shows the shop's or the custom address. */
export const channelDraft = (c: ChannelSummaryDto): ChannelDraft => {
  const shop = CHANNEL_SPECS[c.type].address === 'shop'
  return {
    id: c.id,
    type: c.type,
    name: c.name,
    environment: shop && c.environment === 'sandbox' ? 'production' : c.environment,
    baseUrl: (shop || c.environment === 'custom') && !hasPlaceholder(c.baseUrl) ? c.baseUrl : '',
    stockBasis: c.stockBasis,
    zeroStockAction: c.zeroStockAction,
    orderImport: c.orderImport,
    settings: withDerivedSettings(c),
    odooPartnerId: c.odooPartnerId,
    odooWarehouseId: c.odooWarehouseId,
    maxPublished: c.maxPublished,
    zeroBelow: c.zeroBelow,
  }
}

export const DEFAULT_ODOO: OdooDraft = {
  url: '',
  database: '',
  username: '',
  transport: 'auto',
  allowInsecureHttp: false,
  pollIntervalMs: 5000,
  timeoutMs: 30_000,
}

export const odooDraft = (c: OdooConnectionDto | null): OdooDraft =>
  c
    ? {
        url: c.url,
        database: c.database,
        username: c.username,
        transport: c.transport,
        allowInsecureHttp: c.allowInsecureHttp,
        pollIntervalMs: c.pollIntervalMs,
        timeoutMs: c.timeoutMs,
      }
    : DEFAULT_ODOO

/** JSON with sorted keys, to compare two drafts. */
const stable = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(stable).join(',')}]`
    : v !== null && typeof v === 'object'
      ? `{${Object.keys(v)
          .sort()
          .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
          .map((k) => `${k}:${stable((v as Record<string, unknown>)[k])}`)
          .join(',')}}`
      : JSON.stringify(v)

export const sameDraft = (a: unknown, b: unknown): boolean => stable(a) === stable(b)

export const anyTyped = (secrets: Record<string, string>): boolean =>
  Object.values(secrets).some((v) => v !== '')

/** The first problem of each field, by field key. */
export const problemsByField = (problems: readonly FieldProblem[]): Map<string, string> => {
  const m = new Map<string, string>()
  for (const p of problems) if (!m.has(p.field)) m.set(p.field, p.message)
  return m
}
