// Runs the Odoo simulator and one generic simulator per channel type in their own process, so a
// benchmark can measure the engine's CPU and memory alone. Driven over the process IPC channel: it
// makes stock changes and orders on request and reports when every channel has applied their effect.
import { CHANNEL_TYPES } from '../../core/channel-types'
import { startGenericSimulator, type GenericSimulator } from '../channels/generic'
import { startOdooSim } from '../odoo/odoo-sim'
import { CHANNEL_PROFILES } from './channel-profiles'

export type SimHostRequest =
  | { cmd: 'change'; id: number; productId: number }
  | { cmd: 'order'; id: number; channel: string; productId: number }
  | { cmd: 'stats'; id: number }
  | { cmd: 'stop'; id: number }

export interface SimHostReady {
  type: 'ready'
  odoo: { url: string; database: string; login: string; apiKey: string }
  channels: Array<{ type: string; url: string; token: string }>
  productIds: number[]
}

export type SimHostMessage =
  | SimHostReady
  | { type: 'done'; id: number; latencyMs: number }
  | {
      type: 'stats'
      id: number
      pushCalls: Record<string, number>
      items: Record<string, number>
      throttled: number
      violations: number
    }
  | { type: 'error'; id: number; message: string }

interface Waiting {
  at: number
  remaining: Map<string, number | null>
}

async function main(): Promise<void> {
  const products = Number(process.argv[2] ?? 10_000)
  const send = (m: SimHostMessage) => process.send?.(m)
  const odoo = await startOdooSim({ version: 18, catalogue: { products, historyDays: 0, seed: 1 } })
  const productIds = odoo.catalogue!.productIds
  const roots = odoo.catalogue!.warehouses.map((w) => w.lotStockId)
  const waiting = new Map<number, Waiting>()
  const byProduct = new Map<number, number>()
  const sims = new Map<string, GenericSimulator>()
  for (const type of CHANNEL_TYPES) {
    const profile = CHANNEL_PROFILES[type]
    const limit = profile.capabilities.rateLimits[0]!
    const sim = await startGenericSimulator({
      name: type,
      listings: productIds.map((id) => ({ listingId: `${type}-${id}`, sku: `LU-${id}` })),
      maxBatch: profile.capabilities.bulkBatchSize,
      asyncAcceptance: profile.capabilities.asyncConfirmation,
      acceptDelayMs: profile.acceptDelayMs,
      // Slightly above what the channel declares: the engine must keep to the declared limit itself.
      rateLimit: { ratePerSecond: limit.ratePerSecond * 1.5, burst: limit.burst },
      onApply: (listingId, quantity) => {
        const productId = Number(listingId.slice(type.length + 1))
        const wid = byProduct.get(productId)
        if (wid === undefined) return
        const w = waiting.get(wid)!
        if (!w.remaining.has(type) || w.remaining.get(type) === quantity) return
        w.remaining.delete(type)
        if (w.remaining.size === 0) {
          waiting.delete(wid)
          byProduct.delete(productId)
          send({ type: 'done', id: wid, latencyMs: Date.now() - w.at })
        }
      },
    })
    sims.set(type, sim)
  }
  const expect = (id: number, productId: number, channels: string[]) => {
    const remaining = new Map<string, number | null>()
    for (const c of channels) remaining.set(c, sims.get(c)!.listing(`${c}-${productId}`)?.quantity ?? null)
    waiting.set(id, { at: Date.now(), remaining })
    byProduct.set(productId, id)
  }
  process.on('message', (raw) => {
    const m = raw as SimHostRequest
    try {
      switch (m.cmd) {
        case 'change':
          expect(m.id, m.productId, [...CHANNEL_TYPES])
          odoo.store.receive(m.productId, roots[0]!, 1)
          break
        case 'order':
          expect(
            m.id,
            m.productId,
            CHANNEL_TYPES.filter((c) => c !== m.channel),
          )
          sims.get(m.channel)!.createOrder({ listingId: `${m.channel}-${m.productId}`, quantity: 1 })
          break
        case 'stats': {
          const pushCalls: Record<string, number> = {}
          const items: Record<string, number> = {}
          let throttled = 0
          let violations = 0
          for (const [t, s] of sims) {
            pushCalls[t] = s.stats.pushCalls
            items[t] = s.stats.itemsReceived
            throttled += s.stats.throttled
            violations += s.violations.length
          }
          send({ type: 'stats', id: m.id, pushCalls, items, throttled, violations })
          break
        }
        case 'stop':
          void Promise.all([...sims.values()].map((s) => s.stop()))
            .then(() => odoo.stop())
            .then(() => process.exit(0))
          break
      }
    } catch (e) {
      send({ type: 'error', id: m.id, message: e instanceof Error ? e.message : String(e) })
    }
  })
  send({
    type: 'ready',
    odoo: { url: odoo.url, database: odoo.database, login: odoo.login, apiKey: odoo.apiKey },
    channels: [...sims].map(([type, s]) => ({ type, url: s.url, token: s.token })),
    productIds,
  })
  void roots
}

if (process.send) void main()
