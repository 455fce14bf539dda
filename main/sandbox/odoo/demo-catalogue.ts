// A seeded demo catalogue: two warehouses (the first with a shelf under its stock), products with SKUs,
// valid EAN-13 barcodes, realistic sales velocities, stock spread over several quants, and a sales
// history that matches each product's velocity.
import { formatOdooDatetime } from '../../core/odoo/odoo-datetime'
import type { OdooSimStore, SimWarehouse } from './sim-store'

export interface DemoCatalogueOptions {
  products?: number
  /** Quants per product, on average (spread over the internal locations). */
  quantsPerProduct?: number
  /** Days of confirmed sales history to generate (0 for none). */
  historyDays?: number
  seed?: number
  /** When the catalogue was entered (ms); default one hour ago, so a fresh simulator starts idle. */
  seededAt?: number
}

export interface DemoCatalogue {
  warehouses: SimWarehouse[]
  shelfId: number
  customerPartnerId: number
  productIds: number[]
  /** Mean units sold per day, per product id. */
  velocity: Map<number, number>
}

export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function ean13(body12: string): string {
  const sum = [...body12].reduce((s, d, i) => s + Number(d) * (i % 2 === 0 ? 1 : 3), 0)
  return body12 + String((10 - (sum % 10)) % 10)
}

const ADJECTIVES = [
  'Classic',
  'Urban',
  'Alpine',
  'Coastal',
  'Vintage',
  'Nordic',
  'Sport',
  'Eco',
  'Premium',
  'Basic',
]
const NOUNS = [
  'T-Shirt',
  'Hoodie',
  'Sneaker',
  'Backpack',
  'Water Bottle',
  'Mug',
  'Cap',
  'Scarf',
  'Lamp',
  'Notebook',
]
const SIZES = ['XS', 'S', 'M', 'L', 'XL']

export function seedDemoCatalogue(store: OdooSimStore, opts: DemoCatalogueOptions = {}): DemoCatalogue {
  const n = opts.products ?? 200
  const perProduct = opts.quantsPerProduct ?? 1.6
  const historyDays = opts.historyDays ?? 30
  const rnd = seededRandom(opts.seed ?? 42)
  const wh1 = store.addWarehouse('Main Warehouse', 'WH')
  const wh2 = store.addWarehouse('Second Warehouse', 'WH2')
  const shelf = store.addLocation('Shelf 1', 'internal', wh1.lotStockId)
  const internal = [wh1.lotStockId, shelf.id, wh2.lotStockId]
  const customer = store.addPartner('Marketplace customers')
  const productIds: number[] = []
  const velocity = new Map<number, number>()
  store.transaction(
    () => {
      for (let i = 1; i <= n; i++) {
        const name = `${ADJECTIVES[i % ADJECTIVES.length]} ${NOUNS[Math.floor(i / 10) % NOUNS.length]} ${SIZES[i % SIZES.length]}`
        const p = store.addProduct({
          name: `${name} #${i}`,
          defaultCode: `LU-${String(i).padStart(5, '0')}`,
          barcode: ean13(`40${String(1_000_000_000 + i).slice(-10)}`),
          active: rnd() > 0.02,
          kind: 'goods',
          storable: true,
          companyId: null,
          listPrice: Math.round((5 + rnd() * 95) * 100) / 100,
        })
        productIds.push(p.id)
        // Long tail: most products sell slowly, a few sell fast (log-uniform 0.05 .. 30 per day).
        velocity.set(p.id, Math.round(Math.exp(Math.log(0.05) + rnd() * Math.log(600)) * 100) / 100)
        const quants = Math.max(1, Math.round(perProduct + (rnd() - 0.5)))
        for (let k = 0; k < quants; k++) {
          const loc = internal[(i + k) % internal.length] as number
          store.applyInventory(p.id, loc, Math.floor(rnd() * 40) + (k === 0 ? 1 : 0))
        }
      }
      // A service product has no stock: it must never show up as storable.
      store.addProduct({
        name: 'Gift wrapping',
        defaultCode: 'LU-SERVICE',
        barcode: null,
        active: true,
        kind: 'service',
        storable: false,
        companyId: null,
        listPrice: 2.5,
      })
    },
    opts.seededAt ?? store.clock.now() - 3_600_000,
  )
  if (historyDays > 0) seedHistory(store, productIds, velocity, historyDays, wh1, customer.id, rnd)
  return { warehouses: [wh1, wh2], shelfId: shelf.id, customerPartnerId: customer.id, productIds, velocity }
}

function seedHistory(
  store: OdooSimStore,
  productIds: number[],
  velocity: Map<number, number>,
  days: number,
  wh: SimWarehouse,
  partnerId: number,
  rnd: () => number,
): void {
  const now = store.clock.now()
  for (let d = days; d >= 1; d--) {
    const lines: Array<{ productId: number; qty: number; price: number }> = []
    for (const id of productIds) {
      if (store.products.get(id)?.active !== true) continue
      const v = velocity.get(id) ?? 0
      const qty = Math.floor(v + rnd())
      if (qty > 0) lines.push({ productId: id, qty, price: 10 })
    }
    if (lines.length === 0) continue
    // Past, delivered orders: history only, they no longer touch stock.
    store.transaction(
      () => {
        const so = store.createSaleOrder({
          partnerId,
          warehouseId: wh.id,
          clientOrderRef: `history:${d}`,
          lines,
        })
        so.state = 'done'
        so.dateOrder = formatOdooDatetime(now - d * 86_400_000)
      },
      now - d * 86_400_000,
    )
  }
}
