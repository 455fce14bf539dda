// A Shopify Admin GraphQL simulator: POST /admin/api/{version}/graphql.json with X-Shopify-Access-Token,
// the queries and mutations the adapter uses (shop, locations, productVariants, nodes, orders,
// inventorySetQuantities with @idempotent, productUpdate), cost-based throttling with
// extensions.cost.throttleStatus (a leaky bucket, THROTTLED errors at HTTP 200), userErrors, and faults.
import { SHOPIFY_LIMITS } from '../../../core/channels/shopify-limits'
import { systemClock, type Clock } from '../../../core/ports/clock'
import {
  startSimServer,
  type FaultConfig,
  type SimRequest,
  type SimResponse,
  type SimServer,
} from '../../http/sim-server'
import { createSchemaValidator, type SchemaValidator } from '../../kit'
import { checkProbeOrder, emitStockWrite, type ChannelSimProbe, type StockWriteSink } from '../../kit'
import { parseArgs, scanOperation, type GraphQLArg, type RootField } from './graphql-scan'
import { shopifyVariableSchemas } from './shopify-schemas'

export interface ShopifySimVariantInput {
  sku: string
  barcode?: string
  title?: string
  available?: number
  /** False: the item is not stocked at the location (Shopify refuses to set it there). */
  stocked?: boolean
}

export interface ShopifySimProductInput {
  title: string
  status?: 'ACTIVE' | 'DRAFT' | 'ARCHIVED'
  variants: ShopifySimVariantInput[]
}

export interface ShopifySimulatorOptions {
  accessToken?: string
  shopName?: string
  /** Leaky bucket: Standard plans hold 2000 points and restore 100 a second. */
  bucketSize?: number
  restoreRate?: number
  clock?: Clock
  faults?: FaultConfig
  random?: () => number
}

export interface ShopifySimulator {
  /** The shop's base URL (what the adapter's baseUrl takes). */
  readonly url: string
  readonly server: SimServer
  faults: FaultConfig
  readonly accessToken: string
  readonly locationId: string
  /** Every GraphQL operation received: root field names and variables. */
  readonly received: {
    operation: string
    fields: string[]
    variables: Record<string, unknown>
    idempotencyKey?: string
  }[]
  /** Creates products; answers the variant GIDs in order. */
  setProducts(products: ShopifySimProductInput[]): string[]
  available(variantGid: string): number | undefined
  productStatus(variantGid: string): string | undefined
  placeOrder(lines: { variantId: string; quantity: number }[]): string
  cancelOrder(orderGid: string): void
  /** An order edit removes `count` units from one line. */
  removeUnits(orderGid: string, lineIndex: number, count: number): void
  revokeToken(): void
  /** Sets the bucket's level now (tests of throttling). */
  drainBucket(toPoints: number): void
  /** The campaign probe: listings by variant GID, writes for accepted inventorySetQuantities and productUpdate. */
  readonly probe: ChannelSimProbe
  stop(): Promise<void>
}

interface SimVariant {
  id: number
  productId: number
  sku: string
  barcode: string | null
  title: string
  inventoryItemId: number
  levels: Map<string, number>
}

interface SimOrder {
  id: number
  name: string
  created: number
  updated: number
  cancelledAt: number | null
  lines: { id: number; variantId: number; sku: string; quantity: number; current: number; price: string }[]
}

const SUPPORTED_VERSIONS = ['2026-01', '2026-04', '2026-07']
const gidNum = (gid: unknown, type: string): number | undefined => {
  const m = typeof gid === 'string' ? new RegExp(`^gid://shopify/${type}/(\\d+)$`).exec(gid) : null
  return m ? Number(m[1]) : undefined
}
const cursorOf = (n: number) => Buffer.from(`cursor:${n}`).toString('base64')
const cursorIndex = (c: unknown): number =>
  typeof c === 'string' ? Number(Buffer.from(c, 'base64').toString('utf8').replace('cursor:', '')) + 1 : 0

/** One page of a GraphQL connection: `first` items of `all` from `start`, with its pageInfo. */
const connectionPage = <T>(all: T[], start: number, first: number) => {
  const page = all.slice(start, start + first)
  return {
    page,
    pageInfo: {
      hasNextPage: start + first < all.length,
      endCursor: page.length > 0 ? cursorOf(start + page.length - 1) : null,
    },
  }
}

// Compiled once per process: from 2026-07 changeFromQuantity must be present (null opts out of CAS).
const compiled = new Map<boolean, SchemaValidator>()
const variableSchemas = (requireChangeFrom: boolean): SchemaValidator => {
  let v = compiled.get(requireChangeFrom)
  if (!v) {
    v = createSchemaValidator(shopifyVariableSchemas(requireChangeFrom))
    compiled.set(requireChangeFrom, v)
  }
  return v
}

class LeakyBucket {
  private level: number
  private at: number
  constructor(
    readonly max: number,
    readonly restore: number,
    private readonly clock: Clock,
  ) {
    this.level = max
    this.at = clock.now()
  }
  available(): number {
    const now = this.clock.now()
    this.level = Math.min(this.max, this.level + ((now - this.at) / 1000) * this.restore)
    this.at = now
    return this.level
  }
  take(cost: number): boolean {
    if (this.available() < cost) return false
    this.level -= cost
    return true
  }
  refund(points: number): void {
    this.level = Math.min(this.max, this.available() + points)
  }
  set(points: number): void {
    this.available()
    this.level = points
  }
}

export async function startShopifySimulator(opts: ShopifySimulatorOptions = {}): Promise<ShopifySimulator> {
  const clock = opts.clock ?? systemClock
  let accessToken = opts.accessToken ?? 'shpat_sim_' + 'a1'.repeat(16)
  const standard = SHOPIFY_LIMITS.standardBucket
  const bucket = new LeakyBucket(
    opts.bucketSize ?? standard.maximumAvailable,
    opts.restoreRate ?? standard.restoreRate,
    clock,
  )
  const locations = [
    { id: 'gid://shopify/Location/9001', name: 'Old warehouse', isActive: false },
    { id: 'gid://shopify/Location/9002', name: 'Main warehouse', isActive: true },
  ]
  const mainLocation = 'gid://shopify/Location/9002'
  const products = new Map<number, { id: number; title: string; status: string }>()
  const variants = new Map<number, SimVariant>()
  const byInventoryItem = new Map<number, SimVariant>()
  const orders: SimOrder[] = []
  const idempotency = new Map<string, { input: string; response: unknown }>()
  const received: ShopifySimulator['received'] = []
  const sink: StockWriteSink = { onStockWrite: null }
  let throttled = 0
  let seq = 1000

  const iso = (ms: number) => new Date(ms).toISOString()
  const variantJson = (v: SimVariant, locationId: string | undefined) => {
    const p = products.get(v.productId)
    const level = locationId === undefined ? undefined : v.levels.get(locationId)
    return {
      __typename: 'ProductVariant',
      id: `gid://shopify/ProductVariant/${v.id}`,
      sku: v.sku,
      barcode: v.barcode,
      title: v.title,
      product: {
        id: `gid://shopify/Product/${v.productId}`,
        title: p?.title ?? '',
        status: p?.status ?? 'ACTIVE',
      },
      inventoryItem: {
        id: `gid://shopify/InventoryItem/${v.inventoryItemId}`,
        inventoryLevel: level === undefined ? null : { quantities: [{ name: 'available', quantity: level }] },
      },
    }
  }

  const gqlError = (message: string, code: string, extra: Record<string, unknown> = {}) => ({
    message,
    extensions: { code, ...extra },
  })

  /**
   * Shopify's front door, as a request arrives: version, token, parse and the query's cost against the bucket.
   * A refusal is the answer; otherwise what remains runs the query (after any injected latency).
   */
  const admitQuery = (req: SimRequest): SimResponse | (() => SimResponse) => {
    const version = req.params['version'] ?? ''
    if (!SUPPORTED_VERSIONS.includes(version)) return { status: 404, body: { errors: 'Not Found' } }
    if (req.headers['x-shopify-access-token'] !== accessToken)
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
    const lineFirst = Number(val(lineArgs['first']) ?? 0)
    const lineStart = cursorIndex(val(lineArgs['after']))
    const lineItemsJson = (o: SimOrder) => {
      const { page: slice, pageInfo } = connectionPage(o.lines, lineStart, lineFirst)
      return {
        pageInfo,
        nodes: slice.map((l) => ({
          id: `gid://shopify/LineItem/${l.id}`,
          sku: l.sku,
          quantity: l.quantity,
          currentQuantity: l.current,
          variant: {
            id: `gid://shopify/ProductVariant/${l.variantId}`,
            barcode: variants.get(l.variantId)?.barcode ?? null,
          },
          originalUnitPriceSet: { shopMoney: { amount: l.price, currencyCode: 'EUR' } },
        })),
      }
    }

    const costOf = (f: RootField): number => {
      const first = Number(val(f.args['first']) ?? 0)
      switch (f.name) {
        case 'shop':
          return 1
        case 'locations':
          return 2 + first
        case 'productVariants':
          return 2 + first * 3
        case 'nodes':
          return 1 + ((val(f.args['ids']) as unknown[] | undefined)?.length ?? 0) * 3
        case 'orders':
          return 2 + first * (2 + lineFirst)
        case 'order':
          return 2 + lineFirst
        default:
          return 10
      }
    }
    const requested = op.fields.reduce((s, f) => s + costOf(f), 0)
    const status = () => ({
      maximumAvailable: bucket.max,
      currentlyAvailable: Math.floor(bucket.available()),
      restoreRate: bucket.restore,
    })
    if (requested > SHOPIFY_LIMITS.maxQueryCost)
      return {
        status: 200,
        body: {
          errors: [
            gqlError(
              `Query cost is ${requested}, which exceeds the single query max cost limit (1000).`,
              'MAX_COST_EXCEEDED',
            ),
          ],
          extensions: {
            cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: status() },
          },
        },
      }
    if (!bucket.take(requested)) {
      throttled++
      return {
        status: 200,
        body: {
          errors: [
            gqlError('Throttled', 'THROTTLED', {
              documentation: 'https://shopify.dev/api/usage/rate-limits',
            }),
          ],
          extensions: {
            cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: status() },
          },
        },
      }
    }
    const queryText = body.query
    return () => {
      const idem = op.fields.flatMap((f) => f.directives).find((d) => d.name === 'idempotent')
      const idemKey = idem
        ? val(idem.args['key'])
        : /@idempotent\s*\(\s*key\s*:\s*"([^"]+)"/.exec(queryText)?.[1]
      received.push({
        operation: op.name ?? op.type,
        fields: op.fields.map((f) => f.name),
        variables,
        ...(typeof idemKey === 'string' ? { idempotencyKey: idemKey } : {}),
      })

      const data: Record<string, unknown> = {}
      const errors: unknown[] = []
      let actual = 0
      const schemas = variableSchemas(version >= '2026-07')
      for (const f of op.fields) {
        const expect = (kind: 'query' | 'mutation') => {
          if (op.type !== kind)
            throw new Error(
              `Field '${f.name}' doesn't exist on type '${op.type === 'query' ? 'QueryRoot' : 'Mutation'}'`,
            )
        }
        try {
          switch (f.name) {
            case 'shop':
              expect('query')
              data[f.alias] = {
                name: opts.shopName ?? 'LastUnit Sim Shop',
                myshopifyDomain: 'lastunit-sim.myshopify.com',
              }
              actual += 1
              break
            case 'locations': {
              expect('query')
              const first = Number(val(f.args['first']) ?? 0)
              if (!(first >= 1 && first <= 250)) throw new Error('first: must be between 1 and 250')
              data[f.alias] = { nodes: locations.slice(0, first) }
              actual += 2 + locations.length
              break
            }
            case 'productVariants': {
              expect('query')
              const first = Number(val(f.args['first']) ?? 0)
              if (!(first >= 1 && first <= 250)) throw new Error('first: must be between 1 and 250')
              const all = [...variants.values()].sort((a, b) => a.id - b.id)
              const start = cursorIndex(val(f.args['after']))
              const { page, pageInfo } = connectionPage(all, start, first)
              data[f.alias] = {
                pageInfo,
                nodes: page.map((v) => variantJson(v, levelLocation)),
              }
              actual += 2 + page.length * 3
              break
            }
            case 'nodes': {
              expect('query')
              const ids = val(f.args['ids'])
              if (!Array.isArray(ids) || ids.length > 250)
                throw new Error('ids: must be a list of at most 250 IDs')
              data[f.alias] = ids.map((id) => {
                const v = variants.get(gidNum(id, 'ProductVariant') ?? -1)
                return v ? variantJson(v, levelLocation) : null
              })
              actual += 1 + ids.length * 3
              break
            }
            case 'orders': {
              expect('query')
              const first = Number(val(f.args['first']) ?? 0)
              if (!(first >= 1 && first <= 250)) throw new Error('first: must be between 1 and 250')
              const q = String(val(f.args['query']) ?? '')
              const m = /updated_at:>'?([^'\s]+)'?/.exec(q)
              const after = m ? Date.parse(m[1] as string) : -Infinity
              if (Number.isNaN(after)) throw new Error(`query: updated_at value "${m?.[1]}" is not a date`)
              const sortKey = String(val(f.args['sortKey']) ?? 'ID')
              const list = orders
                .filter((o) => o.updated > after)
                .sort((a, b) => (sortKey === 'UPDATED_AT' ? a.updated - b.updated : 0) || a.id - b.id)
              const start = cursorIndex(val(f.args['after']))
              const { page, pageInfo } = connectionPage(list, start, first)
              data[f.alias] = {
                pageInfo,
                nodes: page.map((o) => ({
                  id: `gid://shopify/Order/${o.id}`,
                  name: o.name,
                  createdAt: iso(o.created),
                  updatedAt: iso(o.updated),
                  cancelledAt: o.cancelledAt === null ? null : iso(o.cancelledAt),
                  displayFulfillmentStatus: 'UNFULFILLED',
                  currencyCode: 'EUR',
                  lineItems: lineItemsJson(o),
                })),
              }
              actual += 2 + page.reduce((s, o) => s + 2 + Math.min(lineFirst, o.lines.length), 0)
              break
            }
            case 'order': {
              expect('query')
              const o = orders.find((x) => `gid://shopify/Order/${x.id}` === val(f.args['id']))
              data[f.alias] = o ? { id: `gid://shopify/Order/${o.id}`, lineItems: lineItemsJson(o) } : null
              actual += 1 + Math.min(lineFirst, o?.lines.length ?? 0)
              break
            }
            case 'inventorySetQuantities': {
              expect('mutation')
              actual += 10
              if (version >= '2026-04' && typeof idemKey !== 'string')
                throw new Error(
                  'The @idempotent directive with a key is required for inventorySetQuantities from API version 2026-04.',
                )
              const input = val(f.args['input'])
              const problems = schemas.check('InventorySetQuantitiesInput', input)
              if (problems.length > 0)
                throw new Error(
                  `Variable $input of type InventorySetQuantitiesInput! was provided invalid value: ${problems.join('; ')}`,
                )
              const inputText = JSON.stringify(input)
              const replay = typeof idemKey === 'string' ? idempotency.get(idemKey) : undefined
              if (replay) {
                if (replay.input !== inputText)
                  throw new Error('The idempotency key was already used with different input.')
                data[f.alias] = replay.response
                break
              }
              const qs = (
                input as {
                  quantities: {
                    inventoryItemId: string
                    locationId: string
                    quantity: number
                    changeFromQuantity?: number | null
                  }[]
                }
              ).quantities
              const userErrors: { code: string; field: string[]; message: string }[] = []
              const targets = qs.map((q, i) => {
                const v = byInventoryItem.get(gidNum(q.inventoryItemId, 'InventoryItem') ?? -1)
                const field = ['input', 'quantities', String(i)]
                if (!v)
                  userErrors.push({
                    code: 'INVALID_INVENTORY_ITEM',
                    field: [...field, 'inventoryItemId'],
                    message: 'The specified inventory item could not be found.',
                  })
                else if (!locations.some((l) => l.id === q.locationId))
                  userErrors.push({
                    code: 'INVALID_LOCATION',
                    field: [...field, 'locationId'],
                    message: 'The specified location could not be found.',
                  })
                else if (!v.levels.has(q.locationId))
                  userErrors.push({
                    code: 'ITEM_NOT_STOCKED_AT_LOCATION',
                    field: [...field, 'locationId'],
                    message: 'The specified inventory item is not stocked at the location.',
                  })
                else if (q.quantity < 0 || q.quantity > 1_000_000_000)
                  userErrors.push({
                    code: 'INVALID_QUANTITY_TOO_HIGH',
                    field: [...field, 'quantity'],
                    message: 'The quantity must be between 0 and 1,000,000,000.',
                  })
                else if (q.changeFromQuantity != null && v.levels.get(q.locationId) !== q.changeFromQuantity)
                  userErrors.push({
                    code: 'CHANGE_FROM_QUANTITY_STALE',
                    field: [...field, 'changeFromQuantity'],
                    message: 'The changeFromQuantity does not match the current quantity.',
                  })
                return { v, q }
              })
              if (userErrors.length === 0)
                for (const { v, q } of targets) {
                  if (!v) continue
                  v.levels.set(q.locationId, q.quantity)
                  const paused = products.get(v.productId)?.status !== 'ACTIVE'
                  emitStockWrite(
                    sink,
                    `gid://shopify/ProductVariant/${v.id}`,
                    q.quantity,
                    paused,
                    clock.now(),
                  )
                }
              const response = {
                inventoryAdjustmentGroup:
                  userErrors.length === 0 ? { id: `gid://shopify/InventoryAdjustmentGroup/${seq++}` } : null,
                userErrors,
              }
              if (typeof idemKey === 'string') idempotency.set(idemKey, { input: inputText, response })
              data[f.alias] = response
              break
            }
            case 'productUpdate': {
              expect('mutation')
              actual += 10
              const input = val(f.args['product'])
              const problems = schemas.check('ProductUpdateInput', input)
              if (problems.length > 0)
                throw new Error(
                  `Variable of type ProductUpdateInput! was provided invalid value: ${problems.join('; ')}`,
                )
              const { id, status: st } = input as { id: string; status?: string }
              const p = products.get(gidNum(id, 'Product') ?? -1)
              if (!p)
                data[f.alias] = {
                  product: null,
                  userErrors: [{ field: ['id'], message: 'Product does not exist' }],
                }
              else {
                if (st) {
                  p.status = st
                  const paused = st !== 'ACTIVE'
                  for (const v of variants.values())
                    if (v.productId === p.id)
                      emitStockWrite(
                        sink,
                        `gid://shopify/ProductVariant/${v.id}`,
                        paused ? 0 : (v.levels.get(mainLocation) ?? 0),
                        paused,
                        clock.now(),
                      )
                }
                data[f.alias] = { product: { id, status: p.status }, userErrors: [] }
              }
              break
            }
            default:
              throw new Error(
                `Field '${f.name}' doesn't exist on type '${op.type === 'query' ? 'QueryRoot' : 'Mutation'}'`,
              )
          }
        } catch (e) {
          errors.push({ message: (e as Error).message, path: [f.alias], extensions: { code: 'BAD_REQUEST' } })
          data[f.alias] = null
        }
      }
      bucket.refund(Math.max(0, requested - actual))
      return {
        status: 200,
        body: {
          data,
          ...(errors.length > 0 ? { errors } : {}),
          extensions: {
            cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: status() },
          },
        },
      }
    }
  }

  /** Queries the front door let through, waiting for the backend. */
  const admitted = new WeakMap<SimRequest, () => SimResponse>()
  const server = await startSimServer({
    name: 'Shopify',
    routes: [
      {
        method: 'POST',
        pattern: '/admin/api/:version/graphql.json',
        admit: (req) => {
          const r = admitQuery(req)
          if (typeof r !== 'function') return r
          admitted.set(req, r)
          return undefined
        },
        handler: (req) => {
          const run = admitted.get(req) ?? admitQuery(req)
          return typeof run === 'function' ? run() : run
        },
      },
    ],
    ...(opts.faults ? { faults: opts.faults } : {}),
    ...(opts.random ? { random: opts.random } : {}),
    notFound: () => ({ status: 404, body: { errors: 'Not Found' } }),
  })

  const variantOf = (gid: string) => variants.get(gidNum(gid, 'ProductVariant') ?? -1)

  const sim: ShopifySimulator = {
    url: server.url,
    server,
    get faults() {
      return server.faults
    },
    set faults(f: FaultConfig) {
      server.faults = f
    },
    get accessToken() {
      return accessToken
    },
    locationId: mainLocation,
    received,
    setProducts(list) {
      products.clear()
      variants.clear()
      byInventoryItem.clear()
      const ids: string[] = []
      for (const p of list) {
        const pid = seq++
        products.set(pid, { id: pid, title: p.title, status: p.status ?? 'ACTIVE' })
        p.variants.forEach((v, i) => {
          const vid = seq++
          const variant: SimVariant = {
            id: vid,
            productId: pid,
            sku: v.sku,
            barcode: v.barcode ?? null,
            title: v.title ?? (p.variants.length === 1 ? 'Default Title' : `Size ${i + 1}`),
            inventoryItemId: seq++,
            levels: new Map(v.stocked === false ? [] : [[mainLocation, v.available ?? 0]]),
          }
          variants.set(vid, variant)
          byInventoryItem.set(variant.inventoryItemId, variant)
          ids.push(`gid://shopify/ProductVariant/${vid}`)
        })
      }
      return ids
    },
    available: (gid) => variantOf(gid)?.levels.get(mainLocation),
    productStatus(gid) {
      const v = variantOf(gid)
      return v ? products.get(v.productId)?.status : undefined
    },
    placeOrder(lines) {
      const now = clock.now()
      const o: SimOrder = {
        id: seq++,
        name: `#${1000 + orders.length + 1}`,
        created: now,
        updated: now,
        cancelledAt: null,
        lines: lines.map((l) => {
          const v = variantOf(l.variantId)
          if (!v) throw new Error(`Shopify simulator: no variant ${l.variantId}`)
          v.levels.set(mainLocation, (v.levels.get(mainLocation) ?? 0) - l.quantity)
          return {
            id: seq++,
            variantId: v.id,
            sku: v.sku,
            quantity: l.quantity,
            current: l.quantity,
            price: '19.90',
          }
        }),
      }
      orders.push(o)
      return `gid://shopify/Order/${o.id}`
    },
    cancelOrder(gid) {
      const o = orders.find((x) => `gid://shopify/Order/${x.id}` === gid)
      if (!o) throw new Error(`Shopify simulator: no order ${gid}`)
      o.cancelledAt = clock.now()
      o.updated = clock.now()
      for (const l of o.lines) l.current = 0
    },
    removeUnits(gid, lineIndex, count) {
      const o = orders.find((x) => `gid://shopify/Order/${x.id}` === gid)
      const l = o?.lines[lineIndex]
      if (!o || !l) throw new Error(`Shopify simulator: no line ${lineIndex} in ${gid}`)
      l.current = Math.max(0, l.current - count)
      o.updated = clock.now()
    },
    revokeToken() {
      accessToken = 'revoked-' + accessToken
    },
    drainBucket(points) {
      bucket.set(points)
    },
    // Buyers see the available quantity at the main location; a product that is not ACTIVE (DRAFT,
    // ARCHIVED) is not buyable. Admin API access tokens do not expire.
    probe: {
      listingIndex: () =>
        [...variants.values()].map((v) => ({
          listingId: `gid://shopify/ProductVariant/${v.id}`,
          sku: v.sku || null,
          ean: v.barcode,
        })),
      listingState(listingId) {
        const v = variantOf(listingId)
        if (!v) return undefined
        const quantity = v.levels.get(mainLocation) ?? 0
        return { quantity, buyable: products.get(v.productId)?.status === 'ACTIVE' && quantity > 0 }
      },
      get onStockWrite() {
        return sink.onStockWrite
      },
      set onStockWrite(f) {
        sink.onStockWrite = f
      },
      placeOrder(listingId, quantity) {
        const v = variantOf(listingId)
        checkProbeOrder('Shopify', listingId, quantity, v ? (v.levels.get(mainLocation) ?? 0) : undefined)
        return sim.placeOrder([{ variantId: listingId, quantity }])
      },
      expireTokens: () => false,
      get limitHits() {
        return throttled
      },
    },
    stop: () => server.stop(),
  }
  return sim
}
