// Builds the Odoo gateway from the stored connection and its encrypted API key.
import type { Database } from 'better-sqlite3'
import { ClassifiedError } from '../../core/errors'
import type { SecretVault } from '../../core/ports/secret-vault'
import { readCredentials } from '../db/repos/credentials'
import { getOdooConnection, setOdooServerVersion } from '../db/repos/odoo-connection'
import { createOdooGateway } from '../odoo/create-odoo-gateway'
import type { OdooHoldMemory } from '../odoo/odoo-throttle'
import { sqliteOdooHoldMemory } from '../db/repos/odoo-hold'
import type { RpcOdooGateway } from '../odoo/rpc-gateway'
import { DEFAULT_ENGINE_OPTIONS } from '../engine/defaults'
import type { EngineOptions } from '../engine/engine-types'

/**
 * The engine settings the seller stores (Connections, `config import`): every one of them reaches the
 * engine through here. Defaults apply to what is not stored.
 */
export const storedEngineOptions = (db: Database): Pick<EngineOptions, 'pollIntervalMs'> => ({
  pollIntervalMs: getOdooConnection(db)?.pollIntervalMs ?? DEFAULT_ENGINE_OPTIONS.pollIntervalMs,
})

export const isOdooConfigured = (db: Database): boolean => getOdooConnection(db) !== null

export async function odooGatewayFromStore(db: Database, vault: SecretVault): Promise<RpcOdooGateway> {
  const c = getOdooConnection(db)
  if (!c)
    throw new ClassifiedError('needs_seller', 'odoo.not_configured', 'Odoo is not connected yet.', {
      hint: 'Enter your Odoo address, database, user and API key in Connections.',
    })
  const apiKey = readCredentials(db, vault, 'odoo').apiKey
  if (!apiKey)
    throw new ClassifiedError('needs_seller', 'odoo.no_key', 'The Odoo API key is not set.', {
      hint: 'In Odoo: Preferences, Account Security, New API Key; then paste it in Connections.',
    })
  // A 429 hold left by an earlier process (kept in the database) is honoured before the first call.
  const gw = await odooGatewayFor(c, apiKey, sqliteOdooHoldMemory(db))
  const info = await gw.serverInfo()
  if (info.serverVersion !== c.serverVersion) setOdooServerVersion(db, info.serverVersion)
  return gw
}

/** The gateway for an Odoo connection's values (stored or typed in a form) and its API key. */
export function odooGatewayFor(
  c: { url: string; database: string; username: string } & Pick<
    Parameters<typeof createOdooGateway>[0],
    'transport' | 'allowInsecureHttp' | 'timeoutMs'
  >,
  apiKey: string,
  holdMemory?: OdooHoldMemory,
) {
  return createOdooGateway({
    ...(holdMemory ? { holdMemory } : {}),
    url: c.url,
    database: c.database,
    login: c.username,
    secret: apiKey,
    transport: c.transport,
    allowInsecureHttp: c.allowInsecureHttp,
    timeoutMs: c.timeoutMs,
  })
}
