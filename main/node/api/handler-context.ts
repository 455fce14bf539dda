// The context the API handlers (handlers.ts, handlers/*) run in.
import type { Database } from 'better-sqlite3'
import type { SecretVault } from '../../core/ports/secret-vault'
import type { ConnectionTestDto } from '../../../shared/dto'
import type { Engine } from '../engine'
import type { ChannelRow } from '../db/repos/channels'
import type { OdooConnectionRow } from '../db/repos/odoo-connection'
import type { FasterOrdersCheck } from '../runtime/faster-orders-check'

/** An Odoo connection as typed in the form (the stored row without its engine-written columns). */
export type OdooTestConfig = Pick<
  OdooConnectionRow,
  'url' | 'database' | 'username' | 'transport' | 'allowInsecureHttp' | 'timeoutMs'
>

/**
 * What the API handlers work with, handed over by their host: the store, the vault, the running engine (or
 * none) and the runtime's operations. The runtime builds one (Runtime.handlerContext()) for the desktop app
 * and the browser preview; the CLI builds a read-only one for `lastunit status`.
 */
export interface HandlerContext {
  /** The store in use: the seller's, or the demo's while the demo runs (hence read on every call). */
  readonly db: Database
  vault: SecretVault
  dataDir: string
  host: 'electron' | 'browser' | 'cli'
  version: string
  /** The running engine, or null when none runs (nothing configured yet, or stopped). */
  engine: () => Engine | null
  testOdoo?: () => Promise<ConnectionTestDto>
  testChannel?: (channelId: string) => Promise<ConnectionTestDto>
  /** Tests a channel from values in memory (typed, not saved) through its adapter; stores nothing. */
  testChannelConfig?: (channel: ChannelRow, credentials: Record<string, string>) => Promise<ConnectionTestDto>
  /** Tests an Odoo connection from values in memory (typed, not saved) through the gateway; stores nothing. */
  testOdooConfig?: (connection: OdooTestConfig, apiKey: string) => Promise<ConnectionTestDto>
  /** Checks a channel's "Faster orders" (queue, subscription) from values in memory; stores nothing. */
  checkFasterOrders?: (channel: ChannelRow, credentials: Record<string, string>) => Promise<FasterOrdersCheck>
  startDemo?: () => Promise<{ started: boolean; message: string }>
  /** True while the demo (simulators) runs. */
  demoRunning?: () => boolean
  /** Fetches listings from the channels (one or all) and maps unmapped ones by SKU and EAN. */
  refreshListings?: (
    channelId?: string,
  ) => Promise<Array<{ channelId: string; listings: number; mapped: number }>>
  /** Why sync is not running, in plain words, when the host knows (Odoo unreachable, nothing configured). */
  statusNote?: () => string | null
  /** Configuration changed (channels, credentials, Odoo connection): restart or reload the engine. */
  configChanged?: () => void
}

/** What the handlers call on the engine: the engine itself. */
export type EngineControl = Engine
