// Drives an adapter the way the engine does, through the port only: batches to bulkBatchSize, holds the push
// rate limit in a token bucket, retries 'retry' outcomes and retryable errors, and confirms 'accepted' items
// until every item is confirmed or rejected. Integration tests and the channel bench share it.
import { ClassifiedError } from '../../../main/core/errors'
import type {
  ChannelAdapter,
  ChannelOrder,
  PushItem,
  PushItemResult,
} from '../../../main/core/ports/channel-adapter'
import { systemClock } from '../../../main/core/ports/clock'
import { TokenBucket } from '../../../main/core/rate-limit/token-bucket'

export interface SyncDriverOptions {
  /** Same scale the adapter and simulator run at. */
  rateScale?: number
  /** Pause between confirmation rounds, ms. */
  confirmEveryMs?: number
  /** Give up after this long (ms). */
  deadlineMs?: number
  /** Longest wait the driver honours for retryAfterMs (scaled runs should not sleep for minutes). */
  maxWaitMs?: number
}

export interface SyncOutcome {
  final: Map<string, PushItemResult>
  pushCalls: number
  errors: ClassifiedError[]
  rounds: number
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export async function syncUntilSettled(
  adapter: ChannelAdapter,
  items: PushItem[],
  opts: SyncDriverOptions = {},
): Promise<SyncOutcome> {
  const scale = opts.rateScale ?? 1
  const limit = adapter.capabilities.rateLimits.find((l) => l.scope === 'push')
  const bucket = limit ? new TokenBucket(limit.ratePerSecond * scale, limit.burst, systemClock) : undefined
  const deadline = Date.now() + (opts.deadlineMs ?? 20_000)
  const maxWait = opts.maxWaitMs ?? 200
  const final = new Map<string, PushItemResult>()
  const errors: ClassifiedError[] = []
  let todo = [...items]
  const waiting = new Map<string, { item: PushItem; token: string }>()
  let pushCalls = 0
  let rounds = 0

  while (todo.length > 0 || waiting.size > 0) {
    if (Date.now() > deadline)
      throw new Error(
        `sync did not settle: ${todo.length} to push, ${waiting.size} unconfirmed after ${rounds} rounds`,
      )
    rounds++
    const retry: PushItem[] = []
    const size = adapter.capabilities.bulkBatchSize
    for (let i = 0; i < todo.length; i += size) {
      const batch = todo.slice(i, i + size)
      if (bucket) {
        let wait = bucket.take()
        while (wait > 0) {
          await sleep(Math.min(wait, maxWait))
          wait = bucket.take()
        }
      }
      try {
        const res = await adapter.push(batch)
        pushCalls += res.calls
        const byId = new Map(batch.map((b) => [b.listingId, b]))
        for (const r of res.results) {
          const item = byId.get(r.listingId)
          if (!item) continue
          if (r.outcome === 'retry') retry.push(item)
          else if (r.outcome === 'accepted' && r.confirmationToken)
            waiting.set(item.listingId, { item, token: r.confirmationToken })
          else final.set(item.listingId, r)
        }
        if (res.rateLimit?.retryAfterMs) await sleep(Math.min(res.rateLimit.retryAfterMs, maxWait))
      } catch (e) {
        if (!(e instanceof ClassifiedError) || e.kind !== 'retryable') throw e
        errors.push(e)
        retry.push(...batch)
        await sleep(Math.min(e.retryAfterMs ?? 20, maxWait))
      }
    }
    todo = retry
    if (waiting.size > 0 && adapter.confirm) {
      await sleep(opts.confirmEveryMs ?? 50)
      try {
        const confirmed = await adapter.confirm([...waiting.values()].map((w) => w.token))
        for (const r of confirmed) {
          const w = waiting.get(r.listingId)
          if (!w) continue
          waiting.delete(r.listingId)
          if (r.outcome === 'retry') todo.push(w.item)
          else final.set(r.listingId, r)
        }
      } catch (e) {
        if (!(e instanceof ClassifiedError) || e.kind !== 'retryable') throw e
        errors.push(e)
      }
    }
  }
  return { final, pushCalls, errors, rounds }
}

/**
 * Reads every order changed since `sinceIso`, page by page, the way the engine's poller does: a retryable
 * failure is waited out and the same page asked again, so nothing is skipped.
 */
export async function drainOrders(
  adapter: ChannelAdapter,
  sinceIso: string,
  opts: { maxWaitMs?: number; deadlineMs?: number } = {},
): Promise<{ orders: Map<string, ChannelOrder>; pages: number; failures: number }> {
  const orders = new Map<string, ChannelOrder>()
  const deadline = Date.now() + (opts.deadlineMs ?? 20_000)
  let cursor: string | undefined
  let pages = 0
  let failures = 0
  let done = false
  do {
    if (Date.now() > deadline)
      throw new Error(`orders did not drain: ${orders.size} read, ${failures} failures`)
    try {
      const page = await adapter.fetchOrders(sinceIso, cursor)
      pages++
      for (const o of page.items) orders.set(o.orderId, o)
      cursor = page.next
      done = cursor === undefined
    } catch (e) {
      if (!(e instanceof ClassifiedError) || e.kind !== 'retryable') throw e
      failures++
      await sleep(Math.min(e.retryAfterMs ?? 20, opts.maxWaitMs ?? 200))
    }
  } while (!done)
  return { orders, pages, failures }
}
