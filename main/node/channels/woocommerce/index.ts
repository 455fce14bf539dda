export {
  createWooCommerceAdapter,
  WOO_BATCH_MAX,
  WOOCOMMERCE_BASE_URLS,
  type WooCommerceAdapterOptions,
  type WooCommerceConfig,
} from './woocommerce-adapter'
export { parseWooListingId, wooListingId, type WooListingRef } from './woocommerce-listing-id'
