// What `lastunit run` says about each channel when it starts. A live channel without a worker because the
// engine's first read of Odoo failed is waiting for Odoo, not missing credentials.
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type Database } from '../../../main/node/db/database'
import { setChannelState, upsertChannel } from '../../../main/node/db/repos/channels'
import type { Engine, EngineStatus } from '../../../main/node/engine'
import { runChannelLines } from '../../../main/node/setup/first-push-command'

let db: Database | null = null
afterEach(() => {
  db?.close()
  db = null
})

function liveShop(): Database {
  const d = openDatabase(':memory:')
  upsertChannel(d, {
    id: 'shop',
    type: 'woocommerce',
    name: 'Shop',
    baseUrl: 'https://shop.example.com',
    environment: 'custom',
    settings: {},
    stockBasis: 'free',
    zeroStockAction: 'push_zero',
    orderImport: false,
    odooPartnerId: null,
    odooWarehouseId: null,
    maxPublished: null,
    zeroBelow: null,
    state: 'setup',
  })
  setChannelState(d, 'shop', 'live')
  return d
}

const engineWith = (odoo: EngineStatus['odoo']): Engine =>
  ({
    status: (): EngineStatus => ({ running: true, paused: false, odoo, channels: [], resync: null }),
  }) as unknown as Engine

describe('runChannelLines', () => {
  it("a live channel waiting for Odoo's first read is said so, with the retry, never as incomplete credentials", () => {
    db = liveShop()
    const error = 'Odoo at odoo.example.com did not answer within 30 s while reading stock'
    const plan = runChannelLines(
      db,
      engineWith({ lastPollAt: null, lastError: error, pollIntervalMs: 5000, changesSeen: 0 }),
    )
    expect(plan.odooWait).toBe(error)
    expect(plan.syncing).toBe(0)
    expect(plan.lines.join('\n')).not.toMatch(/incomplete/)
    expect(plan.lines).toEqual([
      "- shop (Shop): live, 0 mapped listings; waits for Odoo's first stock read, tried again every 5 s.",
      `Odoo cannot be read yet (${error}): LastUnit retries every 5 s and starts syncing as soon as Odoo answers.`,
    ])
  })

  it('without an Odoo error, a live channel without a worker is still the credentials case', () => {
    db = liveShop()
    const plan = runChannelLines(
      db,
      engineWith({ lastPollAt: 1, lastError: null, pollIntervalMs: 5000, changesSeen: 0 }),
    )
    expect(plan.odooWait).toBeNull()
    expect(plan.lines[0]).toMatch(/live but NOT syncing: its credentials or settings are incomplete/)
  })
})
