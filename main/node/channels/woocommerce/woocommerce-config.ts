// What a WooCommerce connection needs: the shop's address (HTTPS: the consumer secret would travel in clear
// text otherwise) and a REST API key; checked before anything is sent.
import { ClassifiedError } from '../../../core/errors'

/** A WooCommerce shop is the seller's own site: there is no fixed host. */
export const WOOCOMMERCE_BASE_URLS = {
  production: 'https://{your-shop-domain}',
} as const

export interface WooCommerceConfig {
  /** The site root, e.g. https://shop.example.com */
  baseUrl: string
  credentials: { consumerKey: string; consumerSecret: string }
  /** 'query' for hosts that strip the Authorization header (documented fallback, HTTPS only). */
  authMode?: 'basic' | 'query'
}

const configError = (field: string, problem: string) =>
  new ClassifiedError(
    'needs_seller',
    'woocommerce.config',
    `WooCommerce connection settings: ${field} ${problem}`,
    {
      hint: 'Correct the WooCommerce connection in Connections.',
    },
  )

/** The site root of a valid configuration; a bad setting is refused naming it. */
export function wooSiteRoot(config: WooCommerceConfig): URL {
  let base: URL
  try {
    base = new URL(config.baseUrl)
  } catch {
    throw configError('baseUrl', `is not a URL ("${config.baseUrl}")`)
  }
  const loopback = base.hostname === '127.0.0.1' || base.hostname === 'localhost'
  if (base.protocol !== 'https:' && !loopback)
    throw configError(
      'baseUrl',
      'must use https:// (the consumer secret would travel in clear text over http)',
    )
  if (!/^ck_[0-9a-f]{40}$/.test(config.credentials.consumerKey))
    throw configError('credentials.consumerKey', 'must look like ck_ followed by 40 hex characters')
  if (!/^cs_[0-9a-f]{40}$/.test(config.credentials.consumerSecret))
    throw configError('credentials.consumerSecret', 'must look like cs_ followed by 40 hex characters')
  return base
}
