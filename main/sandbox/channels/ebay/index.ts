export {
  EBAY_SIM_CREDENTIALS,
  EBAY_SIM_QUOTAS,
  startEbaySimulator,
  type EbaySimListing,
  type EbaySimulator,
  type EbaySimulatorOptions,
} from './ebay-simulator'
