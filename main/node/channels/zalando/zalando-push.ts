// Pushing stock to Zalando: one POST /stocks per batch, each EAN fanned out to every sales channel. The
// answer is 207 per item; code 104 means Zalando holds the value until the article is onboarded, so it is
// 'accepted', and its confirmation re-sends the value rarely until Zalando applies it. Zalando counts stock
// updates as well as requests (2000 a minute): that budget is kept here, across restarts.
import { ZALANDO_LIMITS } from '../../../core/channels/zalando-limits'
import { ClassifiedError } from '../../../core/errors'
import type { PushItemResult } from '../../../core/ports/channel-adapter'
import type { BucketMemory } from '../../../core/rate-limit/token-bucket'
import { WindowLimit } from '../../../core/rate-limit/window-limit'
import { WINDOW_GUARD_MS } from '../kit/request-pacer'
import { ZALANDO_WINDOW_MS } from './zalando-client'
import type { ZalandoContext } from './zalando-context'
import type { ZalandoStockResult } from './zalando-types'

export type StockOutcome = { outcome: PushItemResult['outcome']; code?: string; message?: string }

export interface HeldToken {
  ean: string
  quantity: number
  stamp: number
}

const ITEMS_PER_MINUTE = ZALANDO_LIMITS.stockItemsPerMinute
const HELD_RECHECK_MAX = 100

export function zalandoStocks(
  ctx: ZalandoContext,
  o: { rateScale: number; rateMemory: BucketMemory | undefined; heldRecheckMs?: number },
) {
  const { zalando, channels, mid } = ctx
  const itemBudget = new WindowLimit(
    ITEMS_PER_MINUTE,
    ZALANDO_WINDOW_MS / o.rateScale,
    ctx.clock,
    o.rateMemory ? { store: o.rateMemory, key: 'stock-items:window' } : undefined,
    WINDOW_GUARD_MS,
  )
  const latestStamp = new Map<string, number>()
  const lastRecheck = new Map<string, number>()
  const heldRecheckMs = o.heldRecheckMs ?? 15 * 60_000

  const spendItems = (n: number) => {
    const wait = itemBudget.take(n)
    if (wait > 0)
      throw new ClassifiedError(
        'retryable',
        'rate_limit.local',
        `Zalando allows ${ITEMS_PER_MINUTE} stock updates a minute; the next ${n} fit in ${Math.ceil(wait / 1000)} s`,
        { retryAfterMs: wait },
      )
  }

  /** Posts stocks for EANs × all sales channels; answers the per-EAN combined outcome. */
  const postStocks = async (
    entries: { ean: string; quantity: number }[],
  ): Promise<Map<string, StockOutcome>> => {
    const items = entries.flatMap((e) =>
      channels.map((sales_channel_id) => ({ sales_channel_id, ean: e.ean, quantity: e.quantity })),
    )
    spendItems(items.length)
    const body = await zalando.json<{ results?: ZalandoStockResult[] }>(
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
    const out = new Map<string, StockOutcome>()
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

  /** The newest value sent per EAN: a held value older than it is superseded. */
  const sent = (ean: string, stamp: number) =>
    latestStamp.set(ean, Math.max(stamp, latestStamp.get(ean) ?? -Infinity))

  // Zalando has no status call for held updates: sending the same absolute value again is harmless
  // and answers code 0 once the article is onboarded. Only the newest value per EAN is re-sent.
  async function confirm(tokens: string[]): Promise<PushItemResult[]> {
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
    const now = ctx.clock.now()
    const due = resend
      .filter((h) => now - (lastRecheck.get(h.ean) ?? -Infinity) >= heldRecheckMs)
      .slice(0, HELD_RECHECK_MAX)
    if (due.length === 0 || itemBudget.available() < due.length * channels.length * 2) return out
    for (const h of due) lastRecheck.set(h.ean, now)
    const outcomes = await postStocks(due)
    for (const h of due) {
      const r = outcomes.get(h.ean)
      if (!r || r.outcome === 'accepted' || r.outcome === 'retry') continue
      lastRecheck.delete(h.ean)
      out.push({ listingId: h.ean, stamp: h.stamp, ...r })
    }
    return out
  }

  return { postStocks, sent, confirm }
}
