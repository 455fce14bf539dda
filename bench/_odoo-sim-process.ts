// Hosts the Odoo simulator in its own process: for `npm run bench -- odoo`, so the benchmark measures
// LastUnit's own CPU time apart from the server's, and for `npm run bench -- engine`, so the Odoo simulator
// computing a large answer (the late-commit sweep's grouped read of every quant) never holds up the channel
// simulators, which in the seller's world are other servers. Talks to the parent over IPC.
// argv: VERSION PRODUCTS [CATALOGUE_JSON] (overrides of the catalogue; default {"quantsPerProduct":2,"historyDays":0}). LASTUNIT_WARP=factor:origin runs it on the engine bench's
// warped clock (bench/_time-warp.ts), installed before the simulator is imported.
import { installTimeWarp } from './_time-warp'

if (process.env.LASTUNIT_WARP) {
  const [factor, origin] = process.env.LASTUNIT_WARP.split(':').map(Number)
  if (!factor || !origin)
    throw new Error(`LASTUNIT_WARP must be "factor:origin", got "${process.env.LASTUNIT_WARP}"`)
  installTimeWarp(factor, origin)
}
const { startOdooSim } = await import('../main/sandbox/odoo/odoo-sim')
const { seededRandom } = await import('../main/sandbox/odoo/demo-catalogue')

const version = Number(process.argv[2] ?? 19) as 17 | 18 | 19
const products = Number(process.argv[3] ?? 10_000)
const overrides = JSON.parse(process.argv[4] ?? '{"quantsPerProduct":2,"historyDays":0}') as Record<
  string,
  number
>

const sim = await startOdooSim({
  version,
  catalogue: { products, seed: 1, ...overrides },
})
const rnd = seededRandom(99)
const s = sim.store
const internalQuants = [...s.quants.values()].filter((q) => s.isInternal(q.locationId)).length

process.on('message', (m: { cmd: string; n?: number; productId?: number; id?: number }) => {
  if (m.cmd === 'change') {
    // n distinct products change stock, one kind of operation each.
    const ids = [...(sim.catalogue?.productIds ?? [])]
    const chosen = new Set<number>()
    while (chosen.size < (m.n ?? 100)) chosen.add(ids[Math.floor(rnd() * ids.length)] as number)
    const [w1, w2] = sim.catalogue?.warehouses ?? []
    let i = 0
    for (const p of chosen) {
      const loc = (i++ % 2 === 0 ? w1?.lotStockId : w2?.lotStockId) as number
      s.transaction(() => {
        if (i % 3 === 0) s.receive(p, loc, 5)
        else s.applyInventory(p, loc, Math.floor(rnd() * 30))
      })
    }
    process.send?.({ ok: true, changed: [...chosen] })
  } else if (m.cmd === 'receive') {
    // One unit received into the first warehouse's stock (the engine bench's Odoo change).
    s.receive(m.productId!, sim.catalogue!.warehouses[0]!.lotStockId, 1)
    process.send?.({ ok: true, id: m.id })
  } else if (m.cmd === 'stop') {
    void sim.stop().then(() => process.exit(0))
  }
})

process.send?.({
  ready: true,
  url: sim.url,
  database: sim.database,
  login: sim.login,
  apiKey: sim.apiKey,
  roots: sim.catalogue?.warehouses.map((w) => w.viewLocationId) ?? [],
  products: sim.catalogue?.productIds.length ?? 0,
  productIds: sim.catalogue?.productIds ?? [],
  quants: s.quants.size,
  internalQuants,
})
