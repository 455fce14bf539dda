import type { Database } from 'better-sqlite3'
import { pluckStatement, statement } from '../statement'
import type {
  ChannelEnvironment,
  ChannelType,
  StockBasis,
  ZeroStockAction,
} from '../../../../shared/channel-types'

export type ChannelSettings = Record<string, string | number | boolean | string[]>

export interface ChannelRow {
  id: string
  type: ChannelType
  name: string
  baseUrl: string
  environment: ChannelEnvironment
  settings: ChannelSettings
  stockBasis: StockBasis
  zeroStockAction: ZeroStockAction
  orderImport: boolean
  odooPartnerId: number | null
  odooWarehouseId: number | null
  maxPublished: number | null
  zeroBelow: number | null
  state: 'setup' | 'live' | 'disabled'
  ordersWatermark: string | null
}

interface Raw {
  id: string
  type: ChannelType
  name: string
  base_url: string
  environment: ChannelEnvironment
  settings: string
  stock_basis: StockBasis
  zero_stock_action: ZeroStockAction
  order_import: number
  odoo_partner_id: number | null
  odoo_warehouse_id: number | null
  max_published: number | null
  zero_below: number | null
  state: 'setup' | 'live' | 'disabled'
  orders_watermark: string | null
}

const fromRaw = (r: Raw): ChannelRow => ({
  id: r.id,
  type: r.type,
  name: r.name,
  baseUrl: r.base_url,
  environment: r.environment,
  settings: JSON.parse(r.settings) as ChannelSettings,
  stockBasis: r.stock_basis,
  zeroStockAction: r.zero_stock_action,
  orderImport: r.order_import === 1,
  odooPartnerId: r.odoo_partner_id,
  odooWarehouseId: r.odoo_warehouse_id,
  maxPublished: r.max_published,
  zeroBelow: r.zero_below,
  state: r.state,
  ordersWatermark: r.orders_watermark,
})

export const listChannels = (db: Database): ChannelRow[] =>
  (statement(db, 'SELECT * FROM channels ORDER BY created_at, id').all() as Raw[]).map(fromRaw)

export const getChannel = (db: Database, id: string): ChannelRow | null => {
  const r = statement(db, 'SELECT * FROM channels WHERE id = ?').get(id) as Raw | undefined
  return r ? fromRaw(r) : null
}

export type ChannelUpsert = Omit<ChannelRow, 'state' | 'ordersWatermark'> & { state?: ChannelRow['state'] }

/** Inserts or updates a channel. Its go-live state and order watermark are kept on update. */
export const upsertChannel = (db: Database, c: ChannelUpsert): void => {
  statement(
    db,
    `INSERT INTO channels (id, type, name, base_url, environment, settings, stock_basis, zero_stock_action, order_import,
       odoo_partner_id, odoo_warehouse_id, max_published, zero_below, state)
     VALUES (@id, @type, @name, @baseUrl, @environment, @settings, @stockBasis, @zeroStockAction, @orderImport,
       @odooPartnerId, @odooWarehouseId, @maxPublished, @zeroBelow, @state)
     ON CONFLICT(id) DO UPDATE SET type = excluded.type, name = excluded.name, base_url = excluded.base_url,
       environment = excluded.environment, settings = excluded.settings, stock_basis = excluded.stock_basis,
       zero_stock_action = excluded.zero_stock_action, order_import = excluded.order_import,
       odoo_partner_id = excluded.odoo_partner_id, odoo_warehouse_id = excluded.odoo_warehouse_id,
       max_published = excluded.max_published, zero_below = excluded.zero_below`,
  ).run({
    ...c,
    settings: JSON.stringify(c.settings),
    orderImport: c.orderImport ? 1 : 0,
    state: c.state ?? 'setup',
  })
}

export const setChannelState = (db: Database, id: string, state: ChannelRow['state']): void => {
  statement(db, 'UPDATE channels SET state = ? WHERE id = ?').run(state, id)
}

export const setOrdersWatermark = (db: Database, id: string, watermark: string): void => {
  statement(db, 'UPDATE channels SET orders_watermark = ? WHERE id = ?').run(watermark, id)
}

export const deleteChannel = (db: Database, id: string): boolean => {
  return db.transaction(() => {
    statement(db, 'DELETE FROM credentials WHERE owner = ?').run(`channel:${id}`)
    return statement(db, 'DELETE FROM channels WHERE id = ?').run(id).changes > 0
  })()
}

/** The stock settings of every channel not disabled (the engine's catalogue), in table order. */
export const enabledChannelSettings = (
  db: Database,
): Array<{
  id: string
  type: string
  name: string
  stock_basis: StockBasis
  zero_stock_action: ZeroStockAction
  max_published: number | null
  zero_below: number | null
  order_import: number
  state: string
}> =>
  statement(
    db,
    `SELECT id, type, name, stock_basis, zero_stock_action, max_published, zero_below, order_import, state
     FROM channels WHERE state != 'disabled'`,
  ).all() as ReturnType<typeof enabledChannelSettings>

/** The ids of every channel not disabled, in table order. */
export const enabledChannelIds = (db: Database): string[] =>
  pluckStatement(db, "SELECT id FROM channels WHERE state != 'disabled'").all() as string[]

/** The base URL of every channel not disabled, in table order. */
export const enabledChannelUrls = (db: Database): Array<{ id: string; baseUrl: string }> =>
  statement(db, "SELECT id, base_url AS baseUrl FROM channels WHERE state != 'disabled'").all() as Array<{
    id: string
    baseUrl: string
  }>

/** The ids of the channels in setup, in order. */
export const setupChannelIds = (db: Database): string[] =>
  pluckStatement(db, "SELECT id FROM channels WHERE state = 'setup' ORDER BY id").all() as string[]

/** Every channel's id, name and go-live state, by id. */
export const channelStates = (
  db: Database,
): Array<{ id: string; name: string; state: ChannelRow['state'] }> =>
  statement(db, 'SELECT id, name, state FROM channels ORDER BY id').all() as Array<{
    id: string
    name: string
    state: ChannelRow['state']
  }>
