// What the renderer sees of the Odoo connection and of a channel: settings, which credentials are set
// (never their values), and the last connection test with its time.
import type { Database } from 'better-sqlite3'
import {
  CHANNEL_CREDENTIAL_FIELDS,
  ORDER_QUEUE_CHANNELS,
  ORDER_QUEUE_CREDENTIAL_FIELDS,
} from '../../../../shared/channel-types'
import type { ChannelSummaryDto, ConnectionTestRecordDto, OdooConnectionDto } from '../../../../shared/dto'
import type { ChannelRow } from '../../db/repos/channels'
import { getConnectionTest } from '../../db/repos/connection-tests'
import { credentialNames } from '../../db/repos/credentials'
import { getOdooConnection } from '../../db/repos/odoo-connection'

export const lastTestOf = (db: Database, target: string): ConnectionTestRecordDto | null => {
  const t = getConnectionTest(db, target)
  return t ? { ok: t.ok, message: t.message, hint: t.hint, unsaved: t.unsaved, at: t.testedAt } : null
}

export const channelSummary = (db: Database, c: ChannelRow): ChannelSummaryDto => {
  const set = new Set(credentialNames(db, `channel:${c.id}`))
  return {
    id: c.id,
    type: c.type,
    name: c.name,
    environment: c.environment,
    baseUrl: c.baseUrl,
    stockBasis: c.stockBasis,
    zeroStockAction: c.zeroStockAction,
    orderImport: c.orderImport,
    state: c.state,
    settings: c.settings,
    credentials: CHANNEL_CREDENTIAL_FIELDS[c.type].map((name) => ({ name, set: set.has(name) })),
    ...(ORDER_QUEUE_CHANNELS.includes(c.type)
      ? { queueCredentials: ORDER_QUEUE_CREDENTIAL_FIELDS.map((name) => ({ name, set: set.has(name) })) }
      : {}),
    odooPartnerId: c.odooPartnerId,
    odooWarehouseId: c.odooWarehouseId,
    maxPublished: c.maxPublished,
    zeroBelow: c.zeroBelow,
    lastTest: lastTestOf(db, c.id),
  }
}

export const odooDto = (db: Database): OdooConnectionDto | null => {
  const c = getOdooConnection(db)
  if (!c) return null
  return {
    url: c.url,
    database: c.database,
    username: c.username,
    transport: c.transport,
    allowInsecureHttp: c.allowInsecureHttp,
    pollIntervalMs: c.pollIntervalMs,
    timeoutMs: c.timeoutMs,
    apiKeySet: credentialNames(db, 'odoo').includes('apiKey'),
    serverVersion: c.serverVersion,
    lastTest: lastTestOf(db, 'odoo'),
  }
}
