export { startAmazonSimulator } from './amazon-simulator'
export {
  AMAZON_SIM_CREDENTIALS,
  type AmazonSimListing,
  type AmazonSimOrderInput,
  type AmazonSimulator,
  type AmazonSimulatorOptions,
} from './types'
