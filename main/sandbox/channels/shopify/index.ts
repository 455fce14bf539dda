export {
  startShopifySimulator,
  type ShopifySimProductInput,
  type ShopifySimulator,
  type ShopifySimulatorOptions,
  type ShopifySimVariantInput,
} from './shopify-simulator'
