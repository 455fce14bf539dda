// Warehouses: per channel, which Odoo locations contribute, shown as the location tree with the choices
// that would count stock twice, count stock that is not on a shelf, or count another company's stock.
import type { Database } from 'better-sqlite3'
import type { OdooLocation } from '../../../core/ports/odoo-gateway'
import { odooGatewayFromStore } from '../../runtime/odoo-from-store'
import type { LocationDto, WarehousesDto } from '../../../../shared/dto'
import { getChannel } from '../../db/repos/channels'
import { channelLocations, setChannelLocations } from '../../db/repos/location-rules'
import {
  activeOdooLocations,
  hasOdooLocations,
  replaceOdooLocations,
  type StoredLocation,
} from '../../db/repos/odoo-locations'
import type { HandlerContext } from '../handler-context'
import { HandlerError } from '../handler-error'
import type { Handlers } from '../handler-types'

type Raw = StoredLocation

const ancestors = (l: Raw): number[] =>
  l.parentPath
    .split('/')
    .filter(Boolean)
    .map(Number)
    .filter((id) => id !== l.id)

/** The company the seller's channels sell from: the one owning most internal locations. */
const mainCompany = (rows: Raw[]): number | null => {
  const count = new Map<number, number>()
  for (const r of rows)
    if (r.usage === 'internal' && r.companyId !== null)
      count.set(r.companyId, (count.get(r.companyId) ?? 0) + 1)
  let best: number | null = null
  for (const [id, n] of count) if (best === null || n > (count.get(best) ?? 0)) best = id
  return best
}

/** Sorts locations as a tree reads: each location followed by its children (by name), depth first. */
function treeOrder(rows: Raw[]): void {
  const ids = new Set(rows.map((r) => r.id))
  const children = new Map<number | null, Raw[]>()
  for (const r of rows) {
    const parent = r.parentId !== null && ids.has(r.parentId) ? r.parentId : null
    const list = children.get(parent) ?? []
    list.push(r)
    children.set(parent, list)
  }
  const out: Raw[] = []
  const walk = (parent: number | null) => {
    for (const r of (children.get(parent) ?? []).sort((a, b) => a.name.localeCompare(b.name))) {
      out.push(r)
      walk(r.id)
    }
  }
  walk(null)
  rows.splice(0, rows.length, ...out)
}

/**
 * The location tree of a channel with the problems of its selection: the saved one, or `selection` (the
 * seller's ticks before saving, so problems are flagged before they count).
 */
export function warehouseView(db: Database, channelId: string, selection?: readonly number[]): WarehousesDto {
  const rows = activeOdooLocations(db)
  treeOrder(rows)
  const selected = new Set(selection ?? channelLocations(db, channelId))
  const company = mainCompany(rows)
  const problems: string[] = []
  const byId = new Map(rows.map((r) => [r.id, r]))
  const locations = rows.map((r): LocationDto => {
    const sel = selected.has(r.id)
    let flag: LocationDto['flag'] = null
    if (sel) {
      const parent = ancestors(r).find((a) => selected.has(a))
      if (parent !== undefined) {
        flag = 'double_counted'
        problems.push(
          `${r.completeName} is counted twice: ${byId.get(parent)?.completeName ?? parent} already includes it.`,
        )
      } else if (r.usage !== 'internal') {
        flag = 'not_internal'
        problems.push(
          r.usage === 'customer'
            ? `${r.completeName} is where delivered goods go (a customer location): those units are with your customers and cannot be sold again.`
            : `${r.completeName} is not a stock location (${r.usage}): its units cannot be sold.`,
        )
      } else if (company !== null && r.companyId !== null && r.companyId !== company) {
        flag = 'other_company'
        problems.push(`${r.completeName} belongs to another company.`)
      }
    }
    return {
      id: r.id,
      name: r.name,
      completeName: r.completeName,
      usage: r.usage,
      parentId: r.parentId,
      depth: ancestors(r).length,
      companyId: r.companyId,
      selected: sel,
      flag,
    }
  })
  return { channelId, locations, problems }
}

/** A host may read Odoo's locations itself (the demo keeps its own credentials); else the stored connection. */
type WithLocations = HandlerContext & { odooLocations?: () => Promise<OdooLocation[]> }

async function readLocations(s: WithLocations): Promise<OdooLocation[]> {
  if (s.odooLocations) return s.odooLocations()
  const gw = await odooGatewayFromStore(s.db, s.vault)
  try {
    return await gw.listLocations()
  } finally {
    await gw.close().catch(() => undefined)
  }
}

/** Copies Odoo's location tree into the store; a failure leaves the last copy (or none) in place. */
export async function refreshLocations(s: HandlerContext): Promise<boolean> {
  let locations: OdooLocation[]
  try {
    locations = await readLocations(s)
  } catch {
    return false
  }
  replaceOdooLocations(s.db, locations)
  return true
}

const hasLocations = (db: Database) => hasOdooLocations(db)

export function warehouseHandlers(
  s: HandlerContext,
): Pick<Handlers, 'getWarehouses' | 'setWarehouses' | 'validateWarehouses'> {
  const need = (id: string) => {
    if (!getChannel(s.db, id)) throw new HandlerError('not_found', `There is no channel "${id}".`)
  }
  return {
    getWarehouses: async (req) => {
      need(req.channelId)
      if (req.refresh || !hasLocations(s.db)) await refreshLocations(s)
      return warehouseView(s.db, req.channelId)
    },
    validateWarehouses: async (req) => {
      need(req.channelId)
      return warehouseView(s.db, req.channelId, req.locationIds)
    },
    setWarehouses: async (req) => {
      need(req.channelId)
      setChannelLocations(s.db, req.channelId, req.locationIds)
      await s.engine()?.reloadConfig()
      return warehouseView(s.db, req.channelId)
    },
  }
}
