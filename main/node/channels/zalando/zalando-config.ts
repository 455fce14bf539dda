// What a Zalando connection needs: the API host, the merchant, every sales channel (country) the articles
// are sold on, and the API client's credentials; checked before anything is sent.
import { ClassifiedError } from '../../../core/errors'
import { ZALANDO_LIMITS } from '../../../core/channels/zalando-limits'

export const ZALANDO_BASE_URLS = {
  production: 'https://api.merchants.zalando.com',
  sandbox: 'https://api-sandbox.merchants.zalando.com',
} as const

export const ZALANDO_STOCKS_MAX = ZALANDO_LIMITS.stocksMaxItems
export const ZALANDO_BLOCKERS_MAX = ZALANDO_LIMITS.blockersMaxItems
/** Marks the blockers this app created, so resume never lifts one the seller set for another reason. */
export const ZALANDO_PAUSE_DESCRIPTION = 'LastUnit: out of stock pause'

export interface ZalandoConfig {
  baseUrl: string
  merchantId: string
  /** Every sales channel (country) the articles are sold on; stock goes to all of them. */
  salesChannelIds: string[]
  credentials: { clientId: string; clientSecret: string }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const configError = (field: string, problem: string) =>
  new ClassifiedError('needs_seller', 'zalando.config', `Zalando connection settings: ${field} ${problem}`, {
    hint: 'Correct the Zalando connection in Connections.',
  })

export function checkZalandoConfig(c: ZalandoConfig): void {
  try {
    new URL(c.baseUrl)
  } catch {
    throw configError('baseUrl', `is not a URL ("${c.baseUrl}")`)
  }
  if (!UUID.test(c.merchantId))
    throw configError('merchantId', `must be the merchant UUID from zDirect (got "${c.merchantId}")`)
  if (c.salesChannelIds.length === 0)
    throw configError('salesChannelIds', 'must name at least one sales channel')
  const bad = c.salesChannelIds.find((s) => !UUID.test(s))
  if (bad !== undefined)
    throw configError('salesChannelIds', `contains "${bad}", which is not a sales channel UUID`)
  if (!c.credentials.clientId) throw configError('credentials.clientId', 'is missing')
  if (!c.credentials.clientSecret) throw configError('credentials.clientSecret', 'is missing')
}

/** The sandbox has tighter limits (1 token and 10 order lists a minute). */
export const isZalandoSandbox = (baseUrl: string): boolean => baseUrl.includes('api-sandbox.')
