// What a Shopify connection needs: the shop's address, the API version, the stock location (the first
// active one when absent) and the access token; checked before anything is sent.
import { SHOPIFY_LIMITS } from '../../../core/channels/shopify-limits'
import { ClassifiedError } from '../../../core/errors'

/** Shopify stores live on their own domains: the base URL is per shop. */
export const SHOPIFY_BASE_URLS = {
  production: 'https://{shop}.myshopify.com',
} as const
export const SHOPIFY_API_VERSION = '2026-04'
/** Quantities per inventorySetQuantities call. */
export const SHOPIFY_SET_MAX = SHOPIFY_LIMITS.setQuantitiesMax

export interface ShopifyConfig {
  /** https://{shop}.myshopify.com, or a simulator URL. */
  baseUrl: string
  apiVersion?: string
  /** gid://shopify/Location/…; the first active location when absent. */
  locationId?: string
  /** The inventory reason Shopify records with each change. */
  reason?: 'correction' | 'cycle_count_available' | 'other'
  credentials: { accessToken: string }
}

const configError = (field: string, problem: string) =>
  new ClassifiedError('needs_seller', 'shopify.config', `Shopify connection settings: ${field} ${problem}`, {
    hint: 'Correct the Shopify connection in Connections.',
  })

/** The GraphQL endpoint of a valid configuration; a bad setting is refused naming it. */
export function shopifyEndpoint(config: ShopifyConfig): string {
  let base: URL
  try {
    base = new URL(config.baseUrl)
  } catch {
    throw configError('baseUrl', `is not a URL ("${config.baseUrl}")`)
  }
  const local = base.hostname === '127.0.0.1' || base.hostname === 'localhost'
  if (base.protocol !== 'https:' && !local) throw configError('baseUrl', 'must use https://')
  const apiVersion = config.apiVersion ?? SHOPIFY_API_VERSION
  if (!/^\d{4}-(01|04|07|10)$/.test(apiVersion))
    throw configError('apiVersion', `must look like 2026-04 (got "${apiVersion}")`)
  if (config.locationId !== undefined && !/^gid:\/\/shopify\/Location\/\d+$/.test(config.locationId))
    throw configError(
      'locationId',
      `must be a Location GID like gid://shopify/Location/123 (got "${config.locationId}")`,
    )
  if (!config.credentials.accessToken) throw configError('credentials.accessToken', 'is missing')
  return `${base.origin}/admin/api/${apiVersion}/graphql.json`
}
