// One call to a channel's API, as an adapter part describes it to the channel client.
import type { ClassifiedError } from '../../../core/errors'
import type { HttpResponse } from '../../http/http-client'

export type CallQuery = URLSearchParams | Record<string, string | readonly string[] | undefined>

export interface ChannelCall {
  method: string
  /** Below the client's base URL ("/offers/123"), or a full URL (a presigned document). */
  path: string
  /** Another base than the client's (bol's process statuses live under /shared). */
  base?: string
  query?: CallQuery
  /** Sent as JSON. */
  body?: unknown
  /** Sent as is, instead of a JSON body. */
  rawBody?: { text: string; contentType: string }
  /** Headers of this call (media types, languages); credentials are added by the client. */
  headers?: Record<string, string>
  /** What the call does, for messages: "updating unit 123 on storefront de". */
  what: string
  /** The limit the call counts against, named as in the channel's limits file. */
  op?: string
  /** Further limits each attempt counts against (Amazon's createFeed also spends JSON_LISTINGS_FEED's). */
  alsoPaces?: readonly string[]
  /** Units of a cost-based limit the call spends (Shopify's query points): the expected cost. */
  cost?: number
  /** Statuses besides 2xx that are answers for the caller, not errors (Kaufland's per-unit 4xx). */
  accept?: readonly number[]
  /** The answer's bytes are kept too (a binary document). */
  binary?: boolean
  /** Sent without the channel's credentials (a presigned URL carries its own). */
  anonymous?: boolean
  /** This call's own reading of a failed answer, instead of the channel's (a presigned document store). */
  classify?: (res: HttpResponse) => ClassifiedError
}
