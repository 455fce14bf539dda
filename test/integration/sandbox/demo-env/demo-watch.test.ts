// The demo's check that no channel receives an older figure after a newer one is measured from outside the
// engine: a stale figure written to a simulator through the real adapter, behind the engine's back, is named.
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../../main/node/db/database'
import { getChannel } from '../../../../main/node/db/repos/channels'
import { readCredentials } from '../../../../main/node/db/repos/credentials'
import { Runtime } from '../../../../main/node/runtime/runtime'
import { createChannelAdapter } from '../../../../main/node/runtime/channel-registry'
import { createKeyVault } from '../../../../main/node/secrets/key-vault'
import { vaultSalt } from '../../../../main/node/secrets/vault-salt'
import {
  startDemoEnvironment,
  watchDemo,
  type DemoEnvironment,
  type DemoWatch,
} from '../../../../main/sandbox/demo-env'
import { tempDir, TEST_PASSPHRASE } from '../../../helpers/app'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const until = async (what: string, ok: () => boolean, timeoutMs = 30_000) => {
  const end = Date.now() + timeoutMs
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('watchDemo', () => {
  it('reports nothing for the engine, and names a stale figure written behind its back', async () => {
    const { dir, cleanup } = tempDir()
    const db = openDatabase(join(dir, 'lastunit.db'))
    const watches: DemoWatch[] = []
    const rt = new Runtime<DemoEnvironment>({
      db,
      vault: createKeyVault(TEST_PASSPHRASE, vaultSalt(db)),
      dataDir: dir,
      host: 'cli',
      version: 'test',
      demo: async (o) => {
        const env = await startDemoEnvironment({ ...o, products: 6 })
        watches.push(watchDemo(env))
        return env
      },
    })
    cleanups.push(
      cleanup,
      () => void db.close(),
      () => rt.stop(),
    )
    rt.subscribe((e) => watches[0]?.onEngineEvent(e))
    expect((await rt.startDemo()).started).toBe(true)
    const env = rt.demoEnvironment()!
    env.stopMarket()
    const engine = rt.engine()!
    expect(await engine.idle(30_000)).toBe(true)

    // A product's WooCommerce listing shows LastUnit's figure; Odoo receives goods and the figure rises.
    const woo = env.sims.woocommerce.probe
    const p = env.products[0]!
    const listingId = woo.listingIndex().find((l) => l.sku === p.sku)!.listingId
    const old = woo.listingState(listingId)!.quantity
    env.sims.odoo.store.receive(p.id, env.locationIds[0]!, 5)
    await until('the new figure on WooCommerce', () => woo.listingState(listingId)!.quantity > old)
    expect(await engine.idle(30_000)).toBe(true)
    const clean = watches[0]!.summary(engine.status(), 0)
    expect(clean.olderAfterNewer).toBe(0)
    expect(clean.received).toBeGreaterThan(0)

    // The old figure again, through the real adapter with the demo's credentials: an older value after a newer.
    const channel = getChannel(rt.db, 'demo-woocommerce')!
    const adapter = createChannelAdapter(
      channel,
      readCredentials(rt.db, rt.handlerContext().vault, 'channel:demo-woocommerce'),
      env.adapterOptions,
    )
    await adapter.push([{ listingId, quantity: old, action: 'set', stamp: 1 }])
    await adapter.close?.()
    const s = watches[0]!.summary(engine.status(), 0)
    expect(s.olderAfterNewer).toBe(1)
    expect(s.channels.find((c) => c.channelId === 'demo-woocommerce')!.olderAfterNewer).toBe(1)
    expect(s.channels.filter((c) => c.olderAfterNewer > 0)).toHaveLength(1)
  }, 90_000)
})
