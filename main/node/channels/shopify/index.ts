export {
  createShopifyAdapter,
  SHOPIFY_API_VERSION,
  SHOPIFY_BASE_URLS,
  SHOPIFY_SET_MAX,
  type ShopifyAdapterOptions,
  type ShopifyConfig,
} from './shopify-adapter'
