// Headless go-live from an empty data folder with only `lastunit` commands, against the Odoo simulator and
// the WooCommerce simulator over loopback: nothing reaches the channel before go-live except the zero-stock
// test's one listing, and `run` then syncs it.
import { afterEach, describe, expect, it } from 'vitest'
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli, type CliIo } from '../../../main/cli'
import { startOdooSim, type OdooSim } from '../../../main/sandbox/odoo/odoo-sim'
import { startWooCommerceSimulator, type WooSimulator } from '../../../main/sandbox/channels/woocommerce'
import type { StockWrite } from '../../../main/sandbox/kit'
import { tempDir } from '../../helpers/app'

const KEY = 'cli-golive-test-passphrase-0123456789'
const CH = 'woo-shop'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

/** Resolves when `ok` holds; polls every 100 ms, gives up after a generous timeout with the reason. */
const until = async (what: string, ok: () => boolean, timeoutMs = 60_000) => {
  const end = Date.now() + timeoutMs
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

interface World {
  dir: string
  odoo: OdooSim
  woo: WooSimulator
  /** Odoo products with their Woo listing ids. */
  products: Array<{ id: number; sku: string; listingId: string }>
  wh1Stock: number
  /** Every stock write the Woo simulator accepted, in order. */
  writes: StockWrite[]
  config: string
  env: NodeJS.ProcessEnv
}

/**
 * Odoo with six products (2 units free each in WH/Stock, none sold before), a Woo shop listing them at 50
 * each (so the first push changes every listing drastically and the guard holds it), and a configuration
 * file naming both. The data folder is empty.
 */
async function world(): Promise<World> {
  const { dir, cleanup } = tempDir('lastunit-golive-')
  cleanups.push(cleanup)
  const odoo = await startOdooSim({ version: 19, catalogue: { products: 8, historyDays: 0 } })
  cleanups.push(() => odoo.stop())
  const cat = odoo.catalogue!
  const wh1Stock = cat.warehouses[0]!.lotStockId
  const sim = [...odoo.store.products.values()].filter(
    (p) => cat.productIds.includes(p.id) && p.active && p.defaultCode && p.barcode,
  )
  for (const p of sim) {
    odoo.store.applyInventory(p.id, wh1Stock, 2)
    odoo.store.applyInventory(p.id, cat.shelfId, 0)
  }
  const woo = await startWooCommerceSimulator({})
  cleanups.push(() => woo.stop())
  const ids = woo.setProducts(
    sim.map((p) => ({ name: p.name, sku: p.defaultCode!, gtin: p.barcode!, stock: 50, manageStock: true })),
  )
  const writes: StockWrite[] = []
  woo.probe.onStockWrite = (w) => writes.push(w)
  // The data folder starts empty.
  mkdirSync(join(dir, 'data'))
  expect(readdirSync(join(dir, 'data'))).toEqual([])
  const config = join(dir, 'setup.json')
  writeFileSync(
    config,
    JSON.stringify({
      version: 1,
      odoo: {
        url: odoo.url,
        database: odoo.database,
        username: odoo.login,
        apiKey: { env: 'ODOO_KEY' },
        pollIntervalMs: 1000,
      },
      channels: [
        {
          id: CH,
          type: 'woocommerce',
          environment: 'custom',
          baseUrl: woo.url,
          credentials: { consumerKey: { env: 'WOO_KEY' }, consumerSecret: { env: 'WOO_SECRET' } },
          zeroStockAction: 'push_zero',
          orderImport: false,
          locations: [wh1Stock],
        },
      ],
      bufferRules: [
        { scope: 'global', buffer: 0 },
        { scope: 'velocity_class', velocityClass: 'slow', buffer: 0 },
        { scope: 'velocity_class', velocityClass: 'medium', buffer: 0 },
        { scope: 'velocity_class', velocityClass: 'fast', buffer: 0 },
      ],
    }),
  )
  return {
    dir: join(dir, 'data'),
    odoo,
    woo,
    products: sim.map((p, i) => ({ id: p.id, sku: p.defaultCode!, listingId: ids[i]! })),
    wh1Stock,
    writes,
    config,
    env: {
      LASTUNIT_KEY: KEY,
      ODOO_KEY: odoo.apiKey,
      WOO_KEY: woo.consumerKey,
      WOO_SECRET: woo.consumerSecret,
    },
  }
}

/** One `lastunit` call, as from a shell of its own (each call opens the data folder itself). */
function shell(w: World) {
  return async (args: string[], opts: { signal?: AbortSignal; onLine?: (l: string) => void } = {}) => {
    const out: string[] = []
    const io: CliIo = {
      out: (l) => {
        out.push(l)
        opts.onLine?.(l)
      },
      err: (l) => {
        out.push(`ERR ${l}`)
        opts.onLine?.(`ERR ${l}`)
      },
      env: w.env,
      ...(opts.signal ? { signal: opts.signal } : {}),
    }
    const code = await runCli(['--data-dir', w.dir, ...args], io)
    console.log(`$ lastunit ${args.join(' ')}  [exit ${code}]\n${out.join('\n')}\n`)
    return { code, out, text: out.join('\n') }
  }
}

/** Starts `lastunit run` in-process; resolves once it says what it does. */
async function startRun(w: World) {
  const lines: string[] = []
  const ac = new AbortController()
  const done = shell(w)(['run'], { signal: ac.signal, onLine: (l) => lines.push(l) })
  cleanups.push(async () => {
    ac.abort()
    await done
  })
  await until('run to start', () => lines.some((l) => /^LastUnit is (syncing|running)/.test(l))).catch(
    (e) => {
      throw new Error(`${(e as Error).message}; run printed:\n${lines.join('\n')}`)
    },
  )
  return {
    lines,
    stop: async () => {
      ac.abort()
      return (await done).code
    },
  }
}

/** A delivered sale of one unit in Odoo, so that a return of it can be processed later; returns the picking. */
function deliverOne(w: World, productId: number): number {
  const store = w.odoo.store
  const cat = w.odoo.catalogue!
  store.applyInventory(productId, w.wh1Stock, 10)
  const so = store.createSaleOrder({
    partnerId: cat.customerPartnerId,
    warehouseId: cat.warehouses[0]!.id,
    clientOrderRef: false,
    lines: [{ productId, qty: 1, price: 10 }],
  })
  store.confirmSaleOrder(so.id)
  const picking = [...store.pickings.values()].find((p) => p.saleId === so.id && p.kind === 'outgoing')!
  expect(store.validatePicking(picking.id, {})).toBe(true)
  return picking.id
}

const free = (w: World, productId: number) => w.odoo.store.stockOf(productId, [w.wh1Stock]).free

/** Every check that is not passing is followed by the command to run next. */
function expectNextForEveryOpenCheck(out: string[]) {
  const heads = out.map((l, i) => [l, i] as const).filter(([l]) => /^\d\. \[(FAIL|NOT RUN|WARN)\]/.test(l))
  for (const [head, i] of heads) {
    const block: string[] = []
    for (let j = i + 1; j < out.length && out[j]!.startsWith('   '); j++) block.push(out[j]!)
    expect(
      block.some((l) => l.startsWith('   Next: lastunit ') || l.startsWith('   Next: correct')),
      head,
    ).toBe(true)
  }
}

describe('headless go-live with lastunit commands only', () => {
  it('takes an empty data folder to a live, syncing channel; nothing is pushed before go-live but the zero-stock test', async () => {
    const w = await world()
    const sh = shell(w)
    const returned = w.products[0]!
    const picking = deliverOne(w, returned.id)

    const imported = await sh(['config', 'import', w.config])
    expect(imported.code, imported.text).toBe(0)
    expect(imported.text).toContain(
      `Channel ${CH} is in setup: nothing is pushed until a channel passes its checklist and goes live. Next: lastunit listings fetch ${CH}`,
    )

    // Nothing fetched yet: the mapping check fails and names the fetch.
    const first = await sh(['checklist', CH])
    expect(first.code).toBe(1)
    expectNextForEveryOpenCheck(first.out)
    expect(first.out).toContain('5. [FAIL] All active SKUs mapped')
    expect(first.out).toContain(`   Next: lastunit listings fetch ${CH}`)
    expect(first.out.at(-1)).toBe(`Next: lastunit listings fetch ${CH}`)
    // No engine runs anywhere and no channel is live: the check polled Odoo itself, and says so.
    expect(first.out).toContain('2. [PASS] Real-time sync active on every channel')
    expect(first.text).toMatch(/this check polled Odoo itself \d+ s ago and it answered/)

    const fetched = await sh(['listings', 'fetch', CH])
    expect(fetched.code, fetched.text).toBe(0)
    const n = w.products.length
    expect(n).toBeGreaterThanOrEqual(5) // the guard looks at catalogues of 5 listings or more
    expect(fetched.text).toContain(`${CH}: fetched ${n} listings; 0 mapped, ${n} not mapped.`)
    expect(fetched.out.at(-1)).toBe(`Next: lastunit map auto ${CH}`)

    const mapped = await sh(['map', 'auto', CH])
    expect(mapped.code, mapped.text).toBe(0)
    expect(mapped.text).toContain(
      `Mapped ${n} listings (${n} by SKU, 0 by EAN, 0 by channel id); 0 still unmapped.`,
    )
    expect(mapped.out.at(-1)).toBe(`Next: lastunit checklist ${CH}`)

    // Mapped: the two tests are what is left, each named with its command.
    const second = await sh(['checklist', CH])
    expect(second.code, second.text).toBe(2)
    expectNextForEveryOpenCheck(second.out)
    expect(second.out).toContain('4. [NOT RUN] Zero-stock behaviour verified')
    expect(second.out).toContain(`   Next: lastunit checklist ${CH} --zero-stock-test`)
    expect(second.out).toContain('7. [NOT RUN] Return restock flow tested')
    expect(second.out).toContain(`   Next: lastunit checklist ${CH} --return-test`)
    expect(second.out.at(-1)).toBe(`Next: lastunit checklist ${CH} --zero-stock-test`)
    expect(w.writes).toEqual([])

    const zero = await sh(['checklist', CH, '--zero-stock-test'])
    expect(zero.code, zero.text).toBe(2)
    expect(zero.text).toMatch(/zero-stock test: restored listing \S+ to 50 and read it back/)
    expect(zero.out).toContain('4. [PASS] Zero-stock behaviour verified')
    expect(zero.out.at(-1)).toBe(`Next: lastunit checklist ${CH} --return-test`)
    const tested = w.writes[0]!.listingId
    expect(w.writes.map((x) => [x.listingId, x.quantity])).toEqual([
      [tested, 0],
      [tested, 50],
    ])

    // No return is processed: the wait ends with a clear message, and the check names the test again.
    const late = await sh([
      'checklist',
      CH,
      '--return-test',
      '--product',
      String(returned.id),
      '--timeout',
      '1',
    ])
    expect(late.code).toBe(1)
    expect(late.text).toContain(
      `Return test failed: Return test for ${returned.sku} ${w.odoo.store.products.get(returned.id)!.name} (Odoo product ${returned.id}) failed: no return of ${returned.sku} ${w.odoo.store.products.get(returned.id)!.name} (Odoo product ${returned.id}) was seen in Odoo within 1 s: validate the return in Odoo (into a stock location this channel counts), then run the test again.`,
    )
    expect(late.out).toContain('7. [FAIL] Return restock flow tested')
    expect(late.out.at(-1)).toBe(`Next: lastunit checklist ${CH} --return-test`)

    // The return test guides the seller and waits; the test plays the seller in Odoo once it waits.
    let returnedInOdoo = false
    const ret = await sh(
      ['checklist', CH, '--return-test', '--product', String(returned.id), '--timeout', '120'],
      {
        onLine: (l) => {
          if (returnedInOdoo || !l.startsWith(`return test: waiting for a return of ${returned.sku} `)) return
          returnedInOdoo = true
          const store = w.odoo.store
          store.validateIncoming(store.returnPicking(picking, new Map([[returned.id, 1]])))
        },
      },
    )
    expect(returnedInOdoo, ret.text).toBe(true)
    expect(ret.code, ret.text).toBe(0)
    expect(ret.text).toContain(`Return test for`)
    expect(ret.text).toMatch(/In Odoo: open a delivered sale of this product, choose Return .* WH\/Stock/)
    expect(ret.text).toContain(
      `return test: Odoo's stock moves for ${returned.sku} ${w.odoo.store.products.get(returned.id)!.name} (Odoo product ${returned.id}) were picked up by the poll`,
    )
    expect(ret.text).toMatch(new RegExp(`rose 9 -> 10; it is pushed once .* is live`))
    expect(ret.out).toContain('7. [PASS] Return restock flow tested')
    expect(ret.out).toContain('Every check passes: the channel can go live.')
    expect(ret.out.at(-1)).toBe(`Next: lastunit checklist ${CH} --go-live`)

    // The first push: a dry run shows every listing dropping from 50; the guard would hold it.
    const review = await sh(['first-push', CH])
    expect(review.code, review.text).toBe(0)
    expect(review.out[0]).toMatch(
      /^First push to .* \(woo-shop, in setup\): a dry run of what going live sends\. Nothing was sent\.$/,
    )
    for (const p of w.products)
      expect(review.text).toMatch(
        new RegExp(`${p.listingId}\\s+${p.sku}\\s+50 ->\\s+${free(w, p.id)}  drastic`),
      )
    expect(review.text).toContain(
      `Verdict: ${n} of ${n} listings would change drastically: the first push waits for your confirmation.`,
    )
    expect(review.out.at(-1)).toBe(`If these figures are right, confirm: lastunit first-push ${CH} --confirm`)
    const confirmed = await sh(['first-push', CH, '--confirm'])
    expect(confirmed.code, confirmed.text).toBe(0)
    expect(confirmed.out.at(-1)).toMatch(
      new RegExp(
        `^Confirmed: when .* goes live, its first push goes out without waiting\\. Next: lastunit checklist ${CH} --go-live$`,
      ),
    )

    const live = await sh(['checklist', CH, '--go-live'])
    expect(live.code, live.text).toBe(0)
    expect(live.text).toMatch(/is live: every check passes\./)
    expect(live.text).toContain(`Next: lastunit run (it syncs ${CH} from now on`)

    // Before go-live nothing reached the channel but the zero-stock test's listing.
    expect(w.writes.filter((x) => x.listingId !== tested)).toEqual([])
    expect(w.writes).toHaveLength(2)

    const run = await startRun(w)
    expect(run.lines).toContain(
      `LastUnit is syncing (data: ${w.dir}). Press Ctrl+C to stop; the queue is drained first.`,
    )
    expect(
      run.lines.some((l) => l.startsWith(`- ${CH} (`) && l.endsWith(`live, syncing ${n} mapped listings.`)),
    ).toBe(true)
    await until("the shop to show Odoo's figures", () =>
      w.products.every((p) => w.woo.probe.listingState(p.listingId)?.quantity === free(w, p.id)),
    )
    expect(run.lines.join('\n')).not.toMatch(/ hold {2}/)

    // A second shell sees the running engine through its heartbeat in the data folder.
    const status = await sh(['status'])
    expect(status.code, status.text).toBe(0)
    expect(status.text).toMatch(
      /Sync: running in `lastunit run` \(process \d+\) since .*; last heartbeat \d+ s ago/,
    )
    expect(status.text).toMatch(new RegExp(`- ${CH} \\(woocommerce, live, .*\\) credentials set: `))

    expect(await run.stop()).toBe(0)
    expect(run.lines.at(-1)).toBe('Stopped.')
    const after = await sh(['status'])
    expect(after.text).toMatch(/Sync: not running since .* \(`lastunit run`, process \d+, stopped cleanly\)/)
    expect(after.text).toContain(
      'Live channels are not synced while sync is not running: start it with lastunit run.',
    )
  }, 240_000)

  it('run says what it does with a channel in setup, and names the command that moves it on', async () => {
    const w = await world()
    const sh = shell(w)
    expect((await sh(['config', 'import', w.config])).code).toBe(0)
    const run = await startRun(w)
    expect(run.lines).toContain(
      `LastUnit is running (data: ${w.dir}) and polls Odoo, but syncs no channel yet. Press Ctrl+C to stop.`,
    )
    expect(
      run.lines.some(
        (l) =>
          l.startsWith(`- ${CH} (`) &&
          l.endsWith(`in setup, nothing is pushed to it. Next: lastunit listings fetch ${CH}`),
      ),
    ).toBe(true)
    expect(run.lines).toContain(
      'No channel is live, so nothing is pushed: take a channel live with the commands above, ending with lastunit checklist CHANNEL --go-live.',
    )
    // A second `run` on the same data folder is refused: two engines would push everything twice.
    const second = await sh(['run'])
    expect(second.code).toBe(1)
    expect(second.text).toMatch(
      /LastUnit already syncs this data folder: the engine of `lastunit run` \(process \d+\)/,
    )
    expect(await run.stop()).toBe(0)
    expect(w.writes).toEqual([])
  }, 120_000)

  it('a first push held by the guard is printed with the commands; confirmed from a second shell, it goes out', async () => {
    const w = await world()
    const sh = shell(w)
    expect((await sh(['config', 'import', w.config])).code).toBe(0)
    expect((await sh(['listings', 'fetch', CH])).code).toBe(0)
    expect((await sh(['map', 'auto', CH])).code).toBe(0)
    const live = await sh(['checklist', CH, '--go-live', '--override', 'tests follow after launch'])
    expect(live.code, live.text).toBe(0)
    expect(live.text).not.toContain('Every check passes')
    expect(live.text).toMatch(/is live; \d+ checks overridden: tests follow after launch/)

    const run = await startRun(w)
    const n = w.products.length
    // Said in the channel's line when the guard held it before `run` printed them, else on a line of its own.
    const hold = `${CH}: the first push waits for your confirmation (${n} of ${n} listings would change drastically). Review it: lastunit first-push ${CH}; send it: lastunit first-push ${CH} --confirm`
    const said = (l: string) =>
      l.endsWith(hold) || l.includes(`(${CH}): live, ${n} mapped listings; ${hold.slice(CH.length + 2)}`)
    await until('run to print the hold', () => run.lines.some(said)).catch((e) => {
      throw new Error(`${(e as Error).message}; run printed:\n${run.lines.join('\n')}`)
    })
    expect(w.writes).toEqual([])

    const review = await sh(['first-push', CH])
    expect(review.out[0]).toMatch(
      /\(woo-shop, live\): held by the guard, nothing has been sent\. What waits:$/,
    )
    expect(review.out.at(-1)).toBe(`If these figures are right, confirm: lastunit first-push ${CH} --confirm`)
    const confirmed = await sh(['first-push', CH, '--confirm'])
    expect(confirmed.out.at(-1)).toMatch(
      /^Confirmed: the engine of `lastunit run` \(process \d+\) sends it within a few seconds; lastunit status shows the queue\.$/,
    )
    await until('run to let the confirmed push go', () =>
      run.lines.some((l) => l.endsWith(`guard ${CH}: the first push was confirmed; sending it.`)),
    ).catch((e) => {
      throw new Error(`${(e as Error).message}; run printed:\n${run.lines.join('\n')}`)
    })
    await until("the shop to show Odoo's figures", () =>
      w.products.every((p) => w.woo.probe.listingState(p.listingId)?.quantity === free(w, p.id)),
    )
    expect(await run.stop()).toBe(0)
  }, 180_000)
})
