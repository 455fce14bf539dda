export {
  AMAZON_SIM_CREDENTIALS,
  startAmazonSimulator,
  type AmazonSimListing,
  type AmazonSimOrderInput,
  type AmazonSimulator,
  type AmazonSimulatorOptions,
} from './amazon-simulator'
