// Builds the checklist's snapshot for one channel from SQLite (configuration, listings, mappings, stored
// results) and the engine's status. The rules in core read nothing else.
import type { Database } from 'better-sqlite3'
import type { BufferRule } from '../../core/buffers/buffer-rules'
import type {
  ChannelHealth,
  ChecklistConfig,
  ChecklistSnapshot,
  SnapshotLocation,
} from '../../core/checklist'
import type { OdooLocation } from '../../core/ports/odoo-gateway'
import { getChannel, listChannels } from '../db/repos/channels'
import { listBufferRules } from '../db/repos/buffer-rules'
import { channelLocations } from '../db/repos/location-rules'
import { fetchedListingIds, listingsWithMappedFlag } from '../db/repos/listings'
import { listMappings } from '../db/repos/mappings'
import { activeLocationTree } from '../db/repos/odoo-locations'
import { mappedProductsOfChannel } from '../db/repos/products'
import type { EngineStatus } from '../engine'
import { readStoredResults } from '../db/repos/checklist-results'
import { bufferTargetRisk } from '../api/handlers/buffer-recommendations'

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
  const listingIds = fetchedListingIds(db, channelId)
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
  const rows = activeLocationTree(db)
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
        type: c.type,
        state: c.state === 'live' ? 'live' : 'setup',
        run: r
          ? {
              state: r.state,
              queueDepth: r.queueDepth,
              lastConfirmedAt: r.lastConfirmedAt,
              lastError: r.lastError,
              latencyP99Ms: r.latencyP99Ms,
              latencyP50Ms: r.latencyP50Ms,
              orderPollIntervalMs: r.orderPollIntervalMs,
            }
          : null,
      }
    })
  const listings = listingsWithMappedFlag(db, channelId)
  const products = mappedProductsOfChannel(db, channelId)
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
    targetRisk: bufferTargetRisk(db),
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
