// Pushing stock to Kaufland: one unit as a PATCH, several as one POST /units/bulk (at most 150, no unit twice,
// or the whole request fails), both answered synchronously with the updated unit, so a 2xx item is
// confirmed on the spot. Pause and resume set the unit's status (ONHOLD, AVAILABLE) in the same write.
import { KAUFLAND_LIMITS } from '../../../core/channels/kaufland-limits'
import { ClassifiedError } from '../../../core/errors'
import type { PushBatchResult, PushItem, PushItemResult } from '../../../core/ports/channel-adapter'
import { newestPerListing, quantityRefusal, type Refusal } from '../kit/push-results'
import { describeKauflandError, type KauflandClient } from './kaufland-client'
import type { KauflandStorefront, KauflandBulkEntry } from './kaufland-types'

const unitData = (item: PushItem): Record<string, unknown> => {
  if (item.action === 'pause') return { status: 'ONHOLD', amount: item.quantity }
  if (item.action === 'resume') return { status: 'AVAILABLE', amount: item.quantity }
  return { amount: item.quantity }
}

const checkItem = (item: PushItem): Refusal | undefined =>
  !/^[1-9]\d{0,17}$/.test(item.listingId)
    ? {
        code: 'kaufland.bad_listing',
        message: `Kaufland listing id "${item.listingId}" is not a unit id (id_unit, a positive number)`,
      }
    : quantityRefusal(item, 'kaufland.bad_quantity', `Kaufland unit ${item.listingId}`)

export function kauflandPush(kaufland: KauflandClient, storefront: KauflandStorefront) {
  const pushOne = async (item: PushItem): Promise<PushItemResult> => {
    const res = await kaufland.request({
      method: 'PATCH',
      path: `/units/${item.listingId}`,
      query: { storefront },
      body: unitData(item),
      what: `updating unit ${item.listingId} on storefront ${storefront}`,
      // The unit's own refusal is an answer for this item, not a failure of the call.
      accept: [400, 404, 422],
    })
    const base = { listingId: item.listingId, stamp: item.stamp }
    if (res.status >= 200 && res.status < 300) {
      res.json()
      return { ...base, outcome: 'confirmed' }
    }
    return {
      ...base,
      outcome: 'rejected',
      code: `kaufland.${res.status}`,
      message: `Kaufland refused unit ${item.listingId}: ${describeKauflandError(res)}`,
    }
  }

  const pushBulk = async (items: PushItem[]): Promise<PushItemResult[]> => {
    const body = items.map((i) => ({ id_unit: Number(i.listingId), unit_data: unitData(i) }))
    const { data } = await kaufland.json<{ data?: KauflandBulkEntry[] }>({
      method: 'POST',
      path: '/units/bulk',
      query: { storefront },
      body,
      what: `updating ${items.length} units on storefront ${storefront}`,
    })
    if (!Array.isArray(data.data))
      throw new ClassifiedError(
        'retryable',
        'kaufland.malformed',
        `Kaufland answered the bulk update without a "data" list`,
      )
    const byId = new Map(data.data.map((e) => [String(e.id_unit), e]))
    return items.map((item): PushItemResult => {
      const base = { listingId: item.listingId, stamp: item.stamp }
      const e = byId.get(item.listingId)
      if (!e)
        return {
          ...base,
          outcome: 'retry',
          code: 'kaufland.missing_result',
          message: `Kaufland gave no result for unit ${item.listingId}`,
        }
      if (e.status_code >= 200 && e.status_code < 300) return { ...base, outcome: 'confirmed' }
      const detail = [e.message, ...(e.errors ?? []).map((x) => `${x.field}: ${x.message}`)]
        .filter((s) => s)
        .join('; ')
      if (e.status_code >= 500 || e.key !== undefined)
        return {
          ...base,
          outcome: 'retry',
          code: `kaufland.${e.status_code}`,
          transient: e.status_code >= 500,
          message: `Kaufland could not update unit ${item.listingId} now: ${detail}`,
        }
      return {
        ...base,
        outcome: 'rejected',
        code: `kaufland.${e.status_code}`,
        message: `Kaufland refused unit ${item.listingId}: ${detail}`,
      }
    })
  }

  return async function push(items: PushItem[]): Promise<PushBatchResult> {
    if (items.length > KAUFLAND_LIMITS.bulkMaxUnits)
      throw new ClassifiedError(
        'permanent',
        'kaufland.batch_too_large',
        `Kaufland takes at most ${KAUFLAND_LIMITS.bulkMaxUnits} units per push (got ${items.length})`,
      )
    // A duplicate unit makes Kaufland refuse the whole bulk request: keep only the newest per unit.
    const { results, send } = newestPerListing(items, 'unit', checkItem)
    if (send.length === 0) return { results, calls: 0 }
    const before = kaufland.client.calls
    const first = send[0]
    if (send.length === 1 && first) results.push(await pushOne(first))
    else results.push(...(await pushBulk(send)))
    return { results, calls: kaufland.client.calls - before }
  }
}
