// Hosts the Odoo simulator in its own process for `npm run bench -- odoo`, so the benchmark measures
// LastUnit's own CPU time apart from the server's. Talks to the parent over IPC.
import { startOdooSim } from '../main/sandbox/odoo/odoo-sim'
import { seededRandom } from '../main/sandbox/odoo/demo-catalogue'

const version = Number(process.argv[2] ?? 19) as 17 | 18 | 19
const products = Number(process.argv[3] ?? 10_000)

const sim = await startOdooSim({
  version,
  catalogue: { products, quantsPerProduct: 2, historyDays: 0, seed: 1 },
})
const rnd = seededRandom(99)
const s = sim.store
const internalQuants = [...s.quants.values()].filter((q) => s.isInternal(q.locationId)).length

process.on('message', (m: { cmd: string; n?: number }) => {
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
  quants: s.quants.size,
  internalQuants,
})
