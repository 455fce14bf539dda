// The Connections screen: Odoo and channel forms tested in memory and saved only on purpose. A test
// builds the gateway or adapter from the values typed (stored secrets fill what was not retyped) and
// writes nothing but its own result, so a wrong secret typed to try something never stops sync.
// "Save and test" saves only when the test passes; "Save anyway" saves without one.
import type { Database } from 'better-sqlite3'
import { CHANNEL_LABELS, type ChannelType } from '../../../../shared/channel-types'
import {
  CHANNEL_SPECS,
  COMMON_LABELS,
  isEmptySetting,
  normaliseShopAddress,
  settingsFor,
  validateChannelDraft,
  validateOdooDraft,
  credentialLabel,
  type FieldProblem,
} from '../../../../shared/channel-fields'
import {
  channelAddressChanged,
  channelCredentialAddress,
  credentialsClearedNote,
  odooAddressChanged,
} from '../../../../shared/credential-address'
import { clearOdooKeyIfMoved, saveChannelBoundCredentials } from '../../config/credential-binding'
import type { ChannelDraft, OdooDraft, SetupTestDto } from '../../../../shared/connections'
import type { ConnectionTestDto } from '../../../../shared/dto'
import { errorMessage, isClassifiedError } from '../../../core/errors'
import { getChannel, type ChannelRow, type ChannelSettings } from '../../db/repos/channels'
import { credentialNames, readCredentials, storeCredential } from '../../db/repos/credentials'
import { saveConnectionTest } from '../../db/repos/connection-tests'
import { getOdooConnection, saveOdooConnection } from '../../db/repos/odoo-connection'
import { defaultBaseUrl } from '../../config/channel-defaults'
import { odooGatewayFromStore } from '../../runtime/odoo-from-store'
import { SHOPIFY_API_VERSION } from '../../channels/shopify'
import { ShopifyClient } from '../../channels/shopify/shopify-client'
import { LOCATIONS_QUERY } from '../../channels/shopify/shopify-queries'
import { systemClock } from '../../../core/ports/clock'
import type { HandlerContext } from '../handler-context'
import { HandlerError } from '../handler-error'
import { redactText, rememberSecrets } from '../../redaction'
import type { Handlers } from '../handler-types'
import { channelSummary, odooDto } from './connection-dto'

type ConnectionMethods =
  | 'testOdooSettings'
  | 'saveOdooSettings'
  | 'testChannelSettings'
  | 'saveChannelSettings'
  | 'getOdooChoices'
  | 'getChannelChoices'

/** Hints written for the dashboard send the seller to Connections; here the seller is already in it. */
export const forThisScreen = (text: string): string =>
  text
    .replace(/ in Connections(, or in the configuration file)?/g, ' in this form')
    .replace(/Complete the channel in this form/g, 'Complete the highlighted fields')

const AUTH =
  /refused|unauthori[sz]ed|invalid_client|invalid_grant|invalid.*(key|token|credential|secret)|HTTP 40[13]|signature/i

/** When a channel refused the login: which fields to look at, and where their values come from. */
function credentialHint(type: ChannelType, message: string): string | null {
  if (!AUTH.test(message)) return null
  const creds = CHANNEL_SPECS[type].credentials
  return `Check ${creds.map((c) => `"${c.label}"`).join(' and ')}. ${creds[0]!.help}`
}

const MOVED_CREDENTIAL =
  'paste it again for the new address: the stored one was entered for another address, and LastUnit never sends it anywhere else'

/** A credential the form lacks because the address changed gets the reason, not "paste it". */
const movedCredentialProblems = (problems: FieldProblem[], storedNames: readonly string[]): FieldProblem[] =>
  problems.map((p) =>
    p.field.startsWith('credentials.') && storedNames.includes(p.field.slice('credentials.'.length))
      ? { ...p, message: `${p.message.split(':')[0]}: ${MOVED_CREDENTIAL}` }
      : p,
  )

const problemsResult = (problems: FieldProblem[], at: number): SetupTestDto => ({
  ok: false,
  message:
    problems.length === 1
      ? problems[0]!.message
      : `${problems.length} fields need your attention: ${problems.map((p) => p.message.split(':')[0]).join(', ')}.`,
  hint: problems.length === 1 ? null : 'Each is explained under its field.',
  problems,
  at,
})

const testResult = (r: ConnectionTestDto, type: ChannelType | null, at: number): SetupTestDto => {
  // A server's answer can echo what it was sent: stored and typed secrets never reach the form (or the
  // stored last test) through it.
  const message = redactText(forThisScreen(r.message))
  const hint = r.hint
    ? redactText(forThisScreen(r.hint))
    : !r.ok && type
      ? credentialHint(type, message)
      : null
  return { ok: r.ok, message, hint, problems: [], at }
}

/**
 * The typed secrets that hold a value, trimmed of nothing (a space is reported, never silently cut). Each
 * is redacted from whatever this process lets out from now on, saved or not.
 */
const typedValues = (typed: Record<string, string>): Record<string, string> => {
  const out = Object.fromEntries(Object.entries(typed).filter(([, v]) => v !== ''))
  rememberSecrets(...Object.values(out))
  return out
}

/** The stored row a channel form describes; settings outside the form (set by a config file) are kept. */
function draftToRow(d: ChannelDraft, before: ChannelRow | null): ChannelRow {
  const spec = CHANNEL_SPECS[d.type]
  const formKeys = new Set(spec.settings.map((f) => f.key))
  const used = new Set(settingsFor(d.type, d.environment).map((f) => f.key))
  const settings: ChannelSettings = {}
  for (const [k, v] of Object.entries(before?.settings ?? {})) if (!formKeys.has(k)) settings[k] = v
  for (const [k, v] of Object.entries(d.settings)) {
    if (formKeys.has(k) && !used.has(k)) continue
    if (isEmptySetting(v)) continue
    settings[k] = Array.isArray(v)
      ? [...new Set(v.map((x) => x.trim()).filter(Boolean))]
      : typeof v === 'string'
        ? v.trim()
        : v
  }
  const baseUrl =
    spec.address === 'shop'
      ? (normaliseShopAddress(d.type, d.baseUrl) ?? d.baseUrl.trim())
      : d.environment === 'custom'
        ? d.baseUrl.trim().replace(/\/+$/, '')
        : defaultBaseUrl(d.type, d.environment, settings)
  return {
    id: d.id,
    type: d.type,
    name: d.name.trim() || CHANNEL_LABELS[d.type],
    baseUrl,
    environment: d.environment,
    settings,
    stockBasis: d.stockBasis,
    zeroStockAction: d.zeroStockAction,
    orderImport: d.orderImport,
    odooPartnerId: d.odooPartnerId,
    odooWarehouseId: d.odooWarehouseId,
    maxPublished: d.maxPublished,
    zeroBelow: d.zeroBelow,
    state: before?.state ?? 'setup',
    ordersWatermark: before?.ordersWatermark ?? null,
  }
}

/** JSON with sorted keys: equal rows compare equal whatever the order their settings were written in. */
const stable = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(stable).join(',')}]`
    : v !== null && typeof v === 'object'
      ? `{${Object.keys(v)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
          .join(',')}}`
      : JSON.stringify(v)

const sameRow = (a: ChannelRow, b: ChannelRow): boolean => {
  const pick = ({ ordersWatermark: _w, state: _s, ...rest }: ChannelRow) => stable(rest)
  return pick(a) === pick(b)
}

/** Problems a form cannot see by itself: the id is taken, the type cannot change. */
function identityProblems(d: ChannelDraft, before: ChannelRow | null, isNew: boolean): FieldProblem[] {
  if (isNew && before)
    return [
      {
        field: 'id',
        message: `${COMMON_LABELS.id}: a channel "${d.id}" exists already (${before.name}); choose another id.`,
      },
    ]
  if (!isNew && !before) throw new HandlerError('not_found', `There is no channel "${d.id}" any more.`)
  if (before && before.type !== d.type)
    return [
      {
        field: 'type',
        message: `Channel type: "${d.id}" is a ${CHANNEL_LABELS[before.type]} channel; its type cannot change. Add a new channel instead.`,
      },
    ]
  return []
}

function odooRow(d: OdooDraft) {
  return {
    url: d.url.trim(),
    database: d.database.trim(),
    username: d.username.trim(),
    transport: d.transport,
    allowInsecureHttp: d.allowInsecureHttp,
    pollIntervalMs: d.pollIntervalMs,
    timeoutMs: d.timeoutMs,
  }
}

const record = (db: Database, target: string, r: SetupTestDto, unsaved: boolean) =>
  saveConnectionTest(db, {
    target,
    ok: r.ok,
    message: r.message,
    hint: r.hint,
    unsaved,
    testedAt: r.at,
  })

export function connectionHandlers(s: HandlerContext): Pick<Handlers, ConnectionMethods> {
  const now = () => Date.now()

  /** Tests a channel form; stores only its result (for a channel that exists). */
  const testChannel = async (
    d: ChannelDraft,
    typed: Record<string, string>,
    isNew: boolean,
  ): Promise<{ result: SetupTestDto; row: ChannelRow | null; before: ChannelRow | null }> => {
    const db = s.db
    const before = getChannel(db, d.id)
    const values = typedValues(typed)
    const row = draftToRow(d, before)
    // Stored credentials go only to the address they were entered for: never to a changed one.
    const moved = before !== null && channelAddressChanged(before, row)
    const usable = before && before.type === d.type && !moved
    const stored = usable ? credentialNames(db, `channel:${d.id}`) : []
    const problems = [
      ...identityProblems(d, before, isNew),
      ...movedCredentialProblems(
        validateChannelDraft(d, values, {
          complete: true,
          hasCredential: (n) => stored.includes(n),
        }),
        moved ? credentialNames(db, `channel:${d.id}`) : [],
      ),
    ]
    if (problems.length > 0) return { result: problemsResult(problems, now()), row: null, before }
    if (!s.testChannelConfig)
      throw new HandlerError('unavailable', 'Channel connection tests are not available in this build.')
    const credentials = {
      ...(usable ? readCredentials(db, s.vault, `channel:${d.id}`) : {}),
      ...values,
    }
    const result = testResult(await s.testChannelConfig(row, credentials), d.type, now())
    if (before) record(db, d.id, result, Object.keys(values).length > 0 || !sameRow(before, row))
    return { result, row, before }
  }

  const testOdoo = async (
    d: OdooDraft,
    apiKey: string,
  ): Promise<{ result: SetupTestDto; changed: boolean }> => {
    const db = s.db
    const before = getOdooConnection(db)
    // The stored key goes only to the address it was entered for.
    const moved = before !== null && odooAddressChanged(before.url, d.url)
    const storedKey = credentialNames(db, 'odoo').includes('apiKey')
    const hasKey = storedKey && !moved
    const problems = validateOdooDraft(d, apiKey, { hasKey, complete: true }).map((p) =>
      p.field === 'apiKey' && moved && storedKey && !apiKey
        ? { ...p, message: `${p.message.split(':')[0]}: ${MOVED_CREDENTIAL}` }
        : p,
    )
    if (problems.length > 0) return { result: problemsResult(problems, now()), changed: true }
    if (!s.testOdooConfig)
      throw new HandlerError('unavailable', 'The Odoo connection test is not available in this build.')
    const row = odooRow(d)
    rememberSecrets(apiKey)
    const key = apiKey || (hasKey ? readCredentials(db, s.vault, 'odoo').apiKey : '') || ''
    const result = testResult(await s.testOdooConfig(row, key), null, now())
    const changed =
      apiKey !== '' || !before || (Object.keys(row) as (keyof typeof row)[]).some((k) => before[k] !== row[k])
    if (before) record(db, 'odoo', result, changed)
    return { result, changed }
  }

  return {
    testOdooSettings: async (req) => (await testOdoo(req.draft, req.apiKey)).result,

    saveOdooSettings: async (req) => {
      const db = s.db
      let result: SetupTestDto
      if (req.test) {
        result = (await testOdoo(req.draft, req.apiKey)).result
        if (!result.ok)
          return {
            saved: false,
            result: {
              ...result,
              hint: [
                result.hint,
                getOdooConnection(db)
                  ? 'Nothing was saved: sync goes on with the settings that were there.'
                  : 'Nothing was saved yet.',
              ]
                .filter(Boolean)
                .join(' '),
            },
            connection: odooDto(db),
          }
      } else {
        const before = getOdooConnection(db)
        const hasKey =
          credentialNames(db, 'odoo').includes('apiKey') &&
          !(before && odooAddressChanged(before.url, req.draft.url))
        const problems = validateOdooDraft(req.draft, req.apiKey, { hasKey, complete: false })
        if (problems.length > 0)
          return { saved: false, result: problemsResult(problems, now()), connection: odooDto(db) }
        result = { ok: true, message: 'Saved without a test.', hint: null, problems: [], at: now() }
      }
      let cleared = false
      db.transaction(() => {
        cleared = clearOdooKeyIfMoved(db, req.draft.url, req.apiKey !== '')
        saveOdooConnection(db, odooRow(req.draft))
        if (req.apiKey) storeCredential(db, s.vault, 'odoo', 'apiKey', req.apiKey)
        if (req.test) record(db, 'odoo', result, false)
      })()
      s.configChanged?.()
      if (cleared)
        result = {
          ...result,
          hint: [result.hint, credentialsClearedNote('Odoo', req.draft.url.trim())].filter(Boolean).join(' '),
        }
      return { saved: true, result, connection: odooDto(db) }
    },

    testChannelSettings: async (req) => (await testChannel(req.draft, req.credentials, req.isNew)).result,

    saveChannelSettings: async (req) => {
      const db = s.db
      const d = req.draft
      const values = typedValues(req.credentials)
      let result: SetupTestDto
      let row: ChannelRow
      if (req.test) {
        const t = await testChannel(d, req.credentials, req.isNew)
        if (!t.result.ok || !t.row)
          return {
            saved: false,
            result:
              t.result.problems.length > 0
                ? t.result
                : {
                    ...t.result,
                    hint: [
                      t.result.hint,
                      t.before
                        ? 'Nothing was saved: sync goes on with the settings that were there.'
                        : 'Nothing was saved yet.',
                    ]
                      .filter(Boolean)
                      .join(' '),
                  },
            channel: t.before ? channelSummary(db, t.before) : null,
          }
        result = t.result
        row = t.row
      } else {
        const before = getChannel(db, d.id)
        const stored =
          before && !channelAddressChanged(before, draftToRow(d, before))
            ? credentialNames(db, `channel:${d.id}`)
            : []
        const problems = [
          ...identityProblems(d, before, req.isNew),
          ...validateChannelDraft(d, values, { complete: false, hasCredential: (n) => stored.includes(n) }),
        ]
        if (problems.length > 0)
          return {
            saved: false,
            result: problemsResult(problems, now()),
            channel: before ? channelSummary(db, before) : null,
          }
        row = draftToRow(d, before)
        result = { ok: true, message: 'Saved without a test.', hint: null, problems: [], at: now() }
      }
      let cleared: string[] = []
      db.transaction(() => {
        const { state: _state, ordersWatermark: _w, ...upsert } = row
        cleared = saveChannelBoundCredentials(db, upsert, Object.keys(values))
        for (const [name, value] of Object.entries(values))
          storeCredential(db, s.vault, `channel:${d.id}`, name, value)
        if (req.test) record(db, d.id, result, false)
      })()
      s.configChanged?.()
      if (cleared.length > 0)
        result = {
          ...result,
          hint: [
            result.hint,
            credentialsClearedNote(
              `"${row.name}" (${cleared.map((n) => credentialLabel(d.type, n)).join(', ')})`,
              channelCredentialAddress(row),
            ),
          ]
            .filter(Boolean)
            .join(' '),
        }
      return { saved: true, result, channel: channelSummary(db, getChannel(db, d.id)!) }
    },

    getOdooChoices: async (req) => {
      const db = s.db
      if (!getOdooConnection(db))
        throw new HandlerError(
          'needs_seller',
          'Odoo is not connected yet.',
          'Save the Odoo connection at the top of this screen first: the customers and warehouses are read from it.',
        )
      let gw
      try {
        gw = await odooGatewayFromStore(db, s.vault)
      } catch (e) {
        throw new HandlerError(
          'needs_seller',
          `Odoo could not be read: ${errorMessage(e)}`,
          isClassifiedError(e) && e.hint ? forThisScreen(e.hint) : undefined,
        )
      }
      try {
        await gw.login()
        const limit = 200
        const search = req.search.trim()
        const partners = await gw.execute<Array<{ id: number; name: unknown }>>(
          'res.partner',
          'search_read',
          {
            domain: search ? [['name', 'ilike', search]] : [],
            fields: ['id', 'name'],
            offset: 0,
            limit: limit + 1,
            order: 'name',
          },
        )
        const warehouses = await gw.listWarehouses()
        return {
          partners: partners
            .slice(0, limit)
            .map((p) => ({ id: p.id, name: typeof p.name === 'string' ? p.name : `#${p.id}` })),
          warehouses: warehouses.map((w) => ({ id: w.id, name: w.name, code: w.code })),
          more: partners.length > limit,
        }
      } catch (e) {
        throw new HandlerError('failed', `Odoo could not be read: ${forThisScreen(errorMessage(e))}`)
      } finally {
        await gw.close().catch(() => undefined)
      }
    },

    getChannelChoices: async (req) => {
      const d = req.draft
      if (d.type !== 'shopify' || req.setting !== 'locationId')
        throw new HandlerError('invalid_payload', `There is nothing to load for "${req.setting}".`)
      const url = normaliseShopAddress('shopify', d.baseUrl)
      const problems = validateChannelDraft({ ...d, settings: {} }, typedValues(req.credentials), {
        complete: false,
        hasCredential: () => true,
      }).filter((p) => p.field === 'baseUrl' || p.field.startsWith('credentials.'))
      if (!url || problems.length > 0)
        throw new HandlerError(
          'needs_seller',
          problems[0]?.message ?? `${COMMON_LABELS.shopAddress}: enter it first.`,
        )
      const before = getChannel(s.db, d.id)
      // The stored token goes only to the shop it was entered for.
      const sameShop =
        before?.type === 'shopify' && !channelAddressChanged(before, { baseUrl: url, settings: {} })
      const token =
        typedValues(req.credentials).accessToken ??
        (sameShop ? readCredentials(s.db, s.vault, `channel:${d.id}`).accessToken : undefined)
      if (!token)
        throw new HandlerError(
          'needs_seller',
          before?.type === 'shopify' && !sameShop
            ? `${CHANNEL_SPECS.shopify.credentials[0]!.label}: ${MOVED_CREDENTIAL}`
            : `${CHANNEL_SPECS.shopify.credentials[0]!.label}: paste it first, then load the locations.`,
        )
      const apiVersion =
        typeof d.settings.apiVersion === 'string' && d.settings.apiVersion.trim()
          ? d.settings.apiVersion.trim()
          : SHOPIFY_API_VERSION
      const client = new ShopifyClient({
        endpoint: `${url}/admin/api/${apiVersion}/graphql.json`,
        accessToken: token,
        timeoutMs: 15_000,
        clock: systemClock,
      })
      try {
        const data = await client.graphql<{
          locations: { nodes: { id: string; name: string; isActive: boolean }[] }
        }>(LOCATIONS_QUERY, { first: 50 }, 'reading the locations', 3)
        return {
          options: data.locations.nodes.map((l) => ({
            value: l.id,
            label: l.isActive ? l.name : `${l.name} (inactive)`,
          })),
        }
      } catch (e) {
        throw new HandlerError(
          'needs_seller',
          forThisScreen(errorMessage(e)),
          isClassifiedError(e) && e.hint ? forThisScreen(e.hint) : undefined,
        )
      }
    },
  }
}
