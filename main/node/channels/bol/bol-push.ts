// Pushing stock to bol.com: one Offers API v11 PATCH per offer (no bulk call exists), a few in flight at
// once, managedByRetailer set because the ERP already reserves open orders; pause and resume ride on the same
// PATCH (onHoldByRetailer). A 202 means accepted for asynchronous processing: its process status confirms.
import { ClassifiedError } from '../../../core/errors'
import { BOL_LIMITS } from '../../../core/channels/bol-limits'
import type { PushBatchResult, PushItem, PushItemResult } from '../../../core/ports/channel-adapter'
import type { BolClient } from './bol-client'

interface ProcessStatus {
  processStatusId?: string
  entityId?: string
  status: 'PENDING' | 'SUCCESS' | 'FAILURE' | 'TIMEOUT'
  errorMessage?: string
}

export const BOL_OFFER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const patchBody = (it: PushItem) => {
  const stock = { amount: Math.min(it.quantity, BOL_LIMITS.maxStock), managedByRetailer: true }
  if (it.action === 'pause') return { onHoldByRetailer: true, stock }
  if (it.action === 'resume') return { onHoldByRetailer: false, stock }
  return { stock }
}

const retryOf = (it: PushItem, e: ClassifiedError): PushItemResult => ({
  listingId: it.listingId,
  stamp: it.stamp,
  outcome: 'retry',
  code: e.code,
  message: e.message,
  ...(e.kind === 'retryable' ? { transient: true } : {}),
})

export function bolPush(bol: BolClient, concurrency: number = BOL_LIMITS.concurrency) {
  const send = async (it: PushItem): Promise<PushItemResult> => {
    const base = { listingId: it.listingId, stamp: it.stamp }
    const res = await bol.call({
      endpoint: 'offers-update',
      method: 'PATCH',
      path: `/offers/${it.listingId}`,
      body: patchBody(it),
      version: 'v11',
    })
    if (res.status !== 202) return { ...base, outcome: 'confirmed' }
    // Accepted for asynchronous processing: bol answers with a process status to follow.
    const ps = res.json<ProcessStatus>()
    if (!ps.processStatusId)
      throw new ClassifiedError(
        'retryable',
        'bol.malformed',
        'bol.com answered 202 without a processStatusId',
      )
    return {
      ...base,
      outcome: 'accepted',
      confirmationToken: JSON.stringify({ ps: ps.processStatusId, offerId: it.listingId, stamp: it.stamp }),
    }
  }

  async function push(items: PushItem[]): Promise<PushBatchResult> {
    const before = bol.calls
    // Answers go in the order asked, whatever order the calls finish in.
    const slots: (PushItemResult | undefined)[] = items.map(() => undefined)
    const index = new Map(items.map((it, i) => [it, i]))
    const put = (r: PushItemResult, it: PushItem) => (slots[index.get(it) ?? 0] = r)
    const valid: PushItem[] = []
    for (const it of items) {
      const base = { listingId: it.listingId, stamp: it.stamp }
      if (!BOL_OFFER_ID.test(it.listingId))
        put(
          {
            ...base,
            outcome: 'rejected',
            code: 'bol.offer_id',
            message: `"${it.listingId}" is not a bol.com offer id (a UUID)`,
          },
          it,
        )
      else if (!Number.isInteger(it.quantity) || it.quantity < 0)
        put(
          {
            ...base,
            outcome: 'rejected',
            code: 'invalid_quantity',
            message: `quantity for offer ${it.listingId} must be a whole number >= 0, got ${it.quantity}`,
          },
          it,
        )
      else valid.push(it)
    }
    let stopped: ClassifiedError | undefined
    // A few calls in flight: one PATCH per offer at a round trip each would never reach bol's allowance.
    for (let i = 0; i < valid.length; i += concurrency) {
      const group = valid.slice(i, i + concurrency)
      if (stopped) {
        for (const it of group) put(retryOf(it, stopped), it)
        continue
      }
      const settled = await Promise.allSettled(group.map(send))
      for (const [k, r] of settled.entries()) {
        const it = group[k]
        if (!it) continue
        if (r.status === 'fulfilled') {
          put(r.value, it)
          continue
        }
        const e: unknown = r.reason
        if (!(e instanceof ClassifiedError)) throw e
        // Nothing went through yet: the credentials are the problem, the engine raises one alert.
        if (
          e.kind === 'needs_seller' &&
          i === 0 &&
          !slots.some((x) => x !== undefined && x.outcome !== 'rejected')
        )
          throw e
        if (e.kind === 'permanent')
          put(
            {
              listingId: it.listingId,
              stamp: it.stamp,
              outcome: 'rejected',
              code: e.code,
              message: e.message,
            },
            it,
          )
        else {
          put(retryOf(it, e), it)
          if (e.code === 'bol.throttled' || e.code === 'bol.rate_limited' || e.kind === 'needs_seller')
            stopped = e
        }
      }
    }
    const obs = bol.budget.observed.get('offers-update')
    const rateLimit = {
      ...(obs?.remaining === undefined ? {} : { remaining: obs.remaining }),
      ...(obs?.resetInMs === undefined ? {} : { resetInMs: obs.resetInMs }),
      ...(stopped?.retryAfterMs === undefined ? {} : { retryAfterMs: stopped.retryAfterMs }),
    }
    return {
      results: slots.filter((r): r is PushItemResult => r !== undefined),
      calls: bol.calls - before,
      ...(Object.keys(rateLimit).length > 0 ? { rateLimit } : {}),
    }
  }

  /** Follows 202s through the shared process status, up to 1000 a call; statuses still pending are left out. */
  async function confirm(tokens: string[]): Promise<PushItemResult[]> {
    const wanted = tokens.flatMap((t) => {
      try {
        return [JSON.parse(t) as { ps: string; offerId: string; stamp: number }]
      } catch {
        return []
      }
    })
    const out: PushItemResult[] = []
    for (let i = 0; i < wanted.length; i += BOL_LIMITS.processStatusBatch) {
      const chunk = wanted.slice(i, i + BOL_LIMITS.processStatusBatch)
      const res = await bol.json<{ processStatuses?: ProcessStatus[] }>({
        endpoint: 'process-status',
        method: 'POST',
        path: '/process-status',
        body: { processStatusQueries: chunk.map((w) => ({ processStatusId: w.ps })) },
        version: 'v10',
        shared: true,
      })
      const byId = new Map((res.processStatuses ?? []).map((s) => [s.processStatusId, s]))
      for (const w of chunk) {
        const s = byId.get(w.ps)
        const base = { listingId: w.offerId, stamp: w.stamp }
        if (!s || s.status === 'PENDING') continue
        if (s.status === 'SUCCESS') out.push({ ...base, outcome: 'confirmed' })
        else if (s.status === 'FAILURE')
          out.push({
            ...base,
            outcome: 'rejected',
            code: 'bol.process_failed',
            message: `bol.com could not update offer ${w.offerId}: ${s.errorMessage ?? 'FAILURE'}`,
          })
        else
          out.push({
            ...base,
            outcome: 'retry',
            code: 'bol.process_timeout',
            message: `bol.com timed out updating offer ${w.offerId}`,
          })
      }
    }
    return out
  }

  return { push, confirm }
}
