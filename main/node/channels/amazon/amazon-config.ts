// What an Amazon connection needs: where to call, whose listings, and the LWA app credentials.
import { ClassifiedError } from '../../../core/errors'

export const AMAZON_BASE_URLS = {
  production: 'https://sellingpartnerapi-eu.amazon.com',
  sandbox: 'https://sandbox.sellingpartnerapi-eu.amazon.com',
} as const

export const AMAZON_LWA_TOKEN_URL = 'https://api.amazon.com/auth/o2/token'

export interface AmazonCredentials {
  clientId: string
  clientSecret: string
  refreshToken: string
}

export interface AmazonConfig {
  /** SP-API endpoint: production, sandbox, or any URL (the simulator, a proxy). */
  baseUrl: string
  /** LWA token endpoint; defaults to Amazon's. */
  tokenUrl?: string
  sellerId: string
  marketplaceIds: string[]
  /** Product type sent with quantity patches; Amazon accepts "PRODUCT" for offer-only changes. */
  productType?: string
  /** "DEFAULT" is merchant-fulfilled; never flip MFN/FBA through a stock push. */
  fulfillmentChannelCode?: string
  /** Application id and version for the required User-Agent. */
  appId?: string
  credentials: AmazonCredentials
}

const bad = (what: string) =>
  new ClassifiedError('needs_seller', 'amazon.config', `Amazon connection settings: ${what}`, {
    hint: 'Complete the Amazon connection in Connections.',
  })

export function checkAmazonConfig(c: AmazonConfig): void {
  try {
    new URL(c.baseUrl)
  } catch {
    throw bad(`baseUrl "${c.baseUrl}" is not a valid URL`)
  }
  if (c.tokenUrl !== undefined) {
    try {
      new URL(c.tokenUrl)
    } catch {
      throw bad(`tokenUrl "${c.tokenUrl}" is not a valid URL`)
    }
  }
  if (!c.sellerId?.trim()) throw bad('sellerId (merchant token) is empty')
  if (!Array.isArray(c.marketplaceIds) || c.marketplaceIds.length === 0)
    throw bad('marketplaceIds is empty; name at least one marketplace, e.g. A1PA6795UKMFR9')
  if (c.marketplaceIds.length > 50) throw bad('marketplaceIds has more than 50 entries')
  const cred = c.credentials
  if (!cred?.clientId?.trim()) throw bad('credentials.clientId is empty')
  if (!cred.clientSecret?.trim()) throw bad('credentials.clientSecret is empty')
  if (!cred.refreshToken?.trim()) throw bad('credentials.refreshToken is empty')
}
