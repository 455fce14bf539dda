// The API behind the IPC contract: one handler per method. Hosts wire these to Electron's ipcMain, to the
// browser preview's local bridge, or call them directly. A method of the contract without a handler here
// is a compile error (the Handlers type is a mapped type over IPC_METHODS).
import { acceptedCredentialFields } from '../../../shared/channel-types'
import type { ConnectionTestDto } from '../../../shared/dto'
import type { ResponseOf } from '../../../shared/contract'
import type { ChannelSummaryDto, StatusDto } from '../../../shared/dto'
import { deleteChannel, getChannel, listChannels, type ChannelRow } from '../db/repos/channels'
import { openAlertCount, openAlertSummaries } from '../db/repos/alerts'
import { storeCredential } from '../db/repos/credentials'
import { getOdooConnection, saveOdooConnection } from '../db/repos/odoo-connection'
import { logEntries } from '../db/repos/sync-log'
import { exportConfig, importConfig } from '../config/config-service'
import { defaultBaseUrl } from '../config/channel-defaults'
import { clearOdooKeyIfMoved, saveChannelBoundCredentials } from '../config/credential-binding'
import { insecureAddressProblem } from '../../../shared/credential-address'
import type { HandlerContext } from './handler-context'
import type { Handlers } from './handler-types'
import { HandlerError } from './handler-error'
import { redactText } from '../redaction'
import { engineStatusDto } from './status-dto'
import { peakModeActive, setPeakMode, todayUtc } from './peak-mode'
import { mappingHandlers } from './handlers/mapping-handlers'
import { bufferHandlers } from './handlers/buffer-handlers'
import { warehouseHandlers } from './handlers/warehouse-handlers'
import { resyncHandlers } from './handlers/resync-handlers'
import { logHandlers } from './handlers/log-handlers'
import { checklistHandlers } from './handlers/checklist-handlers'
import { connectionHandlers, forThisScreen } from './handlers/connection-handlers'
import { channelSummary as summaryOf, odooDto as odooConnectionDto } from './handlers/connection-dto'
import { saveConnectionTest } from '../db/repos/connection-tests'
import { orderHandlers } from './handlers/order-handlers'
import { fasterOrdersHandlers } from './handlers/faster-orders-handlers'

const channelSummary = (s: HandlerContext, c: ChannelRow): ChannelSummaryDto => summaryOf(s.db, c)

const statusOf = (s: HandlerContext): StatusDto => {
  const e = s.engine()
  return e ? engineStatusDto(s.db, e.status(), todayUtc()) : idleStatus(s)
}

/** Status when no engine runs: what is configured, nothing more. */
const idleStatus = (s: HandlerContext): StatusDto => {
  const channels = listChannels(s.db)
  return {
    state: 'stopped',
    message:
      s.statusNote?.() ??
      (channels.length === 0 && !getOdooConnection(s.db)
        ? 'Nothing is configured yet: try the demo or connect Odoo.'
        : 'Sync is not running.'),
    engineRunning: false,
    paused: false,
    peakMode: peakModeActive(s.db, todayUtc()),
    openAlerts: openAlertCount(s.db),
    channels: channels.map((c) => ({
      id: c.id,
      type: c.type,
      name: c.name,
      state: c.state,
      health: 'unknown',
      queued: 0,
      blocked: 0,
      lastConfirmedPushAt: null,
      latencyMs: null,
      ordersSeenWithinMs: null,
      message:
        c.state === 'setup'
          ? 'In setup: run its checklist to take it live.'
          : 'Waits for sync to start (connect Odoo, or start the demo).',
    })),
  }
}

const needEngine = (s: HandlerContext) => {
  const e = s.engine()
  if (!e)
    throw new HandlerError(
      'unavailable',
      'Sync is not running, so this cannot be done now.',
      'Connect Odoo and at least one channel, or start the demo.',
    )
  return e
}

export function createHandlers(s: HandlerContext): Handlers {
  return {
    getAppInfo: async () => ({
      name: 'LastUnit',
      version: s.version,
      dataDir: s.dataDir,
      mode: s.demoRunning?.()
        ? 'demo'
        : getOdooConnection(s.db) || listChannels(s.db).length > 0
          ? 'configured'
          : 'empty',
      vault: s.vault.description,
      host: s.host,
    }),
    getStatus: async () => statusOf(s),
    listChannels: async () => listChannels(s.db).map((c) => channelSummary(s, c)),
    saveChannel: async (req) => {
      const before = getChannel(s.db, req.id)
      if (before && before.type !== req.type)
        throw new HandlerError(
          'conflict',
          `Channel "${req.id}" is a ${before.type} channel; its type cannot change. Add a new channel instead.`,
        )
      if (req.environment === 'custom' && !req.baseUrl)
        throw new HandlerError('invalid_payload', 'A custom environment needs a base URL.')
      for (const [what, url] of [
        ['The base URL', req.baseUrl],
        ['The login address (tokenUrl)', req.settings.tokenUrl],
      ] as const) {
        const problem = typeof url === 'string' ? insecureAddressProblem(url) : null
        if (problem) throw new HandlerError('invalid_payload', `${what} ${problem}.`)
      }
      // Credentials stay with the address they were entered for: a move to another host clears them.
      saveChannelBoundCredentials(s.db, {
        id: req.id,
        type: req.type,
        name: req.name,
        environment: req.environment,
        baseUrl: req.baseUrl ?? defaultBaseUrl(req.type, req.environment),
        settings: req.settings,
        stockBasis: req.stockBasis,
        zeroStockAction: req.zeroStockAction,
        orderImport: req.orderImport,
        odooPartnerId: before?.odooPartnerId ?? null,
        odooWarehouseId: before?.odooWarehouseId ?? null,
        maxPublished: before?.maxPublished ?? null,
        zeroBelow: before?.zeroBelow ?? null,
      })
      s.configChanged?.()
      return channelSummary(s, getChannel(s.db, req.id)!)
    },
    removeChannel: async (req) => {
      const removed = deleteChannel(s.db, req.id)
      s.configChanged?.()
      return { removed }
    },
    setCredential: async (req) => {
      if (req.owner === 'odoo') {
        if (req.name !== 'apiKey')
          throw new HandlerError(
            'invalid_payload',
            `Odoo has one credential, "apiKey"; "${req.name}" is not one.`,
          )
      } else {
        const c = getChannel(s.db, req.owner)
        if (!c) throw new HandlerError('not_found', `There is no channel "${req.owner}".`)
        const fields = acceptedCredentialFields(c.type)
        if (!fields.includes(req.name))
          throw new HandlerError(
            'invalid_payload',
            `"${req.name}" is not a ${c.type} credential; expected one of ${fields.join(', ')}.`,
          )
      }
      storeCredential(
        s.db,
        s.vault,
        req.owner === 'odoo' ? 'odoo' : `channel:${req.owner}`,
        req.name,
        req.value,
      )
      return { owner: req.owner, name: req.name, set: true as const }
    },
    testConnection: async (req) => {
      if (req.target === 'odoo') {
        if (!getOdooConnection(s.db))
          throw new HandlerError('not_found', 'Odoo is not connected yet: enter its address first.')
        if (!s.testOdoo)
          throw new HandlerError('unavailable', 'The Odoo connection test is not available in this build.')
        return recordStoredTest(s, 'odoo', await s.testOdoo())
      }
      if (!getChannel(s.db, req.target))
        throw new HandlerError('not_found', `There is no channel "${req.target}".`)
      if (!s.testChannel)
        throw new HandlerError('unavailable', 'Channel connection tests are not available in this build.')
      return recordStoredTest(s, req.target, await s.testChannel(req.target))
    },
    saveOdooConnection: async (req) => {
      const u = new URL(req.url)
      const local = ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname)
      if (u.protocol === 'http:' && !local && !req.allowInsecureHttp)
        throw new HandlerError(
          'invalid_payload',
          `${u.host} is reached over http:// without encryption: your API key would travel in the clear.`,
          'Use the https:// address of your Odoo, or allow insecure HTTP explicitly if this is a private network.',
        )
      s.db.transaction(() => {
        clearOdooKeyIfMoved(s.db, req.url, false)
        saveOdooConnection(s.db, req)
      })()
      s.configChanged?.()
      return odooDto(s)!
    },
    getOdooConnection: async () => odooDto(s),
    exportConfig: async () => ({ json: JSON.stringify(exportConfig(s.db), null, 2) }),
    importConfig: async (req) => {
      const r = importConfig(s.db, s.vault, req.json)
      if (r.applied) s.configChanged?.()
      return r
    },
    recentLog: async (req) => logEntries(s.db, req),
    listAlerts: async () => openAlertSummaries(s.db) as ResponseOf<'listAlerts'>,
    startDemo: async () => {
      if (!s.startDemo) throw new HandlerError('unavailable', 'The demo is not available in this build.')
      return s.startDemo()
    },
    setPaused: async (req) => {
      const e = needEngine(s)
      if (req.paused) e.pause()
      else e.resume()
      return statusOf(s)
    },
    setPeakMode: async (req) => {
      setPeakMode(s.db, req.enabled, todayUtc())
      await s.engine()?.reloadConfig()
      return statusOf(s)
    },
    startResync: async (req) => {
      const run = await needEngine(s).resync(req.channels ? { channels: req.channels } : {})
      return { runId: run.id, total: run.total, etaMs: run.estimatedMs }
    },
    ...mappingHandlers(s),
    ...bufferHandlers(s),
    ...warehouseHandlers(s),
    ...resyncHandlers(s),
    ...logHandlers(s),
    ...checklistHandlers(s),
    ...connectionHandlers(s),
    ...orderHandlers(s),
    ...fasterOrdersHandlers(s),
  }
}

/** A test of the stored settings: its result is the connection's last test, shown on its row. */
function recordStoredTest(s: HandlerContext, target: string, r: ConnectionTestDto): ConnectionTestDto {
  // A server's answer can echo what it was sent: redacted before it is shown or stored.
  const out = {
    ...r,
    message: redactText(forThisScreen(r.message)),
    ...(r.hint ? { hint: redactText(forThisScreen(r.hint)) } : {}),
  }
  saveConnectionTest(s.db, {
    target,
    ok: out.ok,
    message: out.message,
    hint: out.hint ?? null,
    unsaved: false,
    testedAt: Date.now(),
  })
  return out
}

const odooDto = (s: HandlerContext) => odooConnectionDto(s.db)
