// Part of `npm run bench -- odoo`: the shipped runtime, with its shipped defaults (5 s Odoo poll, 75 s
// late-commit sweep, the 10-minute safety net), against the Odoo simulator and a WooCommerce simulator, on
// a clock running WARP times faster (bench/_time-warp.ts). Measures:
// - how long a published figure stays wrong after the COMMIT of a transaction that ran 5 s, 75 s and
//   10 minutes (Odoo stamps write_date with the transaction's start: the poll's overlap covers 60 s);
// - the calls an idle Odoo receives beyond the polls themselves, per simulated minute.
// Prints one JSON line on stdout. Usage: _late-commit-process.ts VERSION
import { installTimeWarp } from './_time-warp'

const warp = installTimeWarp(Number(process.env.LATE_COMMIT_WARP ?? 10))
const version = Number(process.argv[2] ?? 19) as 18 | 19
const IDLE_MINUTES = Number(process.env.LATE_COMMIT_IDLE_MINUTES ?? 15)
const TRANSACTIONS_MS = [5_000, 75_000, 600_000]

const { mkdtempSync, rmSync } = await import('node:fs')
const { tmpdir } = await import('node:os')
const { join } = await import('node:path')
const { randomBytes } = await import('node:crypto')
const { openDatabase } = await import('../main/node/db/database')
const { setChannelState, upsertChannel } = await import('../main/node/db/repos/channels')
const { storeCredential } = await import('../main/node/db/repos/credentials')
const { saveOdooConnection } = await import('../main/node/db/repos/odoo-connection')
const { Runtime } = await import('../main/node/runtime/runtime')
const { createKeyVault } = await import('../main/node/secrets/key-vault')
const { vaultSalt } = await import('../main/node/secrets/vault-salt')
const { startOdooSim } = await import('../main/sandbox/odoo/odoo-sim')
const { startWooCommerceSimulator } = await import('../main/sandbox/channels/woocommerce')

const say = (line: string) => process.stderr.write(`  [odoo ${version}] ${line}\n`)

const dir = mkdtempSync(join(tmpdir(), 'lastunit-late-commit-'))
// No sales history: every product is slow and its default buffer 0, so the shop shows Odoo's free stock.
const sim = await startOdooSim({ version, catalogue: { products: 200, historyDays: 0, seed: 5 } })
const cat = sim.catalogue!
const roots = cat.warehouses.map((w) => w.lotStockId)
const free = (id: number) => Math.max(0, Math.floor(sim.store.stockOf(id, roots).free))
const products = cat.productIds
  .map((id) => sim.store.products.get(id)!)
  .filter((p) => p.active && p.storable && p.defaultCode)
const shop = await startWooCommerceSimulator({})
const listingIds = shop.setProducts(
  products.map((p) => ({ name: p.name, sku: p.defaultCode!, stock: free(p.id), manageStock: true })),
)
const listingOf = new Map(products.map((p, i) => [p.id, listingIds[i]!]))
const shown = (productId: number) => shop.stock(listingOf.get(productId)!)?.stock_quantity ?? null

const db = openDatabase(join(dir, 'lastunit.db'))
const vault = createKeyVault(randomBytes(24).toString('base64url'), vaultSalt(db))
db.transaction(() => {
  // What a seller stores: no poll interval of our own, the shipped default.
  saveOdooConnection(db, {
    url: sim.url,
    database: sim.database,
    username: sim.login,
    transport: 'auto',
    allowInsecureHttp: false,
    timeoutMs: 30_000,
    pollIntervalMs: 5000,
  })
  storeCredential(db, vault, 'odoo', 'apiKey', sim.apiKey)
  upsertChannel(db, {
    id: 'shop',
    type: 'woocommerce',
    name: 'Shop',
    baseUrl: shop.url,
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
  storeCredential(db, vault, 'channel:shop', 'consumerKey', shop.consumerKey)
  storeCredential(db, vault, 'channel:shop', 'consumerSecret', shop.consumerSecret)
})()

const runtime = new Runtime({ db, vault, dataDir: dir, host: 'cli', version: 'bench' })
let pollCalls = 0
let polls = 0
runtime.subscribe((e) => {
  if (e.type === 'poll') {
    pollCalls += e.calls
    polls++
  }
})
const odooCalls = () => sim.stats.xmlrpcCalls + sim.stats.json2Calls
await runtime.start()
await runtime.refreshListings('shop')
setChannelState(db, 'shop', 'live')

const until = async (what: string, ok: () => boolean, limitMs: number) => {
  const end = warp.now() + limitMs
  while (!ok()) {
    if (warp.now() > end) throw new Error(`timed out after ${limitMs} simulated ms waiting for ${what}`)
    await warp.sleep(100)
  }
}
await until('the shop to show Odoo', () => products.every((p) => shown(p.id) === free(p.id)), 120_000)
say(`${products.length} listings in sync; ${warp.factor}x clock`)

// Idle: nothing changes in Odoo. Everything Odoo receives beyond the polls is the sweep, the safety net
// and anything else the engine does on its own.
await warp.sleep(30_000)
const idle0 = { calls: odooCalls(), pollCalls, polls, at: warp.now() }
await warp.sleep(IDLE_MINUTES * 60_000)
const idleMinutes = (warp.now() - idle0.at) / 60_000
const idleCalls = odooCalls() - idle0.calls
const idlePollCalls = pollCalls - idle0.pollCalls
const idlePolls = polls - idle0.polls
say(`idle ${idleMinutes.toFixed(1)} min: ${idleCalls} calls, ${idlePollCalls} of them in ${idlePolls} polls`)

// Transactions of each length, each on its own product, started at staggered moments so their commits
// fall at every phase of the sweep's 75 s cycle (a lucky phase would hide the worst case). The change is
// applied at the commit and carries write_date = the transaction's start, as Odoo does.
const STAGGER_MS = 15_000
const PER_LENGTH = 5
const location = cat.warehouses[0]!.lotStockId
const stale: Array<{ durationMs: number; staleMs: number }> = []
let next = 10
const runs = TRANSACTIONS_MS.flatMap((durationMs) =>
  Array.from({ length: PER_LENGTH }, (_, k) => ({
    durationMs,
    offsetMs: k * STAGGER_MS,
    p: products[next++]!,
  })),
)
await Promise.all(
  runs.map(async ({ durationMs, offsetMs, p }) => {
    await warp.sleep(offsetMs)
    const startedAt = warp.now()
    await warp.sleep(durationMs)
    const target = free(p.id) + 7
    sim.store.transaction(() => sim.store.applyInventory(p.id, location, target), startedAt)
    const committedAt = warp.now()
    const truth = free(p.id)
    await until(`the ${durationMs / 1000} s transaction's figure`, () => shown(p.id) === truth, 600_000)
    stale.push({ durationMs, staleMs: warp.now() - committedAt })
  }),
)
for (const d of TRANSACTIONS_MS) {
  const xs = stale.filter((x) => x.durationMs === d).map((x) => x.staleMs)
  say(
    `${d / 1000} s transactions: the shop showed the commit after ${xs.join(', ')} ms (max ${Math.max(...xs)})`,
  )
}

await runtime.stop()
await shop.stop()
await sim.stop()
db.close()
rmSync(dir, { recursive: true, force: true })

process.stdout.write(
  JSON.stringify({
    version,
    transport: version >= 19 ? 'json2' : 'xmlrpc',
    warp: warp.factor,
    idleMinutes,
    idleCalls,
    idlePollCalls,
    idlePolls,
    idleExtraPerMinute: (idleCalls - idlePollCalls) / idleMinutes,
    callsPerPoll: idlePolls > 0 ? idlePollCalls / idlePolls : 0,
    stale,
  }) + '\n',
)
process.exit(0)
