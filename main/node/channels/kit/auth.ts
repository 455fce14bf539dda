// How a channel call proves who it is: one strategy per scheme. A token scheme (LWA, OAuth client
// credentials, eBay's refresh grant) fetches and caches an access token; Kaufland signs each request;
// Shopify and WooCommerce send a static credential. Every strategy can be "renewed" once when the channel
// answers that the credential went stale: a new token, a fresh signature, or the same key sent again.
import type { HttpRequest, HttpResponse } from '../../http/http-client'
import type { ClassifiedError } from '../../../core/errors'
import type { TokenCache } from './token-cache'

/** Sends one request the way the channel client does (timeout, send-time stamp), without its credentials. */
export type Transport = (
  req: Omit<HttpRequest, 'timeoutMs' | 'service'> & { service?: string },
) => Promise<HttpResponse>

/** One attempt as it is about to be sent: credentials are added to its headers, or to its URL. */
export interface OutgoingRequest {
  method: string
  url: URL
  /** The exact body sent ('' when none): Kaufland signs it. */
  body: string
  headers: Record<string, string>
}

export interface AuthStrategy {
  /** The credential for the next attempt; may fetch a token first (a refused grant throws). */
  credential(): Promise<string> | string
  /** Adds the credential to a request, synchronously: the request goes out in the same tick. */
  sign(credential: string, req: OutgoingRequest): void
  /** Whether the answer says the credential went stale: renewed once per call. */
  isStale(res: HttpResponse, err: ClassifiedError): boolean
  /** Drops a stale credential, so the next attempt gets a new one. */
  renew(credential: string): void
  /** The token cache, for schemes that have one (connection tests log in first). */
  readonly tokens?: TokenCache
}

/** Builds the strategy once the client's transport exists (token requests go through it). */
export type AuthFactory = (transport: Transport) => AuthStrategy

const staleOn =
  (statuses: readonly number[]) =>
  (res: HttpResponse): boolean =>
    statuses.includes(res.status)

/** An access token from a grant, cached until shortly before it expires, sent in `header(token)`. */
export function tokenAuth(
  tokens: TokenCache,
  header: (token: string) => Record<string, string>,
  opts: { staleStatuses?: readonly number[] } = {},
): AuthStrategy {
  return {
    tokens,
    credential: () => tokens.get(),
    sign: (token, req) => Object.assign(req.headers, header(token)),
    isStale: staleOn(opts.staleStatuses ?? [401]),
    renew: (token) => tokens.invalidate(token),
  }
}

/** Static headers (Shopify's access token, WooCommerce's Basic credentials). Renewal sends them again. */
export function headerAuth(headers: Record<string, string>): AuthStrategy {
  return {
    credential: () => '',
    sign: (_c, req) => Object.assign(req.headers, headers),
    isStale: staleOn([401]),
    renew: () => undefined,
  }
}

/** Static credentials in the query string (WooCommerce's fallback for hosts that strip Authorization). */
export function queryAuth(params: Record<string, string>): AuthStrategy {
  return {
    credential: () => '',
    sign: (_c, req) => {
      for (const [k, v] of Object.entries(params)) req.url.searchParams.set(k, v)
    },
    isStale: staleOn([401]),
    renew: () => undefined,
  }
}

/** A signature computed per request (Kaufland's HMAC): renewal signs again, with a fresh timestamp. */
export function signedAuth(sign: (req: OutgoingRequest) => Record<string, string>): AuthStrategy {
  return {
    credential: () => '',
    sign: (_c, req) => Object.assign(req.headers, sign(req)),
    isStale: staleOn([401]),
    renew: () => undefined,
  }
}

/** Basic credentials: base64 of `user:password`. */
export const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
