// Connection tests: Odoo from the stored connection, a channel or Odoo from values typed in a form. Each
// builds the adapter or gateway the engine would build, asks it, closes it, and stores nothing.
import type { Database } from 'better-sqlite3'
import { errorMessage, isClassifiedError } from '../../core/errors'
import type { SecretVault } from '../../core/ports/secret-vault'
import type { ConnectionTestDto } from '../../../shared/dto'
import type { ChannelRow } from '../db/repos/channels'
import { createChannelAdapter, type AdapterFactoryOptions } from './channel-registry'
import { odooGatewayFor, odooGatewayFromStore } from './odoo-from-store'
import type { OdooTestConfig } from '../api/handler-context'

const failed = (e: unknown): ConnectionTestDto => ({
  ok: false,
  message: errorMessage(e),
  ...(isClassifiedError(e) && e.hint ? { hint: e.hint } : {}),
})

const protocol = (transport: string) => (transport === 'json2' ? 'JSON-2' : 'XML-RPC')

/** The stored Odoo connection: logs in and reads the server's version. */
export async function testStoredOdoo(db: Database, vault: SecretVault): Promise<ConnectionTestDto> {
  try {
    const gw = await odooGatewayFromStore(db, vault)
    try {
      await gw.login()
      const info = await gw.serverInfo()
      return {
        ok: true,
        message: `Connected to Odoo ${info.serverVersion} as the configured user, over ${protocol(gw.transport)}.`,
      }
    } finally {
      await gw.close().catch(() => undefined)
    }
  } catch (e) {
    return failed(e)
  }
}

/** A channel through the adapter the engine would build from these values. */
export async function testChannelWith(
  c: ChannelRow,
  credentials: Record<string, string>,
  adapterOptions: AdapterFactoryOptions | undefined,
): Promise<ConnectionTestDto> {
  try {
    const adapter = createChannelAdapter(c, credentials, adapterOptions)
    try {
      const r = await adapter.testConnection()
      return { ok: r.ok, message: r.message }
    } finally {
      await adapter.close?.().catch(() => undefined)
    }
  } catch (e) {
    return failed(e)
  }
}

/** Odoo through the gateway the engine would build from these values: logs in and reads the warehouses. */
export async function testOdooWith(c: OdooTestConfig, apiKey: string): Promise<ConnectionTestDto> {
  try {
    const gw = await odooGatewayFor(c, apiKey)
    try {
      await gw.login()
      const info = await gw.serverInfo()
      const warehouses = await gw.listWarehouses()
      return {
        ok: true,
        message: `Connected to Odoo ${info.serverVersion} as ${c.username.trim()}, over ${protocol(gw.transport)}; ${warehouses.length} ${warehouses.length === 1 ? 'warehouse' : 'warehouses'} readable.`,
      }
    } finally {
      await gw.close().catch(() => undefined)
    }
  } catch (e) {
    return failed(e)
  }
}
