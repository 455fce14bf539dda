// What the setup commands need when no engine runs in their own process: whether an engine runs in another
// one (its status snapshot), one poll of Odoo, Odoo's catalogue, and a dry run of the engine (SyncPreview)
// for the first-push diff and the return test. None of it pushes to a channel.
import type { Database } from 'better-sqlite3'
import { errorMessage, isClassifiedError } from '../../core/errors'
import type { SecretVault } from '../../core/ports/secret-vault'
import { getChannel } from '../db/repos/channels'
import { getOdooConnection } from '../db/repos/odoo-connection'
import { setSalesHistory, upsertProducts } from '../db/repos/products'
import { DEFAULT_ENGINE_OPTIONS, type EngineStatus } from '../engine'
import { SyncPreview } from '../engine/sync-preview'
import type { ReturnTestFigures } from '../checklist/return-test'
import { syncHostState, type HostStatusSnapshot, type SyncHostState } from '../runtime/host-status'
import { odooGatewayFromStore } from '../runtime/odoo-from-store'
import type { RpcOdooGateway } from '../odoo/rpc-gateway'

const HOSTS: Record<HostStatusSnapshot['host'], string> = {
  cli: '`lastunit run`',
  electron: 'the desktop app',
  browser: 'the browser preview',
}

const secondsAgo = (ms: number) => `${Math.round(ms / 1000)} s`

/** "the engine of `lastunit run` (process 4242), status 2 s old" */
export function describeHost(s: HostStatusSnapshot, ageMs: number): string {
  return `the engine of ${HOSTS[s.host]} (process ${s.pid}), status ${secondsAgo(ageMs)} old`
}

/** One line on whether sync runs on this data folder, and since when it does not. */
export function describeSyncState(h: SyncHostState): string {
  if (h.running)
    return `running in ${HOSTS[h.snapshot.host]} (process ${h.snapshot.pid}) since ${iso(h.snapshot.startedAt)}; last heartbeat ${secondsAgo(h.ageMs)} ago`
  if (!h.last) return 'not running (it has never run on this data folder)'
  return h.clean
    ? `not running since ${iso(h.since!)} (${HOSTS[h.last.host]}, process ${h.last.pid}, stopped cleanly)`
    : `not running since ${iso(h.since!)} (${HOSTS[h.last.host]}, process ${h.last.pid}, last heartbeat; it did not stop cleanly)`
}

const iso = (at: number) => new Date(at).toISOString().replace('T', ' ').slice(0, 19) + ' UTC'

/** The status of an engine running in another process on this data folder, with words naming it. */
export function runningElsewhere(db: Database): { status: EngineStatus; source: string } | null {
  const h = syncHostState(db)
  if (!h.running || !h.snapshot.engine) return null
  return { status: h.snapshot.engine, source: describeHost(h.snapshot, h.ageMs) }
}

const odooError = (e: unknown) => `${errorMessage(e)}${isClassifiedError(e) && e.hint ? ` ${e.hint}` : ''}`

/** Logs in to Odoo and makes one change poll (a fresh cursor: no change is consumed). */
export async function probeOdoo(
  db: Database,
  vault: SecretVault,
): Promise<{ at: number; error: string | null }> {
  const at = Date.now()
  let gw: RpcOdooGateway | null = null
  try {
    gw = await odooGatewayFromStore(db, vault)
    await gw.login()
    await gw.pollChanges(null)
    return { at, error: null }
  } catch (e) {
    return { at, error: odooError(e) }
  } finally {
    await gw?.close().catch(() => undefined)
  }
}

/** Reads Odoo's products and sales history into the store, as the engine does at start. */
export async function refreshOdooCatalogue(db: Database, vault: SecretVault): Promise<{ products: number }> {
  const gw = await odooGatewayFromStore(db, vault)
  try {
    await gw.login()
    const products = await gw.listProducts()
    upsertProducts(db, products)
    const days = DEFAULT_ENGINE_OPTIONS.salesHistoryDays
    setSalesHistory(db, await gw.salesHistory(days), days)
    return { products: products.length }
  } finally {
    await gw.close().catch(() => undefined)
  }
}

export interface OpenPreview {
  preview: SyncPreview
  odoo: RpcOdooGateway
  close(): Promise<void>
}

/** A dry run of the engine over the stored configuration; `asLive`: channels in setup computed as if live. */
export async function openPreview(db: Database, vault: SecretVault, asLive: string[]): Promise<OpenPreview> {
  const odoo = await odooGatewayFromStore(db, vault)
  try {
    await odoo.login()
    const preview = new SyncPreview({ db, odoo, asLive })
    await preview.load()
    return { preview, odoo, close: () => odoo.close().catch(() => undefined) }
  } catch (e) {
    await odoo.close().catch(() => undefined)
    throw e
  }
}

/**
 * The return test's figures without an engine here: the dry run polls Odoo itself (at the configured poll
 * interval, with a cursor of its own) and rereads a product the poll names; live channels' pushes come from
 * the engine running elsewhere, read from the store.
 */
export async function headlessReturnFigures(
  db: Database,
  vault: SecretVault,
  channelId: string,
  productId: number,
): Promise<{ figures: ReturnTestFigures; locations: string[]; close(): Promise<void> }> {
  const c = getChannel(db, channelId)
  const p = await openPreview(db, vault, c && c.state === 'setup' ? [channelId] : [])
  let locations: string[] = []
  try {
    await p.preview.poll()
    await p.preview.read([productId])
    const ids = new Set(p.preview.channels().find((x) => x.id === channelId)?.locationIds ?? [])
    locations = (await p.odoo.listLocations()).filter((l) => ids.has(l.id)).map((l) => l.completeName)
  } catch (e) {
    await p.close()
    throw e
  }
  const every = getOdooConnection(db)?.pollIntervalMs ?? DEFAULT_ENGINE_OPTIONS.pollIntervalMs
  let last = Date.now()
  const figures: ReturnTestFigures = {
    unavailable: (live) => {
      if (live.length === 0 || runningElsewhere(db)) return null
      return `${live.join(', ')} ${live.length === 1 ? 'is' : 'are'} live, but sync is not running, so nothing would push the return: start it (\`lastunit run\` or the app), then run the test again`
    },
    quantity: (ch, listing) => p.preview.desired(ch, listing)?.command.quantity ?? null,
    refresh: async (id) => {
      if (Date.now() - last < every) return
      last = Date.now()
      const changed = await p.preview.poll()
      if (changed.includes(id)) await p.preview.read([id])
    },
  }
  return { figures, locations, close: p.close }
}
