export {
  AMAZON_SIM_CREDENTIALS,
  AMAZON_SIM_LIMITS,
  startAmazonSimulator,
  type AmazonSimListing,
  type AmazonSimOrderInput,
  type AmazonSimulator,
  type AmazonSimulatorOptions,
} from './amazon-simulator'
