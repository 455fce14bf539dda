export { startShopifySimulator } from './shopify-simulator'
export type {
  ShopifyReceivedOperation,
  ShopifySimProductInput,
  ShopifySimulator,
  ShopifySimulatorOptions,
  ShopifySimVariantInput,
} from './types'
