// Turns a stored channel (its row, its decrypted credentials) into the adapter for its marketplace. The one
// place that knows which settings each channel type needs; a missing one is an error the seller can fix.
import type { BucketMemory } from '../../core/rate-limit/token-bucket'
import { ClassifiedError } from '../../core/errors'
import type { ChannelAdapter } from '../../core/ports/channel-adapter'
import { systemClock, type Clock } from '../../core/ports/clock'
import type { ChannelRow } from '../db/repos/channels'
import { createAmazonAdapter } from '../channels/amazon'
import { createBolAdapter, type KnownBolItem } from '../channels/bol'
import type { StoredOrderLine } from '../db/repos/orders'
import { createEbayAdapter } from '../channels/ebay'
import { createKauflandAdapter, type KauflandStorefront } from '../channels/kaufland'
import { createZalandoAdapter } from '../channels/zalando'
import { createShopifyAdapter } from '../channels/shopify'
import { createWooCommerceAdapter } from '../channels/woocommerce'
import { chosenOrderPollMs, orderDetectionOf } from '../../core/channels/order-detection'
import { CHANNEL_CREDENTIAL_FIELDS, CHANNEL_LABELS } from '../../../shared/channel-types'
import { credentialLabel, EBAY_LANGUAGES, settingLabel } from '../../../shared/channel-fields'
import { insecureAddressProblem } from '../../../shared/credential-address'

export interface AdapterFactoryOptions {
  timeoutMs?: number
  clock?: Clock
  /** Runs declared rate limits faster, for time-scaled simulators (the demo). 1 in production. */
  rateScale?: number
  /** Keeps each channel's rate-limit buckets across restarts. */
  rateMemory?: (channelId: string) => BucketMemory
  /** Base of the channel clients' backoff between attempts (default 1 s; tests shorten it). */
  backoffMs?: number
  /** The order lines LastUnit stored for a channel (bol.com reads no detail for an item it holds). */
  storedOrderLine?: (channelId: string) => (orderId: string, lineId: string) => StoredOrderLine | undefined
}

/** An order item's facts from its stored line: only a line stored with its offer id came from a detail. */
const knownBolItem =
  (line: (orderId: string, lineId: string) => StoredOrderLine | undefined): KnownBolItem =>
  (orderId, itemId) => {
    const l = line(orderId, itemId)
    return l && l.listingId !== null
      ? { offerId: l.listingId, reference: l.sku, unitPrice: l.unitPrice }
      : undefined
  }

const needsSeller = (c: ChannelRow, what: string) =>
  new ClassifiedError('needs_seller', 'channel.config', `${c.name} (${c.id}): ${what}`, {
    hint: 'Complete the channel in Connections, or in the configuration file.',
  })

/** Reads one text setting; `required` settings that are absent raise an error naming them. */
function setting(c: ChannelRow, key: string, required: true): string
function setting(c: ChannelRow, key: string, required: false): string | undefined
function setting(c: ChannelRow, key: string, required: boolean): string | undefined {
  const v = c.settings[key]
  if (v === undefined || v === '') {
    if (required) throw needsSeller(c, `"${settingLabel(c.type, key)}" (${key}) is not set`)
    return undefined
  }
  if (Array.isArray(v)) return v.join(',')
  return String(v)
}

/** A list setting: an array, or a comma-separated text. */
function list(c: ChannelRow, key: string): string[] {
  const v = c.settings[key]
  const items = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : []
  const out = items.map((s) => s.trim()).filter(Boolean)
  if (out.length === 0)
    throw needsSeller(c, `"${settingLabel(c.type, key)}" (${key}) needs at least one value`)
  return out
}

const optional = <K extends string, V>(key: K, v: V | undefined): Partial<Record<K, V>> =>
  v === undefined ? {} : ({ [key]: v } as Record<K, V>)

/** Which credentials the channel still lacks, by name. */
export function missingCredentials(c: ChannelRow, credentials: Record<string, string>): string[] {
  return CHANNEL_CREDENTIAL_FIELDS[c.type].filter((n) => !credentials[n])
}

export function createChannelAdapter(
  c: ChannelRow,
  credentials: Record<string, string>,
  opts: AdapterFactoryOptions = {},
): ChannelAdapter {
  const adapter = buildAdapter(c, credentials, opts)
  return withOrderPoll(c, adapter, opts.rateScale ?? 1)
}

/**
 * The seller's "check for orders every" setting (orderPollSeconds), when set, replaces the interval the
 * channel's orders limit gives by default; one the limit cannot sustain is refused, naming the fastest.
 */
function withOrderPoll(c: ChannelRow, adapter: ChannelAdapter, rateScale: number): ChannelAdapter {
  if (c.settings.orderPollSeconds === undefined || c.settings.orderPollSeconds === '') return adapter
  const chosen = chosenOrderPollMs(
    orderDetectionOf(c.type, adapter.capabilities),
    c.settings.orderPollSeconds,
    CHANNEL_LABELS[c.type],
  )
  if ('problem' in chosen) throw needsSeller(c, chosen.problem)
  // A view of the adapter with its own capabilities: the adapter's methods stay its own.
  const capabilities = { ...adapter.capabilities, orderPollIntervalMs: Math.round(chosen.ms / rateScale) }
  return Object.assign(Object.create(adapter) as ChannelAdapter, { capabilities })
}

function buildAdapter(
  c: ChannelRow,
  credentials: Record<string, string>,
  opts: AdapterFactoryOptions,
): ChannelAdapter {
  const missing = missingCredentials(c, credentials)
  if (missing.length > 0)
    throw needsSeller(
      c,
      `credentials missing: ${missing.map((n) => `"${credentialLabel(c.type, n)}" (${n})`).join(', ')}`,
    )
  // Stored before this rule existed, or written to the database by hand: still never sent unencrypted.
  for (const [what, url] of [
    ['its address', c.baseUrl],
    ['its login address (tokenUrl)', c.settings.tokenUrl],
  ] as const) {
    const problem = typeof url === 'string' ? insecureAddressProblem(url) : null
    if (problem) throw needsSeller(c, `${what} ${problem}`)
  }
  const cred = (name: string) => credentials[name]!
  const clock = opts.clock ?? systemClock
  const timeoutMs = opts.timeoutMs ?? 30_000
  const rateScale = opts.rateScale ?? 1
  const tokenUrl = setting(c, 'tokenUrl', false)
  const backoff = optional('backoffMs', opts.backoffMs)
  // Every channel keeps its rate-limit buckets and 429 holds across restarts.
  const memory = opts.rateMemory ? { rateMemory: opts.rateMemory(c.id) } : {}
  switch (c.type) {
    case 'amazon':
      return createAmazonAdapter(
        {
          baseUrl: c.baseUrl,
          ...optional('tokenUrl', tokenUrl),
          sellerId: setting(c, 'sellerId', true),
          marketplaceIds: list(c, 'marketplaceIds'),
          credentials: {
            clientId: cred('clientId'),
            clientSecret: cred('clientSecret'),
            refreshToken: cred('refreshToken'),
          },
        },
        {
          timeoutMs,
          clock,
          rateScale,
          ...backoff,
          ...memory,
        },
      )
    case 'bol': {
      // bol.com ships FBB orders from its own stock: they never lower the seller's stock in Odoo, so only
      // FBR orders are read. An older setting asking for more is refused, saying why.
      const fm = setting(c, 'fulfilmentMethod', false)
      if (fm !== undefined && fm !== 'FBR')
        throw needsSeller(
          c,
          `the setting "fulfilmentMethod" is "${fm}", but LastUnit reads only orders you ship yourself (FBR): bol.com ships FBB orders from its own stock, so they never change your stock in Odoo. Remove the setting or set it to FBR`,
        )
      return createBolAdapter(
        {
          baseUrl: c.baseUrl,
          ...optional('tokenUrl', tokenUrl),
          credentials: { clientId: cred('clientId'), clientSecret: cred('clientSecret') },
          // "Faster orders": the IAM role bol.com assumes to write ORDER events to the seller's queue.
          ...optional('queueRoleArn', setting(c, 'queueRoleArn', false)),
        },
        {
          timeoutMs,
          clock,
          rateScale,
          ...backoff,
          ...memory,
          ...(opts.storedOrderLine ? { knownItem: knownBolItem(opts.storedOrderLine(c.id)) } : {}),
        },
      )
    }
    case 'ebay': {
      const marketplaceId = setting(c, 'marketplaceId', true)
      return createEbayAdapter(
        {
          baseUrl: c.baseUrl,
          ...optional('tokenUrl', tokenUrl),
          marketplaceId,
          // The site's own language unless the seller chose another.
          contentLanguage: setting(c, 'contentLanguage', false) ?? EBAY_LANGUAGES[marketplaceId] ?? 'en-US',
          credentials: {
            clientId: cred('clientId'),
            clientSecret: cred('clientSecret'),
            refreshToken: cred('refreshToken'),
          },
        },
        {
          timeoutMs,
          clock,
          rateScale,
          ...backoff,
          ...memory,
        },
      )
    }
    case 'kaufland':
      return createKauflandAdapter(
        {
          baseUrl: c.baseUrl,
          storefront: setting(c, 'storefront', true) as KauflandStorefront,
          credentials: { clientKey: cred('clientKey'), secretKey: cred('secretKey') },
        },
        { timeoutMs, clock, ...backoff, ...memory },
      )
    case 'zalando':
      return createZalandoAdapter(
        {
          baseUrl: c.baseUrl,
          merchantId: setting(c, 'merchantId', true),
          salesChannelIds: list(c, 'salesChannelIds'),
          credentials: { clientId: cred('clientId'), clientSecret: cred('clientSecret') },
        },
        {
          timeoutMs,
          clock,
          rateScale,
          ...backoff,
          ...memory,
        },
      )
    case 'shopify':
      return createShopifyAdapter(
        {
          baseUrl: c.baseUrl,
          ...optional('locationId', setting(c, 'locationId', false)),
          ...optional('apiVersion', setting(c, 'apiVersion', false)),
          credentials: { accessToken: cred('accessToken') },
        },
        { timeoutMs, clock, ...backoff, ...memory },
      )
    case 'woocommerce': {
      const authMode = setting(c, 'authMode', false)
      if (authMode !== undefined && authMode !== 'basic' && authMode !== 'query')
        throw needsSeller(c, `the setting "authMode" must be basic or query, not "${authMode}"`)
      return createWooCommerceAdapter(
        {
          baseUrl: c.baseUrl,
          credentials: { consumerKey: cred('consumerKey'), consumerSecret: cred('consumerSecret') },
          ...optional('authMode', authMode as 'basic' | 'query' | undefined),
        },
        { timeoutMs, clock, ...backoff, ...memory },
      )
    }
  }
}
