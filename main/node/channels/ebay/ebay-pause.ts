// Pausing an eBay listing withdraws its offer (the listing ends, the offer stays); resuming publishes it
// again. Each spends one of the listing's revisions of the day.
import type { Clock } from '../../../core/ports/clock'
import type { ChannelClient } from '../kit/channel-client'
import { ebayCall } from './ebay-client'
import { INVENTORY, type EbayOffer } from './ebay-offers'
import type { RevisionBudget } from './revision-budget'

export function ebayOfferStatus(client: ChannelClient, revisions: RevisionBudget, clock: Clock) {
  return async (offer: EbayOffer, what: 'withdraw' | 'publish'): Promise<void> => {
    await client.json<{ listingId?: string }>(
      ebayCall('POST', `${INVENTORY}/offer/${encodeURIComponent(offer.offerId)}/${what}`),
    )
    offer.status = what === 'withdraw' ? 'UNPUBLISHED' : 'PUBLISHED'
    revisions.spend(offer.sku, clock.now())
  }
}
