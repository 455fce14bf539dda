// Builds the checklist's snapshot for one channel from SQLite (configuration, listings, mappings, stored
// results) and the engine's status. The rules in core read nothing else.
import type { Database } from 'better-sqlite3'
import type { BufferRule } from '../../core/buffers/buffer-rules'
import type {
  ChannelHealth,
  ChecklistConfig,
  ChecklistSnapshot,
  SnapshotLocation,
  SnapshotProduct,
} from '../../core/checklist'
import type { OdooLocation } from '../../core/ports/odoo-gateway'
import { getChannel, listChannels } from '../db/repos/channels'
import { listBufferRules } from '../db/repos/buffer-rules'
import { channelLocations } from '../db/repos/location-rules'
import { listMappings } from '../db/repos/mappings'
import type { EngineStatus } from '../engine'
import { readStoredResults } from './results-store'

export interface SnapshotInput {
  db: Database
  channelId: string
  now: number
  status: EngineStatus | null
  /** Words naming the engine `status` came from, when it runs in another process. */
  syncSource?: string | null
  /** No engine runs: the check's own poll of Odoo. */
  odooProbe?: ChecklistSnapshot['odooProbe']
  readBack: ChecklistSnapshot['readBack']
  readBackError?: string | null
  /** Odoo's location tree when the caller just read it; else the stored copy (odoo_locations). */
  locations?: OdooLocation[] | null
}

export class UnknownChannelError extends Error {
  constructor(readonly channelId: string) {
    super(`There is no channel "${channelId}".`)
    this.name = 'UnknownChannelError'
  }
}

export function checklistConfig(db: Database, channelId: string): ChecklistConfig {
  const c = getChannel(db, channelId)
  if (!c) throw new UnknownChannelError(channelId)
  const listingIds = (
    db
      .prepare('SELECT listing_id AS id FROM listings WHERE channel_id = ? ORDER BY listing_id')
      .all(channelId) as {
      id: string
    }[]
  ).map((r) => r.id)
  const bufferRules: BufferRule[] = listBufferRules(db).map((r) => ({
    scope: r.scope,
    buffer: r.buffer,
    velocityClass: r.velocityClass,
    channelId: r.channelId,
    productId: r.productId,
    startsOn: r.startsOn,
    endsOn: r.endsOn,
    note: r.note,
  }))
  return {
    channel: {
      id: c.id,
      type: c.type,
      baseUrl: c.baseUrl,
      stockBasis: c.stockBasis,
      zeroStockAction: c.zeroStockAction,
      settings: c.settings,
    },
    channelIds: listChannels(db)
      .filter((x) => x.state !== 'disabled')
      .map((x) => x.id),
    locationIds: channelLocations(db, channelId),
    listingIds,
    mappings: listMappings(db, channelId).map((m) => [m.listingId, m.productId]),
    bufferRules,
  }
}

function storedLocationTree(db: Database): SnapshotLocation[] | null {
  const rows = db
    .prepare(
      `SELECT id, complete_name AS completeName, usage, parent_path AS parentPath, company_id AS companyId
       FROM odoo_locations WHERE active = 1`,
    )
    .all() as SnapshotLocation[]
  return rows.length > 0 ? rows : null
}

export function buildSnapshot(input: SnapshotInput): ChecklistSnapshot {
  const { db, channelId, now, status } = input
  const channel = getChannel(db, channelId)
  if (!channel) throw new UnknownChannelError(channelId)
  const config = checklistConfig(db, channelId)
  const runs = new Map((status?.channels ?? []).map((c) => [c.channelId, c]))
  const channels: ChannelHealth[] = listChannels(db)
    .filter((c) => c.state !== 'disabled')
    .map((c) => {
      const r = runs.get(c.id)
      return {
        channelId: c.id,
        name: c.name,
        state: c.state === 'live' ? 'live' : 'setup',
        run: r
          ? {
              state: r.state,
              queueDepth: r.queueDepth,
              lastConfirmedAt: r.lastConfirmedAt,
              lastError: r.lastError,
              latencyP99Ms: r.latencyP99Ms,
            }
          : null,
      }
    })
  const listings = (
    db
      .prepare(
        `SELECT l.listing_id AS listingId, l.sku, l.title, m.product_id IS NOT NULL AS mapped
         FROM listings l LEFT JOIN sku_mappings m ON m.channel_id = l.channel_id AND m.listing_id = l.listing_id
         WHERE l.channel_id = ? ORDER BY l.listing_id`,
      )
      .all(channelId) as Array<{ listingId: string; sku: string | null; title: string; mapped: number }>
  ).map((l) => ({ ...l, mapped: l.mapped === 1 }))
  const products = db
    .prepare(
      `SELECT p.id AS productId, p.name, p.default_code AS sku, p.sales_per_day AS salesPerDay,
         (SELECT COUNT(DISTINCT m2.channel_id) FROM sku_mappings m2 JOIN channels c2 ON c2.id = m2.channel_id
          WHERE m2.product_id = p.id AND c2.state != 'disabled') AS channelCount
       FROM products p WHERE p.id IN (SELECT product_id FROM sku_mappings WHERE channel_id = ?) ORDER BY p.id`,
    )
    .all(channelId) as SnapshotProduct[]
  const tree =
    input.locations && input.locations.length > 0
      ? input.locations
          .filter((l) => l.active)
          .map((l) => ({
            id: l.id,
            completeName: l.completeName,
            usage: l.usage,
            parentPath: l.parentPath,
            companyId: l.companyId,
          }))
      : storedLocationTree(db)
  return {
    now,
    today: new Date(now).toISOString().slice(0, 10),
    channelId,
    channelName: channel.name,
    config,
    engineRunning: status?.running ?? false,
    odoo: status
      ? {
          lastPollAt: status.odoo.lastPollAt,
          lastError: status.odoo.lastError,
          pollIntervalMs: status.odoo.pollIntervalMs,
        }
      : null,
    channels,
    syncSource: input.syncSource ?? null,
    odooProbe: input.odooProbe ?? null,
    readBack: input.readBack,
    readBackError: input.readBackError ?? null,
    listings,
    products,
    locationTree: tree,
    stored: readStoredResults(db, channelId),
  }
}
