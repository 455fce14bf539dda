export { startEbaySimulator } from './ebay-simulator'
export {
  EBAY_SIM_CREDENTIALS,
  type EbaySimListing,
  type EbaySimulator,
  type EbaySimulatorOptions,
} from './types'
