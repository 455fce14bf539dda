// The channel types LastUnit speaks to, and the credentials each one needs. Shared by config, engine and UI.
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
export const ZERO_STOCK_ACTIONS = ['push_zero', 'pause'] as const
export type ZeroStockAction = (typeof ZERO_STOCK_ACTIONS)[number]

/** Which zero-stock actions each channel supports (Amazon can only push 0). */
export const CHANNEL_ZERO_STOCK_ACTIONS: Record<ChannelType, readonly ZeroStockAction[]> = {
  amazon: ['push_zero'],
  bol: ['push_zero', 'pause'],
  zalando: ['push_zero', 'pause'],
  kaufland: ['push_zero', 'pause'],
  ebay: ['push_zero', 'pause'],
  shopify: ['push_zero', 'pause'],
  woocommerce: ['push_zero', 'pause'],
}

/** The secret fields each channel type needs. Values are stored encrypted and never sent to the UI. */
export const CHANNEL_CREDENTIAL_FIELDS: Record<ChannelType, readonly string[]> = {
  amazon: ['clientId', 'clientSecret', 'refreshToken'],
  bol: ['clientId', 'clientSecret'],
  zalando: ['clientId', 'clientSecret'],
  kaufland: ['clientKey', 'secretKey'],
  ebay: ['clientId', 'clientSecret', 'refreshToken'],
  shopify: ['accessToken'],
  woocommerce: ['consumerKey', 'consumerSecret'],
}

/**
 * "Faster orders": the seller's own Amazon SQS queue that Amazon's ORDER_CHANGE notifications and bol.com's
 * ORDER subscription write to. Stored as credentials of the channel (encrypted, write-only, never exported),
 * optional: without them the channel's orders are polled only. The queue's region is read from its URL (not a
 * secret: shared/queue-url.ts). See docs/faster-orders.md.
 */
export const ORDER_QUEUE_CREDENTIAL_FIELDS = ['queueUrl', 'queueAccessKeyId', 'queueSecretAccessKey'] as const
export type OrderQueueCredentialField = (typeof ORDER_QUEUE_CREDENTIAL_FIELDS)[number]

/** The channels whose marketplace can deliver order events to the seller's queue. */
export const ORDER_QUEUE_CHANNELS: readonly ChannelType[] = ['amazon', 'bol']

/** Every credential a channel type takes: the ones it needs, and its optional order queue. */
export const acceptedCredentialFields = (type: ChannelType): readonly string[] =>
  ORDER_QUEUE_CHANNELS.includes(type)
    ? [...CHANNEL_CREDENTIAL_FIELDS[type], ...ORDER_QUEUE_CREDENTIAL_FIELDS]
    : CHANNEL_CREDENTIAL_FIELDS[type]

export const STOCK_BASES = ['free', 'on_hand', 'forecast'] as const
export type StockBasis = (typeof STOCK_BASES)[number]

export const CHANNEL_ENVIRONMENTS = ['production', 'sandbox', 'custom'] as const
export type ChannelEnvironment = (typeof CHANNEL_ENVIRONMENTS)[number]
