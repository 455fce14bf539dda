export { createBolAdapter, type BolAdapterOptions } from './bol-adapter'
export { BOL_BASE_URLS, BOL_TOKEN_URL, type BolConfig, type BolCredentials } from './bol-config'
