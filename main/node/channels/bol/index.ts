export { createBolAdapter, type BolAdapterOptions } from './bol-adapter'
export type { KnownBolItem } from './bol-orders'
export { BOL_BASE_URLS, BOL_TOKEN_URL, type BolConfig, type BolCredentials } from './bol-config'
