export { createAmazonAdapter, type AmazonAdapterOptions } from './amazon-adapter'
export {
  AMAZON_BASE_URLS,
  AMAZON_LWA_TOKEN_URL,
  type AmazonConfig,
  type AmazonCredentials,
} from './amazon-config'
export { AMAZON_LIMITS } from '../../../core/channels/amazon-limits'
