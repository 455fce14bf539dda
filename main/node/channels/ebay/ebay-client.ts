// eBay's channel client: a user access token from the seller's refresh token (kept until shortly before its
// two hours run out; eBay may hand back a new refresh token, which the owner stores), the marketplace
// header, and eBay's error format ({errors: [{errorId, message, longMessage}]}), where the inventory
// service's "system error, try again" ids are transient whatever the status.
import { answerSnippet } from '../../redaction'
import { EBAY_LIMITS } from '../../../core/channels/ebay-limits'
import { ClassifiedError } from '../../../core/errors'
import { systemClock } from '../../../core/ports/clock'
import type { HttpResponse } from '../../http/http-client'
import { retryOptions, type ChannelAdapterOptions } from '../kit/adapter-options'
import { basic, tokenAuth } from '../kit/auth'
import type { CallQuery, ChannelCall } from '../kit/channel-call'
import { ChannelClient } from '../kit/channel-client'
import { bodyOf, type ErrorVocabulary } from '../kit/error-mapping'
import { fetchOAuthToken } from '../kit/oauth-token'
import { holdPacing } from '../kit/pacing'
import { DEFAULT_RETRY } from '../kit/request-loop'
import { sleep as realSleep } from '../kit/request-pacer'
import { TokenCache, type IssuedToken } from '../kit/token-cache'
import { EBAY_SCOPES, type EbayConfig } from './ebay-config'

export interface EbayErrorDetail {
  errorId?: number
  message?: string
  longMessage?: string
  parameters?: { name?: string; value?: string }[]
}

/** eBay's "system error, try again" ids: internal inventory service errors are transient. */
export const EBAY_TRANSIENT_ERRORS = new Set([25001, 25002])

export const ebayErrorDetails = (res: HttpResponse): EbayErrorDetail[] => {
  const errors = bodyOf<{ errors?: unknown }>(res)?.errors
  return Array.isArray(errors) ? (errors as EbayErrorDetail[]) : []
}

const ebayErrors = (throttleWaitMs: number): ErrorVocabulary => ({
  service: 'eBay',
  prefix: 'ebay',
  describe(res) {
    const first = ebayErrorDetails(res)[0]
    return first
      ? `${first.errorId ?? ''} ${first.longMessage ?? first.message ?? ''}`.trim()
      : answerSnippet(res.text, 200)
  },
  deniedCode: 'access_denied',
  deniedHint: 'Reconnect eBay and grant the inventory and fulfillment permissions.',
  throttleWaitMs,
  notFound: 'item',
  rejectedCode: 'invalid_request',
  special(res, what, detail) {
    if ([401, 403, 429].includes(res.status) || res.status >= 500) return undefined
    const id = ebayErrorDetails(res)[0]?.errorId
    return id !== undefined && EBAY_TRANSIENT_ERRORS.has(id)
      ? new ClassifiedError(
          'retryable',
          'ebay.server',
          `eBay failed while ${what} (HTTP ${res.status}): ${detail}`,
        )
      : undefined
  },
})

const refusal = (code: string, status: number): string =>
  code === 'invalid_client'
    ? 'the app id (client id) or cert id (client secret) is wrong'
    : code === 'invalid_grant'
      ? 'the refresh token is invalid, expired or was revoked; the seller must grant access again'
      : code === 'invalid_scope'
        ? 'the consent does not cover the sell.inventory and sell.fulfillment scopes'
        : `the token request was refused (${code || `HTTP ${status}`})`

export function createEbayClient(
  config: EbayConfig,
  o: ChannelAdapterOptions & { onCredentialsRefreshed?: (t: IssuedToken) => void },
): ChannelClient {
  const clock = o.clock ?? systemClock
  const base = config.baseUrl.replace(/\/+$/, '')
  const sleep = o.sleep ?? realSleep
  return new ChannelClient({
    baseUrl: base,
    clock,
    timeoutMs: o.timeoutMs ?? 30_000,
    retry: retryOptions(o),
    sleep,
    errors: ebayErrors(o.backoffMs ?? 1_000),
    // eBay's limits are daily quotas (the worker spreads them over the day): nothing to pace per call, but
    // a 429 holds every call until its wait has passed.
    pacing: holdPacing({
      service: 'eBay',
      prefix: 'ebay',
      clock,
      maxInlineWaitMs: o.maxInlineWaitMs ?? DEFAULT_RETRY.maxInlineWaitMs,
      sleep,
      // A 429's hold outlives the process that received it.
      ...(o.rateMemory ? { memory: o.rateMemory } : {}),
    }),
    headers: { accept: 'application/json', 'x-ebay-c-marketplace-id': config.marketplaceId },
    auth: (transport) =>
      tokenAuth(
        new TokenCache({
          clock,
          skewMs: 5 * 60_000,
          ...(o.onCredentialsRefreshed ? { onRefreshed: o.onCredentialsRefreshed } : {}),
          fetchToken: () =>
            fetchOAuthToken(transport, {
              service: 'eBay OAuth',
              channel: 'eBay',
              prefix: 'ebay',
              url: config.tokenUrl ?? `${base}/identity/v1/oauth2/token`,
              headers: { authorization: basic(config.credentials.clientId, config.credentials.clientSecret) },
              form: new URLSearchParams({
                grant_type: 'refresh_token',
                refresh_token: config.credentials.refreshToken,
                scope: EBAY_SCOPES.join(' '),
              }),
              refused: refusal,
              hint: 'Reconnect eBay in Connections.',
              lifetimeS: EBAY_LIMITS.tokenLifetimeS,
            }),
        }),
        (token) => ({ authorization: `Bearer ${token}` }),
      ),
  })
}

/** An eBay call; inventory writes carry the listing language. */
export const ebayCall = (
  method: string,
  path: string,
  more: { query?: CallQuery; body?: unknown; contentLanguage?: string } = {},
): ChannelCall => ({
  method,
  path,
  what: `${method} ${path}`,
  ...(more.query ? { query: more.query } : {}),
  ...(more.body === undefined ? {} : { body: more.body }),
  ...(more.contentLanguage ? { headers: { 'content-language': more.contentLanguage } } : {}),
})
