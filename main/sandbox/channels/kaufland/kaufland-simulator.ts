// A Kaufland Seller API v2 simulator: signed requests (HMAC over method, full URL, body, timestamp),
// units with PATCH and 207 bulk updates, order units with offset paging, storefronts, 111 req/s with 429,
// Kaufland's problem bodies, and the fault injection of the shared sim server.
import { KAUFLAND_LIMITS } from '../../../core/channels/kaufland-limits'
import { TokenBucket } from '../../../core/rate-limit/token-bucket'
import {
  channelProbe,
  checkProbeOrder,
  createSchemaValidator,
  loadComponentSchemas,
  simTime,
  startChannelServer,
  withServer,
  type StockWriteSink,
} from '../../kit'
import type { KauflandContext } from './context'
import { KAUFLAND_REQUEST_SCHEMAS } from './kaufland-schemas'
import { orderRoutes } from './routes-orders'
import { unitRoutes } from './routes-units'
import { KauflandState } from './state'
import type { KauflandSimulator, KauflandSimulatorOptions } from './types'
import { problem } from './views'

export async function startKauflandSimulator(
  opts: KauflandSimulatorOptions = {},
): Promise<KauflandSimulator> {
  const time = simTime(opts.clock)
  const storefronts = opts.storefronts ?? ['de']
  const perSecond = opts.ratePerSecond ?? KAUFLAND_LIMITS.requestsPerSecond
  const writes: StockWriteSink = { onStockWrite: null }
  const ctx: KauflandContext = {
    time,
    state: new KauflandState(time, storefronts),
    clientKey: opts.clientKey ?? 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    secretKey: opts.secretKey ?? 'f'.repeat(16) + 'secret-kaufland-sim-key-0123456789abcdef0123456',
    storefronts,
    bucket: new TokenBucket(perSecond, perSecond, time.clock),
    maxSkew: opts.maxSkewSeconds ?? KAUFLAND_LIMITS.timestampToleranceS,
    embedded: createSchemaValidator(KAUFLAND_REQUEST_SCHEMAS),
    spec: loadComponentSchemas('kaufland/swagger.json', opts.specsDir),
    received: [],
    writes,
    throttled: 0,
    revoked: false,
  }
  const { state } = ctx

  const server = await startChannelServer(
    'Kaufland',
    [...unitRoutes(ctx), ...orderRoutes(ctx)],
    (req) => problem(404, '/problems/not-found', `No endpoint ${req.method} ${req.path}`),
    opts,
  )

  const sim: KauflandSimulator = withServer<KauflandSimulator>(server, {
    url: `${server.url}/v2`,
    clientKey: ctx.clientKey,
    secretKey: ctx.secretKey,
    received: ctx.received,
    specValidation: ctx.spec !== undefined,
    setUnits: (list) => state.setUnits(list),
    unit(id) {
      const u = state.units.get(id)
      return u ? { amount: u.amount, status: u.status } : undefined
    },
    placeOrder: (lines) => state.placeOrder(lines),
    cancelOrderUnit: (id) => state.cancelOrderUnit(id),
    revokeKeys() {
      ctx.revoked = true
    },
    // Buyers see the unit's amount; a unit ONHOLD is not buyable. Keys are signed, no tokens to expire.
    probe: channelProbe(writes, {
      listingIndex: () =>
        [...state.units.values()].map((u) => ({ listingId: String(u.id_unit), sku: u.id_offer, ean: u.ean })),
      listingState(listingId) {
        const u = state.units.get(Number(listingId))
        return u ? { quantity: u.amount, buyable: u.status === 'AVAILABLE' && u.amount > 0 } : undefined
      },
      placeOrder(listingId, quantity) {
        checkProbeOrder('Kaufland', listingId, quantity, state.units.get(Number(listingId))?.amount)
        return sim.placeOrder([{ id_unit: Number(listingId), quantity }]).id_order
      },
      expireTokens: () => false,
      limitHits: () => ctx.throttled,
    }),
  })
  return sim
}
