// Channel types and their names, shared by config, engine, adapters and UI.
export const CHANNEL_TYPES = [
  'amazon',
  'bol',
  'zalando',
  'kaufland',
  'ebay',
  'shopify',
  'woocommerce',
] as const
export type ChannelType = (typeof CHANNEL_TYPES)[number]

export const CHANNEL_LABELS: Record<ChannelType, string> = {
  amazon: 'Amazon',
  bol: 'bol.com',
  zalando: 'Zalando',
  kaufland: 'Kaufland',
  ebay: 'eBay',
  shopify: 'Shopify',
  woocommerce: 'WooCommerce',
}

/** What a listing does when its published figure reaches 0. */
export type ZeroStockAction = 'push_zero' | 'pause'
