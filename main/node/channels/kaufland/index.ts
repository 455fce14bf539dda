export {
  createKauflandAdapter,
  KAUFLAND_BASE_URLS,
  KAUFLAND_BULK_MAX,
  type KauflandAdapterOptions,
  type KauflandConfig,
} from './kaufland-adapter'
export { kauflandSignature, kauflandSigningString } from './kaufland-signature'
export { KAUFLAND_STOREFRONTS, type KauflandStorefront } from './kaufland-types'
