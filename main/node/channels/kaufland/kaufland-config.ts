// What a Kaufland connection needs: the API base, the storefront, the client and secret keys, and the
// User-Agent Kaufland requires; checked before anything is sent.
import { ClassifiedError } from '../../../core/errors'
import { KAUFLAND_STOREFRONTS, type KauflandStorefront } from './kaufland-types'

export const KAUFLAND_BASE_URLS = {
  production: 'https://sellerapi.kaufland.com/v2',
  playground: 'https://sellerapi-playground.kaufland.com/v2',
} as const

export interface KauflandConfig {
  baseUrl: string
  storefront: KauflandStorefront
  credentials: { clientKey: string; secretKey: string }
  /** Kaufland requires a User-Agent naming the integration. */
  userAgent?: string
}

const configError = (field: string, problem: string) =>
  new ClassifiedError(
    'needs_seller',
    'kaufland.config',
    `Kaufland connection settings: ${field} ${problem}`,
    {
      hint: 'Correct the Kaufland connection in Connections.',
    },
  )

export function checkKauflandConfig(c: KauflandConfig): void {
  try {
    new URL(c.baseUrl)
  } catch {
    throw configError('baseUrl', `is not a URL ("${c.baseUrl}")`)
  }
  if (!(KAUFLAND_STOREFRONTS as readonly string[]).includes(c.storefront))
    throw configError(
      'storefront',
      `must be one of ${KAUFLAND_STOREFRONTS.join(', ')} (got "${c.storefront}")`,
    )
  if (!/^[A-Za-z0-9]{16,64}$/.test(c.credentials.clientKey ?? ''))
    throw configError('credentials.clientKey', 'is missing or not a Kaufland client key (letters and digits)')
  if (!c.credentials.secretKey) throw configError('credentials.secretKey', 'is missing')
}
