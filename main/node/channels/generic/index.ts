export { createGenericAdapter, GENERIC_DEFAULT_CAPABILITIES } from './generic-adapter'
export type { GenericAdapterOptions } from './generic-adapter'
