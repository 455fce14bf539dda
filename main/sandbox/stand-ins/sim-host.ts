// Runs the Odoo simulator and one generic simulator per channel type in their own process, so a
// benchmark can measure the engine's CPU and memory alone. Driven over the process IPC channel: it
// makes stock changes and orders on request and reports when every channel has applied their effect.
// With `--odoo-elsewhere` it runs the channel simulators only: the Odoo simulator runs in a process of its
// own (bench/_odoo-sim-process.ts), as in the seller's world Odoo and the marketplaces are different servers,
// so a large Odoo answer never holds up the marketplaces' answers. The parent then sends `init` with Odoo's
// product ids first, and for a stock change `expect` here before it changes Odoo.
import { CHANNEL_TYPES } from '../../core/channel-types'
import { startGenericSimulator, type GenericSimulator } from '../channels/generic'
import { startOdooSim } from '../odoo/odoo-sim'
import type { ChannelOrder } from '../../core/ports/channel-adapter'
import { EventPublisher } from '../queue/event-publisher'
import { SQS_SIM_CREDENTIALS, startSqsSimulator, type SqsSimulator } from '../queue/sqs-simulator'
import { CHANNEL_PROFILES } from './channel-profiles'
import { amazonMfnQuantityChange, amazonOrderChange, bolOrderEvent, bolStandInEan } from './stand-in-events'
import { seededRandom } from '../odoo/demo-catalogue'

export type SimHostRequest =
  | { cmd: 'init'; id: number; productIds: number[] }
  | { cmd: 'change'; id: number; productId: number }
  | { cmd: 'expect'; id: number; productId: number }
  | { cmd: 'order'; id: number; channel: string; productId: number }
  | { cmd: 'stats'; id: number }
  | { cmd: 'events'; id: number }
  | { cmd: 'stop'; id: number }
  /**
   * From now on Amazon's and bol.com's stand-ins send an order event for every order to an SQS simulator
   * (delivery delay, duplicates, losses as given), as the marketplaces do once subscribed: answers its queue.
   */
  | {
      cmd: 'notify'
      id: number
      delayMs: { min: number; max: number }
      duplicateRate: number
      lossRate: number
      seed: number
    }
  /** The order as the stand-in holds it (what an order detail call would read). */
  | { cmd: 'orderOf'; id: number; channel: string; orderId: string }
  /** The stand-in's orders changed in the last `minutes`, oldest first, at most 50 (bol.com's orders list). */
  | { cmd: 'recentOrders'; id: number; channel: string; minutes: number }

export interface SimHostReady {
  type: 'ready'
  /** Null with `--odoo-elsewhere`. */
  odoo: { url: string; database: string; login: string; apiKey: string } | null
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
  | {
      type: 'queue'
      id: number
      queueUrl: string
      region: string
      accessKeyId: string
      secretAccessKey: string
    }
  | { type: 'orderOf'; id: number; order: ChannelOrder | null }
  | { type: 'recentOrders'; id: number; orders: ChannelOrder[] }
  | {
      type: 'events'
      id: number
      sent: Record<string, number>
      lost: Record<string, number>
      duplicated: number
      received: number
      deleted: number
    }

interface Waiting {
  at: number
  remaining: Map<string, number | null>
}

/** The `init` message's product ids (odoo elsewhere). */
const initialised = () =>
  new Promise<number[]>((resolve) => {
    const first = (raw: unknown) => {
      const m = raw as SimHostRequest
      if (m.cmd !== 'init') return
      process.off('message', first)
      resolve(m.productIds)
    }
    process.on('message', first)
  })

async function main(): Promise<void> {
  const products = Number(process.argv[2] ?? 10_000)
  const odooElsewhere = process.argv.includes('--odoo-elsewhere')
  const send = (m: SimHostMessage) => process.send?.(m)
  const odoo = odooElsewhere
    ? null
    : await startOdooSim({ version: 18, catalogue: { products, historyDays: 0, seed: 1 } })
  const productIds = odoo ? odoo.catalogue!.productIds : await initialised()
  const roots = odoo ? odoo.catalogue!.warehouses.map((w) => w.lotStockId) : []
  const waiting = new Map<number, Waiting>()
  const byProduct = new Map<number, number>()
  const sims = new Map<string, GenericSimulator>()
  // Amazon's MFN quantity of a stand-in listing: what LastUnit last set, less the units ordered since (Amazon
  // lowers a seller-fulfilled listing by the units of each order; a quantity sent replaces the figure). Each
  // change is a LISTINGS_ITEM_MFN_QUANTITY_CHANGE event once `notify` started the queue.
  const amazonSold = new Map<string, number>()
  /** What Amazon shows for a listing, once known (the last quantity applied, less the units ordered since). */
  const amazonShown = new Map<string, number>()
  const mfnChanged = (listingId: string, quantity: number) => {
    const p = publishers.get('amazon-mfn')
    p?.publisher.publish(queueUrl, amazonMfnQuantityChange(listingId, quantity))
  }
  for (const type of CHANNEL_TYPES) {
    const profile = CHANNEL_PROFILES[type]
    const limit = profile.capabilities.rateLimits[0]!
    const sim = await startGenericSimulator({
      name: type,
      listings: productIds.map((id) => ({
        listingId: `${type}-${id}`,
        sku: `LU-${id}`,
        // bol.com's orders list names items by EAN alone.
        ...(type === 'bol' ? { ean: bolStandInEan(id) } : {}),
      })),
      maxBatch: profile.capabilities.bulkBatchSize,
      asyncAcceptance: profile.capabilities.asyncConfirmation,
      acceptDelayMs: profile.acceptDelayMs,
      // Slightly above what the channel declares: the engine must keep to the declared limit itself.
      rateLimit: { ratePerSecond: limit.ratePerSecond * 1.5, burst: limit.burst },
      onApply: (listingId, quantity) => {
        if (type === 'amazon') {
          // Amazon notifies a change only: the figure shown before (last set, less units ordered since).
          const before = amazonShown.get(listingId)
          amazonSold.delete(listingId)
          amazonShown.set(listingId, quantity)
          if (before !== undefined && before !== quantity) mfnChanged(listingId, quantity)
        }
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
  const orders = new Map<string, ChannelOrder>()
  let sqs: SqsSimulator | null = null
  let queueUrl = ''
  const publishers = new Map<string, { publisher: EventPublisher; body: (o: ChannelOrder) => string }>()
  process.on('message', (raw) => {
    const m = raw as SimHostRequest
    if (m.cmd === 'notify') {
      void (async () => {
        sqs ??= await startSqsSimulator({
          deliveryDelayMs: m.delayMs,
          duplicateRate: m.duplicateRate,
          seed: m.seed,
        })
        queueUrl = sqs.createQueue('lastunit-orders')
        const bodies: Record<string, (o: ChannelOrder) => string> = {
          amazon: amazonOrderChange,
          bol: bolOrderEvent,
        }
        // Amazon's quantity events: a publisher (and loss draw) of their own, so the order events' draws stay.
        for (const l of sims.get('amazon')!.listings()) amazonShown.set(l.listingId, l.quantity)
        const mfn = new EventPublisher({ lossRate: m.lossRate, random: seededRandom(m.seed + 1000) })
        mfn.connect(sqs)
        publishers.set('amazon-mfn', { publisher: mfn, body: () => '' })
        for (const [channel, body] of Object.entries(bodies)) {
          const publisher = new EventPublisher({
            lossRate: m.lossRate,
            random: seededRandom(m.seed + channel.length),
          })
          publisher.connect(sqs)
          publishers.set(channel, { publisher, body })
        }
        send({ type: 'queue', id: m.id, queueUrl, region: sqs.region, ...SQS_SIM_CREDENTIALS })
      })().catch((e: unknown) =>
        send({ type: 'error', id: m.id, message: e instanceof Error ? e.message : String(e) }),
      )
      return
    }
    try {
      switch (m.cmd) {
        case 'init':
          break
        case 'change':
          if (!odoo) throw new Error('change: Odoo runs elsewhere (expect here, then change it there)')
          expect(m.id, m.productId, [...CHANNEL_TYPES])
          odoo.store.receive(m.productId, roots[0]!, 1)
          break
        case 'expect':
          expect(m.id, m.productId, [...CHANNEL_TYPES])
          break
        case 'order':
          expect(
            m.id,
            m.productId,
            CHANNEL_TYPES.filter((c) => c !== m.channel),
          )
          {
            const o = sims
              .get(m.channel)!
              .createOrder({ listingId: `${m.channel}-${m.productId}`, quantity: 1 })
            orders.set(`${m.channel}/${o.orderId}`, o)
            const p = publishers.get(m.channel)
            p?.publisher.publish(queueUrl, p.body(o))
            if (m.channel === 'amazon') {
              const id = `amazon-${m.productId}`
              const sold = (amazonSold.get(id) ?? 0) + 1
              amazonSold.set(id, sold)
              const shown = Math.max(0, (sims.get('amazon')!.listing(id)?.quantity ?? 0) - sold)
              const before = amazonShown.get(id)
              amazonShown.set(id, shown)
              if (before !== shown) mfnChanged(id, shown)
            }
          }
          break
        case 'orderOf':
          send({ type: 'orderOf', id: m.id, order: orders.get(`${m.channel}/${m.orderId}`) ?? null })
          break
        case 'recentOrders': {
          const from = Date.now() - m.minutes * 60_000
          const recent = [...orders.entries()]
            .filter(([k, o]) => k.startsWith(`${m.channel}/`) && Date.parse(o.updatedAt) >= from)
            .map(([, o]) => o)
            .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0))
            .slice(0, 50)
          send({ type: 'recentOrders', id: m.id, orders: recent })
          break
        }
        case 'events': {
          const sent: Record<string, number> = {}
          const lost: Record<string, number> = {}
          for (const [c, p] of publishers) {
            sent[c] = p.publisher.sent.length
            lost[c] = p.publisher.lost
          }
          send({
            type: 'events',
            id: m.id,
            sent,
            lost,
            duplicated: sqs?.counts.duplicated ?? 0,
            received: sqs?.counts.received ?? 0,
            deleted: sqs?.counts.deleted ?? 0,
          })
          break
        }
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
          void Promise.all([...sims.values(), ...(sqs ? [sqs] : [])].map((s) => s.stop()))
            .then(() => odoo?.stop())
            .then(() => process.exit(0))
          break
      }
    } catch (e) {
      send({ type: 'error', id: m.id, message: e instanceof Error ? e.message : String(e) })
    }
  })
  send({
    type: 'ready',
    odoo: odoo ? { url: odoo.url, database: odoo.database, login: odoo.login, apiKey: odoo.apiKey } : null,
    channels: [...sims].map(([type, s]) => ({ type, url: s.url, token: s.token })),
    productIds,
  })
  void roots
}

if (process.send) void main()
