// Every channel type behaves the same through the shared channel client. Each adapter runs against its own
// simulator behind a small fault-injecting proxy, which answers the next API calls with a scripted fault
// (a 429 with Retry-After, a 401 as from an expired token, a 5xx) and passes everything else through. The
// adapters run on an injected clock whose sleeps only move that clock: no test waits for real time.
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ChannelType } from '../../../main/core/channel-types'
import { ClassifiedError } from '../../../main/core/errors'
import type { ChannelAdapter } from '../../../main/core/ports/channel-adapter'
import { createAmazonAdapter } from '../../../main/node/channels/amazon'
import { createBolAdapter } from '../../../main/node/channels/bol'
import { createEbayAdapter } from '../../../main/node/channels/ebay'
import { createKauflandAdapter } from '../../../main/node/channels/kaufland'
import { ChannelClient } from '../../../main/node/channels/kit/channel-client'
import type { ChannelAdapterOptions } from '../../../main/node/channels/kit/adapter-options'
import { createShopifyAdapter } from '../../../main/node/channels/shopify'
import { createWooCommerceAdapter } from '../../../main/node/channels/woocommerce'
import { createZalandoAdapter } from '../../../main/node/channels/zalando'
import { SENT_AT_HEADER, stampSendTimes } from '../../../main/node/http/http-client'
import { AMAZON_SIM_CREDENTIALS, startAmazonSimulator } from '../../../main/sandbox/channels/amazon'
import { BOL_SIM_CREDENTIALS, startBolSimulator } from '../../../main/sandbox/channels/bol'
import { EBAY_SIM_CREDENTIALS, startEbaySimulator } from '../../../main/sandbox/channels/ebay'
import { startKauflandSimulator } from '../../../main/sandbox/channels/kaufland'
import { startShopifySimulator } from '../../../main/sandbox/channels/shopify'
import { startWooCommerceSimulator } from '../../../main/sandbox/channels/woocommerce'
import { startZalandoSimulator } from '../../../main/sandbox/channels/zalando'

interface Fault {
  status: number
  headers?: Record<string, string>
}

/** A proxy in front of a simulator: scripted faults for the next API calls, a log of every request. */
class FaultProxy {
  readonly faults: Fault[] = []
  /** API calls (token requests apart), with the send time the client stamped and what they were answered. */
  readonly calls: { path: string; sentAt: number; status: number }[] = []
  tokenRequests = 0
  private server: Server | undefined
  url = ''

  constructor(private readonly target: string) {}

  async start(): Promise<void> {
    const target = new URL(this.target)
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const path = req.url ?? '/'
        if (/token$/.test(new URL(path, 'http://x').pathname)) this.tokenRequests++
        else {
          const fault = this.faults.shift()
          const sentAt = Number(req.headers[SENT_AT_HEADER])
          this.calls.push({ path, sentAt, status: fault?.status ?? 0 })
          if (fault) {
            res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers })
            res.end('{}')
            return
          }
        }
        // Passed through as sent: the Host header stays the proxy's (Kaufland signs the URL it called).
        const upstream = request(
          { host: target.hostname, port: target.port, method: req.method, path, headers: req.headers },
          (answer) => {
            const entry = this.calls.at(-1)
            if (entry && entry.status === 0) entry.status = answer.statusCode ?? 0
            res.writeHead(answer.statusCode ?? 502, answer.headers as IncomingHttpHeaders)
            answer.pipe(res)
          },
        )
        upstream.on('error', () => res.destroy())
        upstream.end(Buffer.concat(chunks))
      })
    })
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()))
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`
  }

  reset(): void {
    this.faults.length = 0
    this.calls.length = 0
    this.tokenRequests = 0
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections()
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()))
  }
}

/** The clock the adapters run on: it moves only when they sleep, and records every wait. */
const fakeTime = () => {
  const clock = { t: Date.now(), now: () => clock.t }
  const waits: number[] = []
  const sleep = async (ms: number) => {
    waits.push(ms)
    clock.t += ms
  }
  return { clock, waits, sleep }
}

interface Setup {
  type: ChannelType
  /** Whether the channel's credential is an access token from a grant (renewal asks for a new one). */
  tokens: boolean
  /** The adapter on the proxy; `probe` makes exactly one API call. */
  adapter(proxy: string, opts: ChannelAdapterOptions): ChannelAdapter
  probe(a: ChannelAdapter): Promise<unknown>
  stop(): Promise<void>
  proxy: FaultProxy
}

const since = () => new Date(Date.now() - 60_000).toISOString()

async function setups(): Promise<Setup[]> {
  const amazon = await startAmazonSimulator({})
  amazon.setListings([{ sku: 'SKU-0', quantity: 1 }])
  const bol = await startBolSimulator({})
  bol.setOffers([{ ean: '8712345000000', reference: 'SKU-0', amount: 1 }])
  const zalando = await startZalandoSimulator({ specsDir: null })
  const kaufland = await startKauflandSimulator({ specsDir: null })
  kaufland.setUnits([{ id_unit: 1001, id_offer: 'SKU-0', ean: '4006381333000', amount: 1 }])
  const ebay = await startEbaySimulator({})
  const shopify = await startShopifySimulator({})
  const woo = await startWooCommerceSimulator({})
  const proxied = (url: string, proxy: string, base: string) => url.replace(base, proxy)
  const list: Array<Omit<Setup, 'proxy'> & { target: string }> = [
    {
      type: 'amazon',
      target: amazon.url,
      tokens: true,
      adapter: (p, o) =>
        createAmazonAdapter(
          {
            baseUrl: p,
            tokenUrl: `${p}/auth/o2/token`,
            sellerId: amazon.sellerId,
            marketplaceIds: [amazon.marketplaceId],
            credentials: AMAZON_SIM_CREDENTIALS,
          },
          o,
        ),
      probe: (a) => a.listListings(),
      stop: () => amazon.stop(),
    },
    {
      type: 'bol',
      target: bol.url,
      tokens: true,
      adapter: (p, o) =>
        createBolAdapter(
          {
            baseUrl: proxied(bol.baseUrl, p, bol.url),
            tokenUrl: proxied(bol.tokenUrl, p, bol.url),
            credentials: BOL_SIM_CREDENTIALS,
          },
          o,
        ),
      probe: (a) => a.listListings(),
      stop: () => bol.stop(),
    },
    {
      type: 'zalando',
      target: zalando.url,
      tokens: true,
      adapter: (p, o) =>
        createZalandoAdapter(
          {
            baseUrl: p,
            merchantId: zalando.merchantId,
            salesChannelIds: zalando.salesChannelIds,
            credentials: { clientId: zalando.clientId, clientSecret: zalando.clientSecret },
          },
          o,
        ),
      probe: (a) => a.fetchOrders(since()),
      stop: () => zalando.stop(),
    },
    {
      type: 'kaufland',
      target: kaufland.url,
      tokens: false,
      adapter: (p, o) =>
        createKauflandAdapter(
          {
            baseUrl: proxied(kaufland.url, p, new URL(kaufland.url).origin),
            storefront: 'de',
            credentials: { clientKey: kaufland.clientKey, secretKey: kaufland.secretKey },
          },
          o,
        ),
      probe: (a) => a.listListings(),
      stop: () => kaufland.stop(),
    },
    {
      type: 'ebay',
      target: ebay.url,
      tokens: true,
      adapter: (p, o) =>
        createEbayAdapter(
          {
            baseUrl: p,
            marketplaceId: 'EBAY_DE',
            contentLanguage: 'de-DE',
            credentials: EBAY_SIM_CREDENTIALS,
          },
          o,
        ),
      probe: (a) => a.fetchOrders(since()),
      stop: () => ebay.stop(),
    },
    {
      type: 'shopify',
      target: shopify.url,
      tokens: false,
      adapter: (p, o) =>
        createShopifyAdapter({ baseUrl: p, credentials: { accessToken: shopify.accessToken } }, o),
      probe: (a) => a.fetchOrders(since()),
      stop: () => shopify.stop(),
    },
    {
      type: 'woocommerce',
      target: woo.url,
      tokens: false,
      adapter: (p, o) =>
        createWooCommerceAdapter(
          { baseUrl: p, credentials: { consumerKey: woo.consumerKey, consumerSecret: woo.consumerSecret } },
          o,
        ),
      probe: (a) => a.fetchOrders(since()),
      stop: () => woo.stop(),
    },
  ]
  const out: Setup[] = []
  for (const s of list) {
    const proxy = new FaultProxy(new URL(s.target).origin)
    await proxy.start()
    out.push({ ...s, proxy })
  }
  return out
}

const PREFIX: Record<ChannelType, string> = {
  amazon: 'amazon',
  bol: 'bol',
  zalando: 'zalando',
  kaufland: 'kaufland',
  ebay: 'ebay',
  shopify: 'shopify',
  woocommerce: 'woocommerce',
}

let all: Setup[] = []
beforeAll(async () => {
  all = await setups()
  stampSendTimes(true)
})
afterAll(async () => {
  stampSendTimes(false)
  for (const s of all) {
    await s.proxy.stop()
    await s.stop()
  }
})
afterEach(() => {
  for (const s of all) s.proxy.reset()
})

/** A fresh adapter on the proxy, on its own fake clock; the first call's login is done and forgotten. */
const fresh = (s: Setup) => {
  const time = fakeTime()
  const adapter = s.adapter(s.proxy.url, { clock: time.clock, sleep: time.sleep, timeoutMs: 5_000 })
  return { adapter, ...time }
}

const TYPES: ChannelType[] = ['amazon', 'bol', 'zalando', 'kaufland', 'ebay', 'shopify', 'woocommerce']
const setupOf = (type: ChannelType) => all.find((s) => s.type === type)!

describe('the shared channel client, the same on all seven channel types', () => {
  it.each(TYPES)('%s: every adapter calls its API through a ChannelClient', (type) => {
    const s = setupOf(type)
    const { adapter } = fresh(s)
    expect((adapter as ChannelAdapter & { client?: unknown }).client).toBeInstanceOf(ChannelClient)
  })

  it.each(TYPES)(
    '%s: a 429 with Retry-After is waited out, then the call is sent once more',
    async (type) => {
      const s = setupOf(type)
      const { adapter, waits } = fresh(s)
      s.proxy.faults.push({ status: 429, headers: { 'retry-after': '3' } })
      await s.probe(adapter)
      expect(s.proxy.calls.map((c) => c.status)).toEqual([429, 200])
      expect(waits).toEqual([3000])
      const [refused, retried] = s.proxy.calls
      // Sent (by the client's clock) no earlier than the channel allowed.
      expect(retried!.sentAt - refused!.sentAt).toBeGreaterThanOrEqual(3000)
      expect(s.proxy.tokenRequests).toBe(s.tokens ? 1 : 0)
    },
  )

  it.each(TYPES)('%s: an expired credential (401) is renewed once and the call sent again', async (type) => {
    const s = setupOf(type)
    const { adapter, waits } = fresh(s)
    s.proxy.faults.push({ status: 401 })
    await s.probe(adapter)
    expect(s.proxy.calls.map((c) => c.status)).toEqual([401, 200])
    // A token scheme asks for a new token (the first, and one renewal); signed and static schemes send again.
    expect(s.proxy.tokenRequests).toBe(s.tokens ? 2 : 0)
    expect(waits).toEqual([])
  })

  it.each(TYPES)(
    '%s: a credential refused again after its renewal needs the seller, at once',
    async (type) => {
      const s = setupOf(type)
      const { adapter } = fresh(s)
      s.proxy.faults.push({ status: 401 }, { status: 401 })
      const e = await s.probe(adapter).catch((x: unknown) => x)
      expect(e).toBeInstanceOf(ClassifiedError)
      expect((e as ClassifiedError).kind).toBe('needs_seller')
      expect(s.proxy.calls).toHaveLength(2)
      expect(s.proxy.tokenRequests).toBe(s.tokens ? 2 : 0)
    },
  )

  it.each(TYPES)(
    '%s: a 5xx is retried with backoff, then classified retryable; no more calls',
    async (type) => {
      const s = setupOf(type)
      const { adapter, waits } = fresh(s)
      s.proxy.faults.push({ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }, { status: 503 })
      const e = await s.probe(adapter).catch((x: unknown) => x)
      expect(e).toBeInstanceOf(ClassifiedError)
      expect(e).toMatchObject({ kind: 'retryable', code: `${PREFIX[type]}.server` })
      // Four attempts, 1, 2 and 4 s apart, and nothing after the last: no retry storm.
      expect(s.proxy.calls.map((c) => c.status)).toEqual([503, 503, 503, 503])
      expect(waits).toEqual([1000, 2000, 4000])
      const gaps = s.proxy.calls.slice(1).map((c, i) => c.sentAt - s.proxy.calls[i]!.sentAt)
      expect(gaps).toEqual([1000, 2000, 4000])
      expect(s.proxy.faults).toHaveLength(1)
    },
  )

  it.each(TYPES)('%s: a 5xx followed by an answer recovers after one backoff', async (type) => {
    const s = setupOf(type)
    const { adapter, waits } = fresh(s)
    s.proxy.faults.push({ status: 502 })
    await s.probe(adapter)
    expect(s.proxy.calls.map((c) => c.status)).toEqual([502, 200])
    expect(waits).toEqual([1000])
  })
})
