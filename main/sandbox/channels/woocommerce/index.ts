export {
  startWooCommerceSimulator,
  type WooSimProductInput,
  type WooSimulator,
  type WooSimulatorOptions,
} from './woocommerce-simulator'
