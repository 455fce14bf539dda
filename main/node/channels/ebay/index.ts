export { createEbayAdapter, type EbayAdapterOptions } from './ebay-adapter'
export { EBAY_BASE_URLS, EBAY_SCOPES, type EbayConfig, type EbayCredentials } from './ebay-config'
export { RevisionBudget, type RevisionBudgetOptions } from './revision-budget'
