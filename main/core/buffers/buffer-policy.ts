// The buffer policy: LastUnit's one rule for the recommended buffer of each listing. The app's Buffers
// screen, `lastunit buffers`, the checklist and the market simulation all call recommendBuffers().
//
// The recommended buffer of a listing is the smallest b for which the chance that the listing still shows
// stock when the product has sold out is below the target risk. When the last unit goes, listing c still
// shows the units sold elsewhere that it has not heard of yet. A sale on channel d stays unseen until d's
// next order poll (uniform over d's order detection interval), then for the processing delay (0 with
// pending reservations, which LastUnit always uses; the Odoo import and poll without), then until the push
// to c is accepted (c's push latency) and the marketplace applies it (c's apply delay: Amazon takes
// minutes). So the unseen sales are a sum of Poisson counts over uniformly distributed windows; with
// buffer b the listing oversells only when they exceed b.

export interface MsRange {
  minMs: number
  maxMs: number
}

/**
 * Orders that come through the seller's queue (Amazon's and bol.com's notifications): each is seen after
 * its own delivery delay, except the share of events that never arrive, which order polling catches.
 */
export interface NotifiedDetection {
  /** From an order being placed until it is pending here, when its event arrives. */
  delay: MsRange
  /** Share of events that never arrive (their orders wait for the next order poll). */
  lossRate: number
}

/** Another channel selling the same product. */
export interface ExposureSource {
  salesPerDay: number
  /** Its order-detection interval: an order there is unseen for up to this long. */
  detectionIntervalMs: number
  /** Its orders also come through a queue that works (null or absent: order polling alone). */
  notified?: NotifiedDetection | null
}

export interface ListingExposure {
  /** This listing's own demand, for the sales the buffer costs. */
  ownSalesPerDay: number
  others: readonly ExposureSource[]
  /** From the new figure being planned until buyers on this listing see it. */
  pushLatency: MsRange
  /** From an order being seen until the figure is replanned: 0 with pending reservations. */
  processing?: MsRange
}

export interface ListingBufferRecommendation {
  buffer: number
  /** P(unseen sales > buffer) at the moment the product sells out. */
  oversellRisk: number
  /** The same risk for buffers 0, 1, ... up to the recommended one, for the UI's trade-off line. */
  riskByBuffer: number[]
  /** Expected unseen sales at any moment. */
  expectedUnseenSales: number
  /** Orders of this listing refused per sell-out while buffered units were still free. */
  lostSalesPerStockout: number
  explanation: string
}

const DAY_MS = 86_400_000
/** Points of the midpoint rule over each uniform window; the pmf changes smoothly with the window. */
const GRID = 48
const MAX_BUFFER = 1000

function requireRange(where: string, r: MsRange): void {
  if (!(Number.isFinite(r.minMs) && Number.isFinite(r.maxMs) && r.minMs >= 0 && r.maxMs >= r.minMs))
    throw new RangeError(`${where} must be 0 <= minMs <= maxMs, got ${r.minMs}..${r.maxMs}`)
}

/** Poisson pmf with mean mu for 0..k. */
function poissonPmf(mu: number, k: number): number[] {
  const out = new Array<number>(k + 1).fill(0)
  let p = Math.exp(-mu)
  out[0] = p
  for (let i = 1; i <= k; i++) {
    p = (p * mu) / i
    out[i] = p
  }
  return out
}

/** pmf of Poisson(ratePerMs x W), W uniform on [minMs, maxMs]. */
function mixedPoisson(ratePerMs: number, r: MsRange, k: number): number[] {
  if (ratePerMs === 0 || r.maxMs === 0) return poissonPmf(0, k)
  if (r.maxMs === r.minMs) return poissonPmf(ratePerMs * r.minMs, k)
  const out = new Array<number>(k + 1).fill(0)
  for (let g = 0; g < GRID; g++) {
    const w = r.minMs + ((g + 0.5) / GRID) * (r.maxMs - r.minMs)
    const pmf = poissonPmf(ratePerMs * w, k)
    for (let i = 0; i <= k; i++) out[i] = (out[i] ?? 0) + (pmf[i] ?? 0) / GRID
  }
  return out
}

function convolve(a: readonly number[], b: readonly number[], k: number): number[] {
  const out = new Array<number>(k + 1).fill(0)
  for (let i = 0; i <= k; i++) {
    const ai = a[i] ?? 0
    if (ai === 0) continue
    for (let j = 0; i + j <= k; j++) out[i + j] = (out[i + j] ?? 0) + ai * (b[j] ?? 0)
  }
  return out
}

/** The distribution of the sales listing c has not heard of, truncated at `k` (the rest is tail). */
export function unseenSalesPmf(exposure: ListingExposure, k: number): number[] {
  requireRange('pushLatency', exposure.pushLatency)
  const processing = exposure.processing ?? { minMs: 0, maxMs: 0 }
  requireRange('processing', processing)
  let othersPerMs = 0
  let pmf = poissonPmf(0, k)
  for (const o of exposure.others) {
    if (!(Number.isFinite(o.salesPerDay) && o.salesPerDay >= 0))
      throw new RangeError(`salesPerDay must be a number >= 0, got ${o.salesPerDay}`)
    if (!(Number.isFinite(o.detectionIntervalMs) && o.detectionIntervalMs >= 0))
      throw new RangeError(`detectionIntervalMs must be a number >= 0, got ${o.detectionIntervalMs}`)
    const perMs = o.salesPerDay / DAY_MS
    othersPerMs += perMs
    const n = o.notified
    if (n) {
      requireNotified(n)
      // Each notified sale is unseen for its own delivery delay, independently of the others: by Poisson
      // thinning their unseen count is Poisson with mean rate x (1 - loss) x the mean delay. The lost ones
      // share the wait for the next order poll, like polled sales (a Poisson count over a uniform window).
      const mid = (n.delay.minMs + n.delay.maxMs) / 2
      pmf = convolve(pmf, poissonPmf(perMs * (1 - n.lossRate) * mid, k), k)
      pmf = convolve(pmf, mixedPoisson(perMs * n.lossRate, { minMs: 0, maxMs: o.detectionIntervalMs }, k), k)
    } else pmf = convolve(pmf, mixedPoisson(perMs, { minMs: 0, maxMs: o.detectionIntervalMs }, k), k)
  }
  pmf = convolve(pmf, mixedPoisson(othersPerMs, exposure.pushLatency, k), k)
  return convolve(pmf, mixedPoisson(othersPerMs, processing, k), k)
}

function requireNotified(n: NotifiedDetection): void {
  requireRange('notified.delay', n.delay)
  if (!(Number.isFinite(n.lossRate) && n.lossRate >= 0 && n.lossRate <= 1))
    throw new RangeError(`notified.lossRate must be between 0 and 1, got ${n.lossRate}`)
}

/** How long an order of this source stays unseen on average. */
export function meanDetectionMs(o: ExposureSource): number {
  const polled = o.detectionIntervalMs / 2
  const n = o.notified
  if (!n) return polled
  return (1 - n.lossRate) * ((n.delay.minMs + n.delay.maxMs) / 2) + n.lossRate * polled
}

function expectedUnseen(exposure: ListingExposure): number {
  const processing = exposure.processing ?? { minMs: 0, maxMs: 0 }
  let perMs = 0
  let mean = 0
  for (const o of exposure.others) {
    perMs += o.salesPerDay / DAY_MS
    mean += (o.salesPerDay / DAY_MS) * meanDetectionMs(o)
  }
  const mid = (r: MsRange) => (r.minMs + r.maxMs) / 2
  return mean + perMs * (mid(exposure.pushLatency) + mid(processing))
}

/** `atLeast` forces a larger buffer than the target needs (a listing that must hold back shared units). */
export function recommendListingBuffer(
  exposure: ListingExposure,
  targetRisk: number,
  atLeast = 0,
): ListingBufferRecommendation {
  if (!(targetRisk > 0 && targetRisk < 1))
    throw new RangeError(`targetRisk must be between 0 and 1 (exclusive), got ${targetRisk}`)
  if (!(Number.isFinite(exposure.ownSalesPerDay) && exposure.ownSalesPerDay >= 0))
    throw new RangeError(`ownSalesPerDay must be a number >= 0, got ${exposure.ownSalesPerDay}`)
  const mean = expectedUnseen(exposure)
  // Far enough into the tail that the truncated mass is negligible against any sensible target.
  const k = Math.min(MAX_BUFFER, Math.max(atLeast, Math.ceil(mean + 12 * Math.sqrt(mean) + 12)))
  const pmf = unseenSalesPmf(exposure, k)
  const riskByBuffer: number[] = []
  let cdf = 0
  let buffer = 0
  for (; buffer <= k; buffer++) {
    cdf += pmf[buffer] ?? 0
    const risk = Math.max(0, 1 - cdf)
    riskByBuffer.push(risk)
    if (risk < targetRisk && buffer >= atLeast) break
  }
  buffer = Math.min(buffer, k)
  const oversellRisk = riskByBuffer[riskByBuffer.length - 1] ?? 0
  const othersPerDay = exposure.others.reduce((s, o) => s + o.salesPerDay, 0)
  // While the other channels sell the b held-back units, this listing refuses its own buyers; when
  // nobody else sells the product the held-back units wait for the next receipt.
  const lostSalesPerStockout =
    othersPerDay > 0 ? (buffer * exposure.ownSalesPerDay) / othersPerDay : buffer > 0 ? buffer : 0
  const pct = (x: number) => `${(x * 100).toFixed(x < 0.001 ? 3 : 2)}%`
  return {
    buffer,
    oversellRisk,
    riskByBuffer,
    expectedUnseenSales: mean,
    lostSalesPerStockout,
    explanation:
      `recommended buffer ${buffer}: about ${mean.toFixed(3)} sales elsewhere are unseen at any moment; ` +
      `risk of still showing stock at sell-out ${pct(oversellRisk)} (target ${pct(targetRisk)}), ` +
      `costs about ${lostSalesPerStockout.toFixed(2)} refused orders per sell-out`,
  }
}

/** The seller's oversell target unless they chose another (setting `buffers.targetRisk`): at most a 0.1%
 * chance, per sell-out of a product, that a listing still shows a unit another channel already sold. */
export const DEFAULT_TARGET_RISK = 0.001

/** A channel a product is listed on, as the policy needs it. */
export interface PolicyChannel {
  id: string
  /** Its share of the product's sales (weights, normalised here); equal shares when no channel has one. */
  demandShare?: number
  /** How often its orders are read: a sale there is unseen for up to this long. */
  orderDetectionMs: number
  /** Its orders also come through the seller's queue, which works (policy-channels.ts); absent: polled only. */
  notified?: NotifiedDetection | null
  /** From a figure being planned until the channel has accepted it (measured, or the default). */
  pushLatency: MsRange
  /** From the channel accepting a figure until its buyers see it (Amazon: minutes; see apply-delay.ts). */
  applyDelay: MsRange
}

export interface BufferPolicyInput {
  /** The product's measured velocity (units a day, from Odoo's sales history). */
  salesPerDay: number
  channels: readonly PolicyChannel[]
  /** Default DEFAULT_TARGET_RISK. */
  targetRisk?: number
  /** With pending reservations (the shipped engine) a seen order lowers every channel at once; default true. */
  pendingReservations?: boolean
  /** Order import into Odoo plus Odoo's poll, used only without pending reservations. */
  odooRoundTrip?: MsRange
  /** Let one channel sell the last units alone (see recommendBuffers); default true. */
  lastUnitsToOneChannel?: boolean
}

export interface ProductBufferRecommendation {
  /** The channel that keeps selling the last units (buffer 0), or null when every listing holds its own. */
  ownerChannelId: string | null
  listings: Record<string, ListingBufferRecommendation>
  /** Buffer units weighted by each channel's demand share: the lost-sales cost the choice minimises. */
  weightedBuffer: number
  targetRisk: number
  explanation: string
}

function validateInput(input: BufferPolicyInput): void {
  if (!(Number.isFinite(input.salesPerDay) && input.salesPerDay >= 0))
    throw new RangeError(`salesPerDay must be a number >= 0, got ${input.salesPerDay}`)
  const seen = new Set<string>()
  for (const c of input.channels) {
    const where = `channel ${c.id}`
    if (seen.has(c.id)) throw new RangeError(`${where} is listed twice`)
    seen.add(c.id)
    if (!(Number.isFinite(c.orderDetectionMs) && c.orderDetectionMs >= 0))
      throw new RangeError(`${where}: orderDetectionMs must be a number >= 0, got ${c.orderDetectionMs}`)
    if (c.demandShare !== undefined && !(Number.isFinite(c.demandShare) && c.demandShare >= 0))
      throw new RangeError(`${where}: demandShare must be a number >= 0, got ${c.demandShare}`)
    if (c.notified) requireNotified(c.notified)
    requireRange(`${where}: pushLatency`, c.pushLatency)
    requireRange(`${where}: applyDelay`, c.applyDelay)
  }
  if (input.odooRoundTrip) requireRange('odooRoundTrip', input.odooRoundTrip)
}

/**
 * The buffers of all of a product's listings. Each listing on its own needs the smallest b that covers
 * the sales it has not heard of. Better still: give the last units to one channel. The other listings
 * hold back b units, so they stop selling while the owner still sees stock; the owner's own figure is
 * exact for its own sales, so it can oversell only when more than b units go within its exposure
 * window. The last units still sell (on the owner) instead of waiting for the next receipt, which is
 * what a buffer costs. The configuration with the least share-weighted buffer wins.
 */
export function recommendBuffers(input: BufferPolicyInput): ProductBufferRecommendation {
  validateInput(input)
  const { salesPerDay, channels } = input
  const target = input.targetRisk ?? DEFAULT_TARGET_RISK
  if (!(target > 0 && target < 1))
    throw new RangeError(`targetRisk must be between 0 and 1 (exclusive), got ${target}`)
  const anyShare = channels.some((c) => (c.demandShare ?? 0) > 0)
  const shareOf = (c: PolicyChannel) => (anyShare ? (c.demandShare ?? 0) : 1)
  const total = channels.reduce((s, c) => s + shareOf(c), 0)
  const processing =
    input.pendingReservations === false
      ? (input.odooRoundTrip ?? { minMs: 0, maxMs: 0 })
      : { minMs: 0, maxMs: 0 }
  const share = (x: PolicyChannel) => (total > 0 ? (salesPerDay * shareOf(x)) / total : 0)
  const latencyOf = (c: PolicyChannel): MsRange => ({
    minMs: c.pushLatency.minMs + c.applyDelay.minMs,
    maxMs: c.pushLatency.maxMs + c.applyDelay.maxMs,
  })
  const exposureOf = (c: PolicyChannel): ListingExposure => ({
    ownSalesPerDay: share(c),
    others: channels
      .filter((o) => o.id !== c.id)
      .map((o) => ({
        salesPerDay: share(o),
        detectionIntervalMs: o.orderDetectionMs,
        ...(o.notified ? { notified: o.notified } : {}),
      })),
    pushLatency: latencyOf(c),
    processing,
  })
  const alone = new Map(channels.map((c) => [c.id, recommendListingBuffer(exposureOf(c), target)]))
  const weight = (buffers: Map<string, number>) =>
    channels.reduce((s, c) => s + (total > 0 ? shareOf(c) / total : 0) * (buffers.get(c.id) ?? 0), 0)

  let best = {
    owner: null as PolicyChannel | null,
    buffers: new Map(channels.map((c) => [c.id, alone.get(c.id)?.buffer ?? 0])),
    ownerRisk: null as ListingBufferRecommendation | null,
  }
  let bestWeight = weight(best.buffers)
  if (input.lastUnitsToOneChannel !== false && channels.length > 1 && salesPerDay > 0) {
    for (const o of channels) {
      // Every sale in the owner's window counts, its own included: they all eat into the held-back units.
      // The slowest other channel to see an order: the longest mean detection (a queue shortens it).
      const exposure = exposureOf(o)
      const slowest = exposure.others.reduce<ExposureSource | null>(
        (a, x) => (a === null || meanDetectionMs(x) > meanDetectionMs(a) ? x : a),
        null,
      )
      const ownerRisk = recommendListingBuffer(
        {
          ...exposure,
          others: [
            ...exposure.others,
            {
              salesPerDay: share(o),
              detectionIntervalMs: slowest?.detectionIntervalMs ?? 0,
              ...(slowest?.notified ? { notified: slowest.notified } : {}),
            },
          ],
        },
        target,
      )
      const buffers = new Map(
        channels.map((c) => [
          c.id,
          c.id === o.id ? 0 : Math.max(alone.get(c.id)?.buffer ?? 0, ownerRisk.buffer),
        ]),
      )
      const w = weight(buffers)
      if (w < bestWeight - 1e-12) {
        best = { owner: o, buffers, ownerRisk }
        bestWeight = w
      }
    }
  }

  const listings: Record<string, ListingBufferRecommendation> = {}
  for (const c of channels) {
    const b = best.buffers.get(c.id) ?? 0
    const own = alone.get(c.id)
    if (!own) continue
    if (best.owner && c.id === best.owner.id && best.ownerRisk) {
      const r = best.ownerRisk
      const held = Math.max(0, ...[...best.buffers.values()])
      listings[c.id] = {
        ...r,
        buffer: 0,
        oversellRisk: r.riskByBuffer[Math.min(held, r.riskByBuffer.length - 1)] ?? r.oversellRisk,
        lostSalesPerStockout: 0,
        explanation: `buffer 0: ${c.id} sells the last units while the other listings hold back ${held}; ${r.explanation}`,
      }
      continue
    }
    listings[c.id] = b === own.buffer ? own : recommendListingBuffer(exposureOf(c), target, b)
  }
  return {
    ownerChannelId: best.owner?.id ?? null,
    listings,
    weightedBuffer: bestWeight,
    targetRisk: target,
    explanation: best.owner
      ? `the last units go to ${best.owner.id}; the other listings hold back enough to stay below the target`
      : 'every listing holds the buffer its own exposure needs',
  }
}
