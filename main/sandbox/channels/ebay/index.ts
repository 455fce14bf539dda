export {
  EBAY_SIM_CREDENTIALS,
  startEbaySimulator,
  type EbaySimListing,
  type EbaySimulator,
  type EbaySimulatorOptions,
} from './ebay-simulator'
