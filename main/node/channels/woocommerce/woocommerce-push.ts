// Pushing stock to WooCommerce: absolute values (manage_stock on, stock_quantity set) in one batch call per
// group, at most 100 objects: simple products through POST /products/batch, variations through POST
// /products/{parent}/variations/batch. The batch answer is the confirmation: each entry carries the record as
// Woo stored it, or its own error. Woo is known to answer a variation write with the new value and keep the
// old one (woocommerce#36595): that answer cannot tell, so it is the engine's reconciliation (a read-back of
// every listing, hourly) that catches such a write and sends it again. Pause: draft for products, private
// (Woo's "disabled") for variations.
import { WOOCOMMERCE_LIMITS } from '../../../core/channels/woocommerce-limits'
import { ClassifiedError } from '../../../core/errors'
import type { PushBatchResult, PushItem, PushItemResult } from '../../../core/ports/channel-adapter'
import { newestPerListing, quantityRefusal } from '../kit/push-results'
import type { WooClient } from './woocommerce-client'
import { parseWooListingId, type WooListingRef } from './woocommerce-listing-id'
import { byParent, groupPath, type WooStockRecord } from './woocommerce-records'

interface WooBatchEntry extends Partial<WooStockRecord> {
  id: number
  error?: { code: string; message: string; data?: { status?: number } }
}

interface Write {
  item: PushItem
  ref: WooListingRef
}

const wantedStatus = (item: PushItem, ref: WooListingRef) =>
  item.action === 'pause'
    ? ref.variationId === undefined
      ? 'draft'
      : 'private'
    : item.action === 'resume'
      ? 'publish'
      : undefined

const payload = ({ item, ref }: Write) => {
  const status = wantedStatus(item, ref)
  return {
    id: ref.variationId ?? ref.productId,
    manage_stock: true,
    stock_quantity: item.quantity,
    ...(status ? { status } : {}),
  }
}

/** What one entry of a batch answer means for its item. */
function outcomeOf(w: Write, e: WooBatchEntry | undefined): PushItemResult {
  const base = { listingId: w.item.listingId, stamp: w.item.stamp }
  if (!e)
    return {
      ...base,
      outcome: 'retry',
      code: 'woocommerce.missing_result',
      message: `WooCommerce gave no result for ${w.item.listingId}`,
    }
  if (e.error) {
    const server = (e.error.data?.status ?? 400) >= 500
    return {
      ...base,
      outcome: server ? 'retry' : 'rejected',
      code: e.error.code,
      transient: server,
      message: `WooCommerce refused ${w.item.listingId}: ${e.error.message}`,
    }
  }
  const status = wantedStatus(w.item, w.ref)
  if (
    e.manage_stock === true &&
    e.stock_quantity === w.item.quantity &&
    (status === undefined || e.status === status)
  )
    return { ...base, outcome: 'confirmed' }
  // The answer is the record as Woo kept it: stock not managed (a variation managed by its parent), another
  // quantity, or the status unchanged.
  return {
    ...base,
    outcome: 'retry',
    code: 'woocommerce.write_ignored',
    message: `WooCommerce answered ${w.item.listingId} with stock ${e.stock_quantity ?? 'not managed'}${status ? `, status ${e.status}` : ''} (wanted ${w.item.quantity}${status ? `, ${status}` : ''})`,
  }
}

export function wooPush(woo: WooClient) {
  return async function push(items: PushItem[]): Promise<PushBatchResult> {
    if (items.length > WOOCOMMERCE_LIMITS.batchMax)
      throw new ClassifiedError(
        'permanent',
        'woocommerce.batch_too_large',
        `WooCommerce takes at most ${WOOCOMMERCE_LIMITS.batchMax} listings per push (got ${items.length})`,
      )
    const batch = newestPerListing(items, 'listing', (item) =>
      !parseWooListingId(item.listingId)
        ? {
            code: 'woocommerce.bad_listing',
            message: `WooCommerce listing "${item.listingId}" is not a product id ("123") or variation ("123/456")`,
          }
        : quantityRefusal(item, 'woocommerce.bad_quantity', item.listingId),
    )
    const results = batch.results
    const send = batch.send.flatMap((item): Write[] => {
      const ref = parseWooListingId(item.listingId)
      return ref ? [{ item, ref }] : []
    })
    if (send.length === 0) return { results, calls: 0 }
    const before = woo.client.calls
    for (const [parent, group] of byParent(send)) {
      const { data } = await woo.json<{ update?: WooBatchEntry[] }>({
        method: 'POST',
        path: `${groupPath(parent)}/batch`,
        body: { update: group.map(payload) },
        what:
          parent === undefined
            ? `updating ${group.length} products`
            : `updating ${group.length} variations of product ${parent}`,
      })
      const byId = new Map((Array.isArray(data?.update) ? data.update : []).map((e) => [e?.id, e]))
      for (const w of group) results.push(outcomeOf(w, byId.get(w.ref.variationId ?? w.ref.productId)))
    }
    return { results, calls: woo.client.calls - before }
  }
}
