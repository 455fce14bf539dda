// What every part of the Amazon adapter shares: the channel client, the settings, and the paths they build.
import type { Clock } from '../../../core/ports/clock'
import type { ChannelClient } from '../kit/channel-client'
import type { AmazonConfig } from './amazon-config'

export interface AmazonContext {
  client: ChannelClient
  config: AmazonConfig
  clock: Clock
  rateScale: number
  /** /listings/2021-08-01/items/{sellerId} */
  sellerPath: string
  /** The marketplace ids, comma separated, as SP-API takes them in a query. */
  marketplaces: string
  productType: string
  /** "DEFAULT" is merchant-fulfilled; never flip MFN/FBA through a stock push. */
  channelCode: string
}

export function amazonContext(
  client: ChannelClient,
  config: AmazonConfig,
  clock: Clock,
  rateScale: number,
): AmazonContext {
  return {
    client,
    config,
    clock,
    rateScale,
    sellerPath: `/listings/2021-08-01/items/${encodeURIComponent(config.sellerId)}`,
    marketplaces: config.marketplaceIds.join(','),
    productType: config.productType ?? 'PRODUCT',
    channelCode: config.fulfillmentChannelCode ?? 'DEFAULT',
  }
}
