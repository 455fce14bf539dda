export { startWooCommerceSimulator } from './woocommerce-simulator'
export type { WooSimProductInput, WooSimulator, WooSimulatorOptions } from './types'
