// What the seller does to one listing: unblock it (it is planned again at once), or ask why it shows
// what it shows (the figure term by term, and every unit of its buffer).
import type { KitBook } from '../../core/stock/kit-book'
import { getPushState, unblockListing } from '../db/repos/push-state'
import type { EngineCore } from './engine-core'
import type { ListingExplanation } from './engine-types'
import type { Planner } from './planner'

export function unblockListingOf(
  core: EngineCore,
  planner: Planner,
  channelId: string,
  listingId: string,
): void {
  core.worker(channelId)
  const productId = core.catalog.productOf(channelId, listingId)
  if (!unblockListing(core.db, channelId, listingId)) return
  core.clearAlert('listing_blocked', `${channelId}/${listingId}`)
  core.log({
    at: core.now(),
    level: 'info',
    kind: 'push',
    channelId,
    listingId,
    status: 'skipped',
    message: 'unblocked by the seller',
  })
  if (productId !== null) {
    const queued = core.db.transaction(() =>
      planner.plan([productId], {
        force: (c, l) => c === channelId && l === listingId,
        channels: new Set([channelId]),
      }),
    )()
    core.kick(queued)
  }
}

export function explainListing(
  core: EngineCore,
  planner: Planner,
  kits: KitBook,
  channelId: string,
  listingId: string,
): ListingExplanation | null {
  const channel = core.catalog.channels.get(channelId)
  const productId = core.catalog.productOf(channelId, listingId)
  if (!channel || productId === null) return null
  const want = planner.desired(channel, listingId, productId)
  if (!want) return null
  const ps = getPushState(core.db, channelId, listingId)
  const f = want.figures
  return {
    channelId,
    listingId,
    productId,
    quantity: want.command.quantity,
    action: want.command.action,
    explanation: want.explanation,
    status: ps?.status ?? null,
    blockedReason: ps?.blockedReason ?? null,
    ...(f
      ? {
          figures: {
            basis: f.published.basis,
            basisValue: f.published.basisValue,
            pending: f.published.pending,
            buffer: f.published.buffer,
            capped: f.published.capped,
            zeroedBelow: f.published.zeroedBelow,
            kit: kits.isKit(productId),
            bufferParts: f.bufferParts,
          },
        }
      : {}),
  }
}
