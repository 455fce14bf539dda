// What an eBay connection needs: the API host (production, sandbox, or any URL), the marketplace and the
// language of item writes, and the app keys with the seller's refresh token from the one-time consent.
import { ClassifiedError } from '../../../core/errors'

export const EBAY_BASE_URLS = {
  production: 'https://api.ebay.com',
  sandbox: 'https://api.sandbox.ebay.com',
} as const

export const EBAY_SCOPES = [
  'https://api.ebay.com/oauth/api_scope/sell.inventory',
  'https://api.ebay.com/oauth/api_scope/sell.fulfillment',
]

export interface EbayCredentials {
  clientId: string
  clientSecret: string
  /** Long-lived (about 18 months) token from the seller's consent. */
  refreshToken: string
}

export interface EbayConfig {
  baseUrl: string
  /** Defaults to `${baseUrl}/identity/v1/oauth2/token`. */
  tokenUrl?: string
  /** e.g. EBAY_DE */
  marketplaceId: string
  /** Content-Language of inventory writes, e.g. de-DE. */
  contentLanguage: string
  credentials: EbayCredentials
}

const bad = (what: string) =>
  new ClassifiedError('needs_seller', 'ebay.config', `eBay connection settings: ${what}`, {
    hint: 'Complete the eBay connection in Connections.',
  })

export function checkEbayConfig(c: EbayConfig): void {
  for (const [name, value] of [
    ['baseUrl', c.baseUrl],
    ['tokenUrl', c.tokenUrl],
  ] as const) {
    if (value === undefined && name === 'tokenUrl') continue
    try {
      new URL(value ?? '')
    } catch {
      throw bad(`${name} "${value ?? ''}" is not a valid URL`)
    }
  }
  if (!/^EBAY_[A-Z_]+$/.test(c.marketplaceId ?? ''))
    throw bad(`marketplaceId "${c.marketplaceId}" is not an eBay marketplace id like EBAY_DE`)
  if (!/^[a-z]{2}-[A-Z]{2}$/.test(c.contentLanguage ?? ''))
    throw bad(`contentLanguage "${c.contentLanguage}" is not a locale like de-DE`)
  if (!c.credentials?.clientId?.trim()) throw bad('credentials.clientId is empty')
  if (!c.credentials.clientSecret?.trim()) throw bad('credentials.clientSecret is empty')
  if (!c.credentials.refreshToken?.trim())
    throw bad('credentials.refreshToken is empty; connect the eBay account first')
}
