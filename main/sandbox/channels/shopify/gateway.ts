// Shopify's front door, as a request arrives: the API version, the access token, the body and the query's
// parse, non-null variables, and the query's requested cost against the leaky bucket (over 1000 is refused
// outright; more than the bucket holds is THROTTLED at HTTP 200). What it lets through runs in the backend.
import { SHOPIFY_LIMITS } from '../../../core/channels/shopify-limits'
import type { SimRequest, SimResponse } from '../../http/sim-server'
import type { ShopifyContext } from './context'
import {
  parseArgs,
  scanOperation,
  type GraphQLArg,
  type RootField,
  type ScannedOperation,
} from './graphql-scan'
import { cursorIndex, gqlError, throttleStatus } from './views'

const SUPPORTED_VERSIONS = ['2026-01', '2026-04', '2026-07']

/** A query the gateway let through, with what its resolvers need. */
export interface AdmittedQuery {
  version: string
  op: ScannedOperation
  queryText: string
  variables: Record<string, unknown>
  /** An argument's value: its literal, or the variable it names. */
  val(a: GraphQLArg | undefined): unknown
  /** The location of `inventoryLevel(locationId:)` in the selection, if any. */
  levelLocation: string | undefined
  /** The `lineItems(first:, after:)` page of nested line items. */
  lineFirst: number
  lineStart: number
  /** The cost taken from the bucket up front. */
  requested: number
}

/** The cost Shopify calculates before running the query (connections count `first` of their nodes). */
function costOf(q: Omit<AdmittedQuery, 'requested'>, f: RootField): number {
  const first = Number(q.val(f.args['first']) ?? 0)
  switch (f.name) {
    case 'shop':
      return 1
    case 'locations':
      return 2 + first
    case 'productVariants':
      return 2 + first * 3
    case 'nodes':
      return 1 + ((q.val(f.args['ids']) as unknown[] | undefined)?.length ?? 0) * 3
    case 'orders':
      return 2 + first * (2 + q.lineFirst)
    case 'order':
      return 2 + q.lineFirst
    default:
      return 10
  }
}

/** The refusal, or the admitted query. */
export function admitQuery(ctx: ShopifyContext, req: SimRequest): SimResponse | AdmittedQuery {
  const version = req.params['version'] ?? ''
  if (!SUPPORTED_VERSIONS.includes(version)) return { status: 404, body: { errors: 'Not Found' } }
  if (req.headers['x-shopify-access-token'] !== ctx.accessToken)
    return {
      status: 401,
      body: { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' },
    }
  const body = req.json as { query?: unknown; variables?: unknown } | undefined
  if (req.jsonError || typeof body?.query !== 'string')
    return { status: 400, body: { errors: { query: 'Required parameter missing or invalid' } } }
  const variables = (body.variables ?? {}) as Record<string, unknown>
  let op
  try {
    op = scanOperation(body.query)
  } catch (e) {
    return {
      status: 200,
      body: { errors: [gqlError(`Parse error: ${(e as Error).message}`, 'PARSE_ERROR')] },
    }
  }
  const val = (a: GraphQLArg | undefined): unknown =>
    a === undefined ? undefined : 'variable' in a ? variables[a.variable] : a.literal
  const missingVar = [...body.query.matchAll(/\$(\w+)\s*:\s*[\w[\]]+!/g)]
    .map((m) => m[1] as string)
    .find((n) => variables[n] === undefined || variables[n] === null)
  if (missingVar)
    return {
      status: 200,
      body: {
        errors: [
          gqlError(`Variable $${missingVar} of a non-null type was not provided.`, 'INVALID_VARIABLE'),
        ],
      },
    }
  const locationArg = /inventoryLevel\s*\(\s*locationId\s*:\s*(\$\w+|"[^"]*")/.exec(body.query)?.[1]
  const levelLocation = locationArg
    ? locationArg.startsWith('$')
      ? (variables[locationArg.slice(1)] as string)
      : (JSON.parse(locationArg) as string)
    : undefined
  const lineArgs = parseArgs(/lineItems\s*\(([^)]*)\)/.exec(body.query)?.[1] ?? '')
  const q = {
    version,
    op,
    queryText: body.query,
    variables,
    val,
    levelLocation,
    lineFirst: Number(val(lineArgs['first']) ?? 0),
    lineStart: cursorIndex(val(lineArgs['after'])),
  }
  const requested = op.fields.reduce((s, f) => s + costOf(q, f), 0)
  const refused = (message: string, code: string, extra: Record<string, unknown> = {}): SimResponse => ({
    status: 200,
    body: {
      errors: [gqlError(message, code, extra)],
      extensions: {
        cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: throttleStatus(ctx) },
      },
    },
  })
  if (requested > SHOPIFY_LIMITS.maxQueryCost)
    return refused(
      `Query cost is ${requested}, which exceeds the single query max cost limit (1000).`,
      'MAX_COST_EXCEEDED',
    )
  if (!ctx.bucket.take(requested)) {
    ctx.throttled++
    return refused('Throttled', 'THROTTLED', { documentation: 'https://shopify.dev/api/usage/rate-limits' })
  }
  return { ...q, requested }
}
