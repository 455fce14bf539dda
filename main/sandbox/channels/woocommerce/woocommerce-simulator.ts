// A WooCommerce REST v3 simulator: consumer key/secret by Basic auth or query string, products and
// variations with manage_stock/stock_quantity/stock_status, batch updates of at most 100 objects,
// X-WP-Total/X-WP-TotalPages paging, orders filtered by modified_after (site-local time unless
// dates_are_gmt=true, as Woo does), WordPress error bodies, a host limit answering 429, and the known
// bug where a variation write is answered with the new value but not stored.
import { WOOCOMMERCE_LIMITS } from '../../../core/channels/woocommerce-limits'
import { systemClock, type Clock } from '../../../core/ports/clock'
import { TokenBucket } from '../../../core/rate-limit/token-bucket'
import {
  startSimServer,
  type FaultConfig,
  type SimRequest,
  type SimResponse,
  type SimServer,
} from '../../http/sim-server'
import { createSchemaValidator } from '../../kit'
import { checkProbeOrder, emitStockWrite, type ChannelSimProbe, type StockWriteSink } from '../../kit'
import { WOO_REQUEST_SCHEMAS } from './woocommerce-schemas'

export interface WooSimProductInput {
  name: string
  sku: string
  stock?: number
  manageStock?: boolean
  status?: 'publish' | 'draft' | 'private'
  gtin?: string
  /** A variable product: one variation per entry. */
  variations?: { sku: string; option: string; stock?: number; manageStock?: boolean }[]
}

export interface WooSimulatorOptions {
  consumerKey?: string
  consumerSecret?: string
  /** Hours the site's timezone is ahead of UTC (dates without dates_are_gmt are read in it). */
  siteUtcOffsetHours?: number
  /** A host or WAF limit in requests per second (Woo core has none). */
  hostRatePerSecond?: number
  /** Some hosts drop the Authorization header: Basic auth then fails, query-string auth works. */
  stripAuthorizationHeader?: boolean
  clock?: Clock
  faults?: FaultConfig
  random?: () => number
}

export interface WooSimulator {
  readonly url: string
  readonly server: SimServer
  faults: FaultConfig
  readonly consumerKey: string
  readonly consumerSecret: string
  readonly received: { method: string; path: string; query: Record<string, string>; body: unknown }[]
  /** Creates products; answers listing ids ("12" or "12/34") in order, variations after their parent. */
  setProducts(products: WooSimProductInput[]): string[]
  /** Adds products to the shop (the seller creates one in WooCommerce); answers their listing ids. */
  addProducts(products: WooSimProductInput[]): string[]
  stock(
    listingId: string,
  ):
    { manage_stock: boolean; stock_quantity: number | null; status: string; stock_status: string } | undefined
  /** Writes to these variations are answered as applied but not stored (woocommerce#36595). */
  ignoreWrites(listingIds: string[]): void
  placeOrder(lines: { listingId: string; quantity: number }[]): number
  setOrderStatus(orderId: number, status: string): void
  /** A partial refund of `count` units of one line (with restock, as the shop admin does it). */
  refundUnits(orderId: number, lineIndex: number, count: number): void
  revokeKeys(): void
  /** The campaign probe: listings by "id" or "parentId/variationId", writes for accepted batch updates. */
  readonly probe: ChannelSimProbe
  stop(): Promise<void>
}

interface SimItem {
  id: number
  parent_id: number
  name: string
  type: 'simple' | 'variable' | 'variation'
  sku: string
  status: string
  manage_stock: boolean
  stock_quantity: number | null
  backorders: string
  gtin: string
  option: string
  variations: number[]
}

interface SimOrder {
  id: number
  status: string
  created: number
  modified: number
  refunds: { id: number; lineId: number; quantity: number; total: string }[]
  lines: {
    id: number
    product_id: number
    variation_id: number
    sku: string
    quantity: number
    price: string
  }[]
}

const wpError = (
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): SimResponse => ({
  status,
  body: { code, message, data: { status, ...extra } },
})

export async function startWooCommerceSimulator(opts: WooSimulatorOptions = {}): Promise<WooSimulator> {
  const clock = opts.clock ?? systemClock
  const consumerKey = opts.consumerKey ?? 'ck_' + '0123456789abcdef0123456789abcdef01234567'
  const consumerSecret = opts.consumerSecret ?? 'cs_' + 'fedcba9876543210fedcba9876543210fedcba98'
  const offsetMs = (opts.siteUtcOffsetHours ?? 1) * 3_600_000
  const host = opts.hostRatePerSecond
    ? new TokenBucket(opts.hostRatePerSecond, opts.hostRatePerSecond, clock)
    : undefined
  const validator = createSchemaValidator(WOO_REQUEST_SCHEMAS)
  const items = new Map<number, SimItem>()
  const orders: SimOrder[] = []
  const ignored = new Set<number>()
  const received: WooSimulator['received'] = []
  const sink: StockWriteSink = { onStockWrite: null }
  let limited = 0
  let revoked = false
  let seq = 10
  let base = ''

  const stockStatus = (i: SimItem) =>
    i.manage_stock && (i.stock_quantity ?? 0) <= 0 && i.backorders === 'no' ? 'outofstock' : 'instock'
  const local = (ms: number) => new Date(ms + offsetMs).toISOString().slice(0, 19)
  const utc = (ms: number) => new Date(ms).toISOString().slice(0, 19)
  const itemJson = (i: SimItem) => ({
    id: i.id,
    ...(i.type === 'variation'
      ? { parent_id: i.parent_id }
      : { name: i.name, type: i.type, variations: i.variations, global_unique_id: i.gtin }),
    sku: i.sku,
    status: i.status,
    manage_stock: i.manage_stock,
    stock_quantity: i.manage_stock ? i.stock_quantity : null,
    stock_status: stockStatus(i),
    backorders: i.backorders,
    ...(i.type === 'variation' ? { attributes: [{ id: 1, name: 'Size', option: i.option }] } : {}),
  })

  const guard = (req: SimRequest): SimResponse | undefined => {
    if (host) {
      const wait = host.take()
      if (wait > 0) {
        limited++
        return {
          status: 429,
          headers: {
            'retry-after': String(Math.max(1, Math.ceil(wait / 1000))),
            'content-type': 'text/html',
          },
          body: '<html><body>429 Too Many Requests</body></html>',
        }
      }
    }
    let key = req.query.get('consumer_key')
    let secret = req.query.get('consumer_secret')
    const auth = opts.stripAuthorizationHeader ? undefined : req.headers['authorization']
    if (!key && typeof auth === 'string' && auth.startsWith('Basic ')) {
      const [k, ...rest] = Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':')
      key = k ?? null
      secret = rest.join(':')
    }
    if (!key) return wpError(401, 'woocommerce_rest_authentication_error', 'Consumer key is missing.')
    if (revoked || key !== consumerKey)
      return wpError(401, 'woocommerce_rest_authentication_error', 'Consumer key is invalid.')
    if (secret !== consumerSecret)
      return wpError(401, 'woocommerce_rest_authentication_error', 'Consumer secret is invalid.')
    const query = Object.fromEntries(
      [...req.query].filter(([k]) => k !== 'consumer_key' && k !== 'consumer_secret'),
    )
    received.push({ method: req.method, path: req.path, query, body: req.json })
    return undefined
  }

  const paged = (req: SimRequest, list: unknown[]): SimResponse => {
    const perPage = Number(req.query.get('per_page') ?? 10)
    const page = Number(req.query.get('page') ?? 1)
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > WOOCOMMERCE_LIMITS.pageMax)
      return wpError(400, 'rest_invalid_param', 'Invalid parameter(s): per_page', {
        params: { per_page: 'per_page must be between 1 (inclusive) and 100 (inclusive)' },
      })
    if (!Number.isInteger(page) || page < 1)
      return wpError(400, 'rest_invalid_param', 'Invalid parameter(s): page', {
        params: { page: 'page must be greater than or equal to 1' },
      })
    const total = list.length
    const pages = Math.max(1, Math.ceil(total / perPage))
    if (page > pages && total > 0)
      return wpError(
        400,
        'rest_post_invalid_page_number',
        'The page number requested is larger than the number of pages available.',
      )
    const links = [
      page < pages ? `<${base}${req.path}?page=${page + 1}>; rel="next"` : '',
      page > 1 ? `<${base}${req.path}?page=${page - 1}>; rel="prev"` : '',
    ].filter((s) => s)
    return {
      status: 200,
      headers: {
        'x-wp-total': String(total),
        'x-wp-totalpages': String(pages),
        ...(links.length ? { link: links.join(', ') } : {}),
      },
      body: list.slice((page - 1) * perPage, page * perPage),
    }
  }

  const include = (req: SimRequest) => {
    const inc = req.query.get('include')
    return inc ? new Set(inc.split(',').map(Number)) : undefined
  }

  const listingIdOf = (i: SimItem) => (i.type === 'variation' ? `${i.parent_id}/${i.id}` : String(i.id))
  /** Published itself and, for a variation, its parent too. */
  const published = (i: SimItem) =>
    i.status === 'publish' && (i.type !== 'variation' || items.get(i.parent_id)?.status === 'publish')
  const probeQuantity = (i: SimItem) => (i.manage_stock ? Math.max(0, i.stock_quantity ?? 0) : 0)

  /** Tells the probe about an accepted update that touches stock or status (also when the write is lost). */
  const reportWrite = (i: SimItem, u: Record<string, unknown>) => {
    if (i.type === 'variable') return // not a listing: its variations are
    const hasQty = typeof u['stock_quantity'] === 'number'
    if (!hasQty && typeof u['status'] !== 'string' && typeof u['manage_stock'] !== 'boolean') return
    const status = typeof u['status'] === 'string' ? u['status'] : i.status
    const paused =
      status !== 'publish' || (i.type === 'variation' && items.get(i.parent_id)?.status !== 'publish')
    const quantity = hasQty ? (u['stock_quantity'] as number) : paused ? 0 : probeQuantity(i)
    emitStockWrite(sink, listingIdOf(i), quantity, paused, clock.now())
  }

  const apply = (i: SimItem, u: Record<string, unknown>) => {
    reportWrite(i, u)
    if (ignored.has(i.id)) return { ...itemJson(i), ...u, stock_status: 'instock' }
    if (typeof u['manage_stock'] === 'boolean') i.manage_stock = u['manage_stock']
    // Woo keeps a quantity only for items that manage stock.
    if ('stock_quantity' in u && i.manage_stock) i.stock_quantity = u['stock_quantity'] as number | null
    if (typeof u['status'] === 'string') i.status = u['status']
    if (typeof u['backorders'] === 'string') i.backorders = u['backorders']
    return itemJson(i)
  }

  const batch = (req: SimRequest, schema: string, parent: SimItem | undefined): SimResponse => {
    if (req.jsonError) return wpError(400, 'rest_invalid_json', 'Invalid JSON body passed.')
    const errs = validator.check(schema, req.json)
    if (errs.length > 0) return wpError(400, 'rest_invalid_param', `Invalid parameter(s): ${errs.join('; ')}`)
    const b = req.json as { create?: unknown[]; update?: Record<string, unknown>[]; delete?: number[] }
    const count = (b.create?.length ?? 0) + (b.update?.length ?? 0) + (b.delete?.length ?? 0)
    if (count > WOOCOMMERCE_LIMITS.batchMax)
      return wpError(
        413,
        'woocommerce_rest_request_entity_too_large',
        'Unable to accept more than 100 items for this request.',
      )
    const update = (b.update ?? []).map((u) => {
      const i = items.get(u['id'] as number)
      const valid =
        i && (parent ? i.type === 'variation' && i.parent_id === parent.id : i.type !== 'variation')
      if (!i || !valid)
        return {
          id: u['id'],
          error: {
            code: parent
              ? 'woocommerce_rest_product_variation_invalid_id'
              : 'woocommerce_rest_product_invalid_id',
            message: parent ? 'Invalid variation ID.' : 'Invalid ID.',
            data: { status: 400 },
          },
        }
      return apply(i, u)
    })
    return { status: 200, body: { update } }
  }

  const routes = [
    {
      method: 'GET',
      pattern: '/wp-json/wc/v3/products',
      handler: (req: SimRequest): SimResponse => {
        const g = guard(req)
        if (g) return g
        const inc = include(req)
        const sku = req.query.get('sku')
        const status = req.query.get('status') ?? 'any'
        const list = [...items.values()]
          .filter(
            (i) =>
              i.type !== 'variation' &&
              (!inc || inc.has(i.id)) &&
              (!sku || i.sku === sku) &&
              (status === 'any' || i.status === status),
          )
          .sort((a, b) => a.id - b.id)
          .map(itemJson)
        return paged(req, list)
      },
    },
    {
      method: 'POST',
      pattern: '/wp-json/wc/v3/products/batch',
      handler: (req: SimRequest): SimResponse => guard(req) ?? batch(req, 'ProductBatch', undefined),
    },
    {
      method: 'GET',
      pattern: '/wp-json/wc/v3/products/:id/variations',
      handler: (req: SimRequest): SimResponse => {
        const g = guard(req)
        if (g) return g
        const p = items.get(Number(req.params['id']))
        if (!p || p.type !== 'variable')
          return wpError(404, 'woocommerce_rest_product_invalid_id', 'Invalid ID.')
        const inc = include(req)
        return paged(
          req,
          p.variations.filter((id) => !inc || inc.has(id)).map((id) => itemJson(items.get(id) as SimItem)),
        )
      },
    },
    {
      method: 'POST',
      pattern: '/wp-json/wc/v3/products/:id/variations/batch',
      handler: (req: SimRequest): SimResponse => {
        const g = guard(req)
        if (g) return g
        const p = items.get(Number(req.params['id']))
        if (!p || p.type !== 'variable')
          return wpError(404, 'woocommerce_rest_product_invalid_id', 'Invalid ID.')
        return batch(req, 'VariationBatch', p)
      },
    },
    {
      method: 'GET',
      pattern: '/wp-json/wc/v3/orders',
      handler: (req: SimRequest): SimResponse => {
        const g = guard(req)
        if (g) return g
        const gmt = req.query.get('dates_are_gmt') === 'true' || req.query.get('dates_are_gmt') === '1'
        const raw = req.query.get('modified_after')
        let after = -Infinity
        if (raw) {
          // Without dates_are_gmt, WordPress reads a date without offset in the site's timezone.
          const hasOffset = /[zZ]|[+-]\d\d:?\d\d$/.test(raw)
          const parsed = Date.parse(hasOffset ? raw : `${raw}Z`)
          if (Number.isNaN(parsed))
            return wpError(400, 'rest_invalid_param', 'Invalid parameter(s): modified_after', {
              params: { modified_after: 'Invalid date.' },
            })
          after = hasOffset || gmt ? parsed : parsed - offsetMs
        }
        const status = req.query.get('status') ?? 'any'
        const order = req.query.get('order') ?? 'desc'
        const orderby = req.query.get('orderby') ?? 'date'
        const key = orderby === 'modified' ? 'modified' : 'created'
        const list = orders
          .filter((o) => o.modified > after && (status === 'any' || o.status === status))
          .sort((a, b) => (order === 'asc' ? a[key] - b[key] : b[key] - a[key]) || a.id - b.id)
          .map((o) => ({
            id: o.id,
            status: o.status,
            currency: 'EUR',
            date_created: local(o.created),
            date_created_gmt: utc(o.created),
            date_modified: local(o.modified),
            date_modified_gmt: utc(o.modified),
            line_items: o.lines.map((l) => ({
              ...l,
              name: items.get(l.variation_id || l.product_id)?.name ?? '',
              price: Number(l.price),
              subtotal: String(Number(l.price) * l.quantity),
            })),
            refunds: o.refunds.map((r) => ({ id: r.id, reason: '', total: `-${r.total}` })),
          }))
        return paged(req, list)
      },
    },
    {
      method: 'GET',
      pattern: '/wp-json/wc/v3/orders/:id/refunds',
      handler: (req: SimRequest): SimResponse => {
        const g = guard(req)
        if (g) return g
        const o = orders.find((x) => x.id === Number(req.params['id']))
        if (!o) return wpError(404, 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.')
        const list = o.refunds.map((r) => {
          const line = o.lines.find((l) => l.id === r.lineId)
          return {
            id: r.id,
            amount: r.total,
            line_items: [
              {
                id: seq++,
                product_id: line?.product_id ?? 0,
                variation_id: line?.variation_id ?? 0,
                quantity: -r.quantity,
                total: `-${r.total}`,
                meta_data: [{ id: seq++, key: '_refunded_item_id', value: String(r.lineId) }],
              },
            ],
          }
        })
        return paged(req, list)
      },
    },
  ]

  const server = await startSimServer({
    name: 'WooCommerce',
    routes,
    ...(opts.faults ? { faults: opts.faults } : {}),
    ...(opts.random ? { random: opts.random } : {}),
    notFound: () => wpError(404, 'rest_no_route', 'No route was found matching the URL and request method.'),
  })
  base = server.url

  const byListing = (id: string): SimItem | undefined => {
    const m = /^(\d+)(?:\/(\d+))?$/.exec(id)
    return m ? items.get(Number(m[2] ?? m[1])) : undefined
  }

  const sim: WooSimulator = {
    url: server.url,
    server,
    get faults() {
      return server.faults
    },
    set faults(f: FaultConfig) {
      server.faults = f
    },
    consumerKey,
    consumerSecret,
    received,
    setProducts(list) {
      items.clear()
      return this.addProducts(list)
    },
    addProducts(list) {
      const ids: string[] = []
      for (const p of list) {
        const id = seq++
        const variable = (p.variations?.length ?? 0) > 0
        const parent: SimItem = {
          id,
          parent_id: 0,
          name: p.name,
          type: variable ? 'variable' : 'simple',
          sku: p.sku,
          status: p.status ?? 'publish',
          manage_stock: variable ? false : (p.manageStock ?? true),
          stock_quantity: variable ? null : (p.stock ?? 0),
          backorders: 'no',
          gtin: p.gtin ?? '',
          option: '',
          variations: [],
        }
        items.set(id, parent)
        if (!variable) ids.push(String(id))
        for (const v of p.variations ?? []) {
          const vid = seq++
          items.set(vid, {
            id: vid,
            parent_id: id,
            name: p.name,
            type: 'variation',
            sku: v.sku,
            status: 'publish',
            manage_stock: v.manageStock ?? true,
            stock_quantity: v.stock ?? 0,
            backorders: 'no',
            gtin: '',
            option: v.option,
            variations: [],
          })
          parent.variations.push(vid)
          ids.push(`${id}/${vid}`)
        }
      }
      return ids
    },
    stock(id) {
      const i = byListing(id)
      return i
        ? {
            manage_stock: i.manage_stock,
            stock_quantity: i.stock_quantity,
            status: i.status,
            stock_status: stockStatus(i),
          }
        : undefined
    },
    ignoreWrites(ids) {
      for (const id of ids) {
        const i = byListing(id)
        if (i) ignored.add(i.id)
      }
    },
    placeOrder(lines) {
      const now = clock.now()
      const o: SimOrder = {
        id: seq++,
        status: 'processing',
        created: now,
        modified: now,
        refunds: [],
        lines: lines.map((l) => {
          const i = byListing(l.listingId)
          if (!i) throw new Error(`WooCommerce simulator: no listing ${l.listingId}`)
          if (i.manage_stock) i.stock_quantity = (i.stock_quantity ?? 0) - l.quantity
          return {
            id: seq++,
            product_id: i.type === 'variation' ? i.parent_id : i.id,
            variation_id: i.type === 'variation' ? i.id : 0,
            sku: i.sku,
            quantity: l.quantity,
            price: '24.50',
          }
        }),
      }
      orders.push(o)
      return o.id
    },
    setOrderStatus(id, status) {
      const o = orders.find((x) => x.id === id)
      if (!o) throw new Error(`WooCommerce simulator: no order ${id}`)
      if (status === 'cancelled' && o.status !== 'cancelled')
        for (const l of o.lines) {
          const i = items.get(l.variation_id || l.product_id)
          if (i?.manage_stock) i.stock_quantity = (i.stock_quantity ?? 0) + l.quantity
        }
      o.status = status
      o.modified = clock.now()
    },
    refundUnits(id, lineIndex, count) {
      const o = orders.find((x) => x.id === id)
      const line = o?.lines[lineIndex]
      if (!o || !line) throw new Error(`WooCommerce simulator: no line ${lineIndex} in order ${id}`)
      o.refunds.push({
        id: seq++,
        lineId: line.id,
        quantity: count,
        total: (Number(line.price) * count).toFixed(2),
      })
      const i = items.get(line.variation_id || line.product_id)
      if (i?.manage_stock) i.stock_quantity = (i.stock_quantity ?? 0) + count
      o.modified = clock.now()
    },
    revokeKeys() {
      revoked = true
    },
    // Buyers see the managed stock quantity (0 when stock is not managed); buyable when published (a
    // variation: its parent too) and in stock. Consumer keys do not expire.
    probe: {
      listingIndex: () =>
        [...items.values()]
          .filter((i) => i.type !== 'variable')
          .map((i) => ({ listingId: listingIdOf(i), sku: i.sku || null, ean: i.gtin || null })),
      listingState(listingId) {
        const i = byListing(listingId)
        if (!i || i.type === 'variable' || listingIdOf(i) !== listingId) return undefined
        return { quantity: probeQuantity(i), buyable: published(i) && stockStatus(i) === 'instock' }
      },
      get onStockWrite() {
        return sink.onStockWrite
      },
      set onStockWrite(f) {
        sink.onStockWrite = f
      },
      placeOrder(listingId, quantity) {
        const i = byListing(listingId)
        const known = i && i.type !== 'variable' && listingIdOf(i) === listingId
        // Stock that is not managed has no limit.
        const stock = !known ? undefined : i.manage_stock ? probeQuantity(i) : Number.MAX_SAFE_INTEGER
        checkProbeOrder('WooCommerce', listingId, quantity, stock)
        return String(sim.placeOrder([{ listingId, quantity }]))
      },
      expireTokens: () => false,
      get limitHits() {
        return limited
      },
    },
    stop: () => server.stop(),
  }
  return sim
}
