// Zalando zDirect as a ChannelAdapter. A listing is one EAN; Zalando wants its stock for every sales
// channel (country), so each item fans out to all configured sales channels. Stocks answer 207 per item;
// code 104 means Zalando holds the value until the article is onboarded, so it is 'accepted', not applied.
// Pause and resume use the Offer Blocking API, and only ever lift blockers this app created.
import { ClassifiedError } from '../../../core/errors'
import type {
  ChannelAdapter,
  ChannelCapabilities,
  ChannelListing,
  ChannelOrder,
  ConnectionTestResult,
  Page,
  PushBatchResult,
  PushItem,
  PushItemResult,
} from '../../../core/ports/channel-adapter'
import type { Clock } from '../../../core/ports/clock'
import type { BucketMemory } from '../../../core/rate-limit/token-bucket'
import { WindowLimit } from '../../../core/rate-limit/window-limit'
import { connectionFailure } from '../connection-test'
import { newestPerListing, quantityRefusal } from '../push-results'
import { ZALANDO_WINDOW_MS, ZalandoClient } from './zalando-client'
import { mapZalandoOrders } from './zalando-orders'
import type { ZalandoOfferBlocker, ZalandoOrdersDocument, ZalandoStockResult } from './zalando-types'

export const ZALANDO_BASE_URLS = {
  production: 'https://api.merchants.zalando.com',
  sandbox: 'https://api-sandbox.merchants.zalando.com',
} as const

export const ZALANDO_STOCKS_MAX = 1000
/** Offer blocker create and delete take at most 5 items (spec maxItems). */
export const ZALANDO_BLOCKERS_MAX = 5
const STOCK_ITEMS_PER_MINUTE = 2000
/** Marks the blockers this app created, so resume never lifts one the seller set for another reason. */
export const ZALANDO_PAUSE_DESCRIPTION = 'LastUnit: out of stock pause'
const ORDERS_PAGE_SIZE = 50
const BLOCKER_LOOKUPS_PER_EAN_MAX = 5
const HELD_RECHECK_MAX = 100

export interface ZalandoConfig {
  baseUrl: string
  merchantId: string
  /** Every sales channel (country) the articles are sold on; stock goes to all of them. */
  salesChannelIds: string[]
  credentials: { clientId: string; clientSecret: string }
}

export interface ZalandoAdapterOptions {
  timeoutMs: number
  clock: Clock
  /** Keeps the rate-limit buckets across restarts. */
  rateMemory?: BucketMemory
  /** Runs the documented limits faster (tests, benchmarks); 1 in production. */
  rateScale?: number
  /** How often a value held by code 104 is re-sent to see whether it was applied (default 15 min). */
  heldRecheckMs?: number
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const configError = (field: string, problem: string) =>
  new ClassifiedError('needs_seller', 'zalando.config', `Zalando connection settings: ${field} ${problem}`, {
    hint: 'Correct the Zalando connection in Connections.',
  })

const validateConfig = (c: ZalandoConfig) => {
  try {
    new URL(c.baseUrl)
  } catch {
    throw configError('baseUrl', `is not a URL ("${c.baseUrl}")`)
  }
  if (!UUID.test(c.merchantId))
    throw configError('merchantId', `must be the merchant UUID from zDirect (got "${c.merchantId}")`)
  if (c.salesChannelIds.length === 0)
    throw configError('salesChannelIds', 'must name at least one sales channel')
  const bad = c.salesChannelIds.find((s) => !UUID.test(s))
  if (bad !== undefined)
    throw configError('salesChannelIds', `contains "${bad}", which is not a sales channel UUID`)
  if (!c.credentials.clientId) throw configError('credentials.clientId', 'is missing')
  if (!c.credentials.clientSecret) throw configError('credentials.clientSecret', 'is missing')
}

interface HeldToken {
  ean: string
  quantity: number
  stamp: number
}

export function createZalandoAdapter(config: ZalandoConfig, opts: ZalandoAdapterOptions): ChannelAdapter {
  validateConfig(config)
  const baseUrl = config.baseUrl.replace(/\/+$/, '')
  const scale = opts.rateScale ?? 1
  const sandbox = baseUrl.includes('api-sandbox.')
  const channels = config.salesChannelIds
  const client = new ZalandoClient(
    {
      baseUrl,
      clientId: config.credentials.clientId,
      clientSecret: config.credentials.clientSecret,
      timeoutMs: opts.timeoutMs,
      clock: opts.clock,
      tokensPerMinute: sandbox ? 1 : 8,
      rateScale: scale,
      ...(opts.rateMemory ? { rateMemory: opts.rateMemory } : {}),
    },
    {
      stocks: { perWindow: 60, windowMs: ZALANDO_WINDOW_MS },
      orders: { perWindow: sandbox ? 10 : 40, windowMs: ZALANDO_WINDOW_MS },
      blockers: { ratePerSecond: 5, burst: 10 },
    },
  )
  // Zalando counts stock updates as well as requests: 2000 (EAN, sales channel) pairs a minute.
  const itemBudget = new WindowLimit(
    STOCK_ITEMS_PER_MINUTE,
    ZALANDO_WINDOW_MS / scale,
    opts.clock,
    opts.rateMemory ? { store: opts.rateMemory, key: 'stock-items:window' } : undefined,
  )
  const mid = encodeURIComponent(config.merchantId)
  const latestStamp = new Map<string, number>()
  const lastRecheck = new Map<string, number>()
  const heldRecheckMs = opts.heldRecheckMs ?? 15 * 60_000

  const capabilities: ChannelCapabilities = {
    bulkBatchSize: Math.max(1, Math.floor(ZALANDO_STOCKS_MAX / channels.length)),
    rateLimits: [
      {
        scope: 'push',
        ratePerSecond: 1,
        burst: 10,
        itemsPerSecond: STOCK_ITEMS_PER_MINUTE / 60 / channels.length,
      },
      { scope: 'orders', ratePerSecond: (sandbox ? 10 : 40) / 60, burst: 5 },
      { scope: 'token', ratePerSecond: (sandbox ? 1 : 8) / 60, burst: sandbox ? 1 : 8 },
    ],
    zeroStockActions: ['push_zero', 'pause'],
    asyncConfirmation: true,
    readBack: false,
    orderPollIntervalMs: 60_000,
  }

  const spendItems = (n: number) => {
    const wait = itemBudget.take(n)
    if (wait > 0)
      throw new ClassifiedError(
        'retryable',
        'rate_limit.local',
        `Zalando allows ${STOCK_ITEMS_PER_MINUTE} stock updates a minute; the next ${n} fit in ${Math.ceil(wait / 1000)} s`,
        {
          retryAfterMs: wait,
        },
      )
  }

  /** Posts stocks for EANs × all sales channels; answers the per-EAN combined outcome. */
  const postStocks = async (
    entries: { ean: string; quantity: number }[],
  ): Promise<Map<string, { outcome: PushItemResult['outcome']; code?: string; message?: string }>> => {
    const items = entries.flatMap((e) =>
      channels.map((sales_channel_id) => ({ sales_channel_id, ean: e.ean, quantity: e.quantity })),
    )
    spendItems(items.length)
    const body = await client.json<{ results?: ZalandoStockResult[] }>(
      {
        method: 'POST',
        path: `/merchants/${mid}/stocks`,
        body: { items },
        op: 'stocks',
        what: `updating stock of ${entries.length} EANs`,
      },
      [207, 200],
    )
    if (!Array.isArray(body.results))
      throw new ClassifiedError(
        'retryable',
        'zalando.malformed',
        'Zalando answered the stock update without "results"',
      )
    const byKey = new Map(body.results.map((r) => [`${r.item?.ean}|${r.item?.sales_channel_id}`, r.result]))
    const out = new Map<string, { outcome: PushItemResult['outcome']; code?: string; message?: string }>()
    for (const e of entries) {
      const results = channels.map((sc) => ({ sc, r: byKey.get(`${e.ean}|${sc}`) }))
      const missing = results.filter((x) => !x.r)
      const failed = results.filter((x) => x.r?.status === 'FAILED')
      const rejected = results.filter((x) => x.r?.status === 'REJECTED')
      const held = results.filter((x) => x.r?.status === 'ACCEPTED' && x.r.code === 104)
      const why = (xs: typeof results) =>
        xs.map((x) => `${x.sc}: ${x.r?.code ?? ''} ${x.r?.description ?? ''}`.trim()).join('; ')
      if (rejected.length > 0)
        out.set(e.ean, {
          outcome: 'rejected',
          code: String(rejected[0]?.r?.code ?? 'REJECTED'),
          message: `Zalando refused EAN ${e.ean} (${why(rejected)})`,
        })
      else if (failed.length > 0 || missing.length > 0)
        out.set(e.ean, {
          outcome: 'retry',
          code: 'FAILED',
          message: `Zalando could not apply EAN ${e.ean} now (${why(failed) || 'no result for ' + missing.map((x) => x.sc).join(', ')})`,
        })
      else if (held.length > 0)
        out.set(e.ean, {
          outcome: 'accepted',
          code: '104',
          message: `Held by Zalando until EAN ${e.ean} is onboarded (${held.length} of ${channels.length} sales channels); applied then automatically`,
        })
      else out.set(e.ean, { outcome: 'confirmed' })
    }
    return out
  }

  const createBlockers = async (eans: string[]): Promise<{ calls: number; failed: Map<string, string> }> => {
    const wanted = eans.flatMap((ean) =>
      channels.map((sales_channel_id) => ({
        reason: 'PAUSE_06',
        description: ZALANDO_PAUSE_DESCRIPTION,
        criteria: { ean, sales_channel_id },
      })),
    )
    const failed = new Map<string, string>()
    let calls = 0
    for (let i = 0; i < wanted.length; i += ZALANDO_BLOCKERS_MAX) {
      const chunk = wanted.slice(i, i + ZALANDO_BLOCKERS_MAX)
      calls++
      const body = await client.json<{
        results?: {
          item?: { criteria?: { ean?: string } }
          result?: { status?: string; description?: string }
        }[]
      }>(
        {
          method: 'POST',
          path: `/merchants/${mid}/offer-blockers`,
          body: { items: chunk },
          op: 'blockers',
          what: `pausing ${chunk.length} offers`,
        },
        [207, 200],
      )
      ;(body.results ?? []).forEach((r, j) => {
        const ean = r.item?.criteria?.ean ?? chunk[j]?.criteria.ean ?? '?'
        if (r.result?.status !== 'ACCEPTED')
          failed.set(ean, `${r.result?.status ?? 'no result'} ${r.result?.description ?? ''}`.trim())
      })
    }
    return { calls, failed }
  }

  const removeBlockers = async (eans: string[]): Promise<{ calls: number; failed: Map<string, string> }> => {
    let calls = 0
    const ids: { id: string; ean: string }[] = []
    const wanted = new Set(eans)
    // A few EANs: ask per EAN. Many: one paged listing of all blockers is fewer calls.
    const filters: (string | undefined)[] = eans.length <= BLOCKER_LOOKUPS_PER_EAN_MAX ? eans : [undefined]
    for (const ean of filters) {
      let cursor: string | undefined
      do {
        calls++
        const page = await client.json<{ items?: ZalandoOfferBlocker[]; cursors?: { next?: string } }>({
          method: 'GET',
          path: `/merchants/${mid}/offer-blockers`,
          query: { ean, cursor, page_size: ean === undefined ? '500' : undefined },
          op: 'blockers',
          what: ean === undefined ? 'reading the paused offers' : `reading the pauses of EAN ${ean}`,
        })
        for (const b of page.items ?? [])
          if (
            b.description === ZALANDO_PAUSE_DESCRIPTION &&
            b.criteria.ean !== undefined &&
            wanted.has(b.criteria.ean) &&
            (!b.criteria.sales_channel_id || channels.includes(b.criteria.sales_channel_id))
          )
            ids.push({ id: b.id, ean: b.criteria.ean })
        cursor = page.cursors?.next
          ? (new URL(page.cursors.next).searchParams.get('cursor') ?? undefined)
          : undefined
      } while (cursor)
    }
    const failed = new Map<string, string>()
    for (let i = 0; i < ids.length; i += ZALANDO_BLOCKERS_MAX) {
      const chunk = ids.slice(i, i + ZALANDO_BLOCKERS_MAX)
      calls++
      const body = await client.json<{
        results?: { item?: string; result?: { status?: string; description?: string } }[]
      }>(
        {
          method: 'DELETE',
          path: `/merchants/${mid}/offer-blockers`,
          body: { items: chunk.map((c) => c.id) },
          op: 'blockers',
          what: `resuming ${chunk.length} offers`,
        },
        [207, 200],
      )
      for (const r of body.results ?? []) {
        const ean = chunk.find((c) => c.id === r.item)?.ean
        if (ean && r.result?.status !== 'ACCEPTED')
          failed.set(ean, `${r.result?.status ?? 'no result'} ${r.result?.description ?? ''}`.trim())
      }
    }
    return { calls, failed }
  }

  return {
    type: 'zalando',
    capabilities,

    async testConnection(): Promise<ConnectionTestResult> {
      try {
        await client.tokens.get()
        await client.json({
          method: 'GET',
          path: `/merchants/${mid}/offer-blockers`,
          query: { page_size: '1' },
          op: 'blockers',
          what: 'checking access to the merchant',
        })
        return {
          ok: true,
          message: `Connected to Zalando${sandbox ? ' (sandbox)' : ''} as merchant ${config.merchantId}; stock goes to ${channels.length} sales channel(s).`,
          details: { merchantId: config.merchantId, salesChannels: String(channels.length) },
        }
      } catch (e) {
        return connectionFailure(e)
      }
    },

    async push(items: PushItem[]): Promise<PushBatchResult> {
      if (items.length > capabilities.bulkBatchSize)
        throw new ClassifiedError(
          'permanent',
          'zalando.batch_too_large',
          `Zalando takes at most ${capabilities.bulkBatchSize} EANs per push with ${channels.length} sales channels (got ${items.length})`,
        )
      const { results, send } = newestPerListing(items, 'EAN', (item) =>
        !/^\d{8,14}$/.test(item.listingId)
          ? {
              code: 'zalando.bad_ean',
              message: `Zalando listing "${item.listingId}" is not an EAN (8 to 14 digits)`,
            }
          : quantityRefusal(item, 'zalando.bad_quantity', `EAN ${item.listingId}`),
      )
      if (send.length === 0) return { results, calls: 0 }
      let calls = 0
      const blockFailures = new Map<string, string>()
      const pauses = send.filter((i) => i.action === 'pause').map((i) => i.listingId)
      const resumes = send.filter((i) => i.action === 'resume').map((i) => i.listingId)
      if (pauses.length > 0) {
        const r = await createBlockers(pauses)
        calls += r.calls
        r.failed.forEach((v, k) => blockFailures.set(k, v))
      }
      if (resumes.length > 0) {
        const r = await removeBlockers(resumes)
        calls += r.calls
        r.failed.forEach((v, k) => blockFailures.set(k, v))
      }
      const outcomes = await postStocks(send.map((i) => ({ ean: i.listingId, quantity: i.quantity })))
      calls++
      for (const item of send) {
        latestStamp.set(item.listingId, Math.max(item.stamp, latestStamp.get(item.listingId) ?? -Infinity))
        const base = { listingId: item.listingId, stamp: item.stamp }
        const blockProblem = blockFailures.get(item.listingId)
        if (blockProblem) {
          results.push({
            ...base,
            outcome: 'retry',
            code: 'zalando.offer_blocker',
            message: `Zalando did not ${item.action} EAN ${item.listingId}: ${blockProblem}`,
          })
          continue
        }
        const o = outcomes.get(item.listingId) ?? { outcome: 'retry' as const }
        results.push({
          ...base,
          ...o,
          ...(o.outcome === 'accepted'
            ? {
                confirmationToken: JSON.stringify({
                  ean: item.listingId,
                  quantity: item.quantity,
                  stamp: item.stamp,
                } satisfies HeldToken),
              }
            : {}),
        })
      }
      return { results, calls }
    },

    // Zalando has no status call for held updates: sending the same absolute value again is harmless
    // and answers code 0 once the article is onboarded. Only the newest value per EAN is re-sent.
    async confirm(tokens: string[]): Promise<PushItemResult[]> {
      const out: PushItemResult[] = []
      const resend: HeldToken[] = []
      for (const t of tokens) {
        let h: HeldToken
        try {
          h = JSON.parse(t) as HeldToken
        } catch {
          continue
        }
        const latest = latestStamp.get(h.ean)
        if (latest !== undefined && latest > h.stamp)
          out.push({
            listingId: h.ean,
            stamp: h.stamp,
            outcome: 'rejected',
            code: 'superseded',
            message: `A newer value for EAN ${h.ean} was sent after this one`,
          })
        else resend.push(h)
      }
      // Onboarding takes hours or days, and every re-send spends the 2000-updates-a-minute budget that
      // pushes need: re-check each held EAN rarely, a bounded number per round, never past the budget.
      const now = opts.clock.now()
      const due = resend
        .filter((h) => now - (lastRecheck.get(h.ean) ?? -Infinity) >= heldRecheckMs)
        .slice(0, HELD_RECHECK_MAX)
      if (due.length === 0 || itemBudget.available() < due.length * channels.length * 2) return out
      for (const h of due) lastRecheck.set(h.ean, now)
      const outcomes = await postStocks(due)
      for (const h of due) {
        const o = outcomes.get(h.ean)
        if (!o || o.outcome === 'accepted' || o.outcome === 'retry') continue
        lastRecheck.delete(h.ean)
        out.push({ listingId: h.ean, stamp: h.stamp, ...o })
      }
      return out
    },

    // zDirect offers no read of the articles or their stock: listings are mapped by EAN from Odoo.
    async listListings(_cursor?: string): Promise<Page<ChannelListing>> {
      return { items: [] }
    },

    async fetchOrders(sinceIso: string, cursor?: string): Promise<Page<ChannelOrder>> {
      const page = cursor === undefined ? 0 : Number(cursor)
      const doc = await client.json<ZalandoOrdersDocument>({
        method: 'GET',
        path: `/merchants/${mid}/orders`,
        query: {
          last_updated_after: sinceIso,
          order_type: 'PartnerFulfilled',
          include: 'order_items,order_lines',
          'page[number]': String(page),
          'page[size]': String(ORDERS_PAGE_SIZE),
        },
        accept: 'application/vnd.api+json',
        op: 'orders',
        what: `fetching orders changed after ${sinceIso}`,
      })
      if (!Array.isArray(doc.data))
        throw new ClassifiedError(
          'retryable',
          'zalando.malformed',
          'Zalando answered the orders request without a "data" list',
        )
      const items = mapZalandoOrders(doc)
      return { items, ...(doc.links?.next && doc.data.length > 0 ? { next: String(page + 1) } : {}) }
    },
  }
}
