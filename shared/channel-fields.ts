// Every setting and credential a channel needs, with the words the seller reads: a plain label, where to
// find the value, and how it is checked. The Connections screen draws its forms from this, and the API
// handlers validate with it, so an error always names the field the seller sees. Everything the
// configuration file can set (config-schema.ts) has a field here; the adapters read the same keys
// (main/node/runtime/channel-registry.ts).
import { z } from 'zod'
import {
  CHANNEL_LABELS,
  CHANNEL_ZERO_STOCK_ACTIONS,
  type ChannelEnvironment,
  type ChannelType,
  type StockBasis,
  type ZeroStockAction,
} from './channel-types'

export type SettingValue = string | number | boolean | string[]

export interface FieldOption {
  value: string
  label: string
  /** Options are grouped by this (Amazon's marketplaces by region). */
  group?: string
}

export interface SettingField {
  key: string
  label: string
  /** What the value is and where the seller finds it. */
  help: string
  /** text: one line; select: one of the options; multi: several of the options (and others typed). */
  kind: 'text' | 'select' | 'multi'
  options?: readonly FieldOption[]
  /** A value is needed for the channel to work (a test or "Save and test" refuses without it). */
  required: boolean
  /** Shown and used only in these environments (default: all). */
  environments?: readonly ChannelEnvironment[]
  placeholder?: string
  /** The value a new channel starts with. */
  initial?: SettingValue
  /** Extra values may be typed beside the options (multi only). */
  other?: { label: string; placeholder: string }
  /** Returns what is wrong with a present value, or null. */
  check?: (value: SettingValue, draft: ChannelDraftLike) => string | null
  /** Loaded from the channel itself (Shopify's locations): the form offers a button. */
  loadable?: boolean
}

export interface CredentialField {
  name: string
  label: string
  help: string
  placeholder?: string
  check?: (value: string) => string | null
}

export interface ChannelSpec {
  /** environments: production, sandbox or a custom address; shop: the seller's own shop address. */
  address: 'environments' | 'shop'
  /** One sentence on where the API access comes from. */
  intro: string
  credentials: readonly CredentialField[]
  settings: readonly SettingField[]
  /** What a custom address looks like, and what is wrong with one (the API's root path). */
  customAddress?: { placeholder: string; check?: (url: string) => string | null }
}

/** The fields of a channel form, as the renderer sends them (see contract: channelDraft). */
export interface ChannelDraftLike {
  id: string
  type: ChannelType
  name: string
  environment: ChannelEnvironment
  baseUrl: string
  stockBasis: StockBasis
  zeroStockAction: ZeroStockAction
  orderImport: boolean
  settings: Record<string, SettingValue>
  odooPartnerId: number | null
  odooWarehouseId: number | null
  maxPublished: number | null
  zeroBelow: number | null
}

export interface OdooDraftLike {
  url: string
  database: string
  username: string
  allowInsecureHttp: boolean
  pollIntervalMs: number
  timeoutMs: number
}

/** A problem with one field: `field` is the form's key ("settings.merchantId", "credentials.clientId", "baseUrl"). */
export interface FieldProblem {
  field: string
  message: string
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const asList = (v: SettingValue | undefined): string[] =>
  (Array.isArray(v) ? v : typeof v === 'string' ? v.split(/[\s,]+/) : []).map((s) => s.trim()).filter(Boolean)

/** True when a setting holds no value (absent, empty text, empty list). */
export const isEmptySetting = (v: SettingValue | undefined): boolean =>
  v === undefined ||
  (typeof v === 'string' && v.trim() === '') ||
  (Array.isArray(v) && asList(v).length === 0)

export interface WebAddress {
  protocol: 'http:' | 'https:'
  /** Host and port, e.g. shop.example.com:8443 */
  host: string
  /** Host without the port, e.g. shop.example.com, or [::1]. */
  hostname: string
  origin: string
  pathname: string
}

const webUrl = z.url({ protocol: /^https?$/ })
const URL_PARTS = /^(https?):\/\/([^/?#\s]+)([^?#\s]*)/i

/** The parts of an http(s) address (this layer has no URL class); null when it is not one. */
export function parseWebAddress(v: string): WebAddress | null {
  if (!webUrl.safeParse(v).success) return null
  const m = URL_PARTS.exec(v)
  if (!m) return null
  const protocol = m[1]!.toLowerCase() === 'https' ? 'https:' : 'http:'
  const host = m[2]!.replace(/^[^@]*@/, '').toLowerCase()
  const hostname = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '')
  return { protocol, host, hostname, origin: `${protocol}//${host}`, pathname: m[3] || '/' }
}

const urlProblem = (v: string): string | null => {
  if (!/^https?:\/\//i.test(v)) return 'must start with https://'
  const u = parseWebAddress(v)
  if (!u) return 'is not a web address; it looks like https://example.com/…'
  // Credentials go to this address: never unencrypted to another computer (issue #21).
  if (u.protocol === 'http:' && !isLocal(u.hostname))
    return `must start with https://: over http:// to ${u.host} the credentials would travel unencrypted (only a server on this computer may use http://)`
  return null
}

// Amazon: the SP-API endpoints are per region; each marketplace belongs to one region.
// Marketplace ids: https://developer-docs.amazon.com/sp-api/docs/marketplace-ids
export const AMAZON_REGIONS: readonly FieldOption[] = [
  { value: 'eu', label: 'Europe, Middle East, India (sellingpartnerapi-eu)' },
  { value: 'na', label: 'North and South America (sellingpartnerapi-na)' },
  { value: 'fe', label: 'Japan, Australia, Singapore (sellingpartnerapi-fe)' },
]

export const AMAZON_MARKETPLACES: readonly FieldOption[] = [
  { value: 'A1PA6795UKMFR9', label: 'Amazon.de', group: 'eu' },
  { value: 'A13V1IB3VIYZZH', label: 'Amazon.fr', group: 'eu' },
  { value: 'APJ6JRA9NG5V4', label: 'Amazon.it', group: 'eu' },
  { value: 'A1RKKUPIHCS9HS', label: 'Amazon.es', group: 'eu' },
  { value: 'A1F83G8C2ARO7P', label: 'Amazon.co.uk', group: 'eu' },
  { value: 'A1805IZSGTT6HS', label: 'Amazon.nl', group: 'eu' },
  { value: 'AMEN7PMS3EDWL', label: 'Amazon.com.be', group: 'eu' },
  { value: 'A2NODRKZP88ZB9', label: 'Amazon.se', group: 'eu' },
  { value: 'A1C3SOZRARQ6R3', label: 'Amazon.pl', group: 'eu' },
  { value: 'A28R8C7NBKEWEA', label: 'Amazon.ie', group: 'eu' },
  { value: 'A33AVAJ2PDY3EV', label: 'Amazon.com.tr', group: 'eu' },
  { value: 'A2VIGQ35RCS4UG', label: 'Amazon.ae', group: 'eu' },
  { value: 'A17E79C6D8DWNP', label: 'Amazon.sa', group: 'eu' },
  { value: 'ARBP9OOSHTCHU', label: 'Amazon.eg', group: 'eu' },
  { value: 'A21TJRUUN4KGV', label: 'Amazon.in', group: 'eu' },
  { value: 'AE08WJ6YKNBMC', label: 'Amazon.co.za', group: 'eu' },
  { value: 'ATVPDKIKX0DER', label: 'Amazon.com', group: 'na' },
  { value: 'A2EUQ1WTGCTBG2', label: 'Amazon.ca', group: 'na' },
  { value: 'A1AM78C64UM0Y8', label: 'Amazon.com.mx', group: 'na' },
  { value: 'A2Q3Y263D00KWC', label: 'Amazon.com.br', group: 'na' },
  { value: 'A1VC38T7YXB528', label: 'Amazon.co.jp', group: 'fe' },
  { value: 'A39IBJ37TRP1C6', label: 'Amazon.com.au', group: 'fe' },
  { value: 'A19VAU5U5O7RUS', label: 'Amazon.sg', group: 'fe' },
]

// Zalando's sales channel ids per country: https://developers.merchants.zalando.com/docs/sales-channels.html
export const ZALANDO_SALES_CHANNELS: readonly FieldOption[] = [
  { value: '01924c48-49bb-40c2-9c32-ab582e6db6f4', label: 'Germany (zalando.de)' },
  { value: '53075bd4-0205-4b5d-8145-e7a7745ab137', label: 'Austria (zalando.at)' },
  { value: 'c2bd90da-0090-4751-8f16-35dea7002071', label: 'Switzerland (zalando.ch)' },
  { value: '00f2a393-6889-4fc0-8cd9-86e454e6dfa3', label: 'Netherlands (zalando.nl)' },
  { value: '043ec789-a3c7-4556-92df-bf1845c741ab', label: 'Belgium (zalando.be)' },
  { value: '733af55a-4133-4d7c-b5f3-d64d42c135fe', label: 'France (zalando.fr)' },
  { value: 'ebf57ebf-e26d-4ebd-8009-6ad519073d2a', label: 'Italy (zalando.it)' },
  { value: '1e161d6e-0427-4cfc-a357-e2b501188a15', label: 'Spain (zalando.es)' },
  { value: '83c4e87f-6819-41bb-af61-46cddb8453f5', label: 'United Kingdom (zalando.co.uk)' },
  { value: 'ca9d5f22-2a1b-4799-b3b7-83f47c191489', label: 'Poland (zalando.pl)' },
  { value: '091dcbdd-7839-4f39-aa05-324eb4599df0', label: 'Sweden (zalando.se)' },
  { value: 'aadd3adf-500f-4372-8137-dc0e4b2f0582', label: 'Finland (zalando.fi)' },
  { value: '7ce94f55-7a4d-4416-95c1-bf34193a47e8', label: 'Denmark (zalando.dk)' },
]

export const KAUFLAND_STOREFRONT_OPTIONS: readonly FieldOption[] = [
  { value: 'de', label: 'Kaufland.de (Germany)' },
  { value: 'at', label: 'Kaufland.at (Austria)' },
  { value: 'cz', label: 'Kaufland.cz (Czechia)' },
  { value: 'sk', label: 'Kaufland.sk (Slovakia)' },
  { value: 'pl', label: 'Kaufland.pl (Poland)' },
  { value: 'fr', label: 'Kaufland.fr (France)' },
  { value: 'it', label: 'Kaufland.it (Italy)' },
]

export const EBAY_MARKETPLACES: readonly FieldOption[] = [
  { value: 'EBAY_DE', label: 'eBay.de (Germany)' },
  { value: 'EBAY_AT', label: 'eBay.at (Austria)' },
  { value: 'EBAY_CH', label: 'eBay.ch (Switzerland)' },
  { value: 'EBAY_GB', label: 'eBay.co.uk (United Kingdom)' },
  { value: 'EBAY_IE', label: 'eBay.ie (Ireland)' },
  { value: 'EBAY_FR', label: 'eBay.fr (France)' },
  { value: 'EBAY_IT', label: 'eBay.it (Italy)' },
  { value: 'EBAY_ES', label: 'eBay.es (Spain)' },
  { value: 'EBAY_NL', label: 'eBay.nl (Netherlands)' },
  { value: 'EBAY_BE', label: 'eBay.be (Belgium)' },
  { value: 'EBAY_PL', label: 'eBay.pl (Poland)' },
  { value: 'EBAY_US', label: 'eBay.com (United States)' },
  { value: 'EBAY_CA', label: 'eBay.ca (Canada)' },
  { value: 'EBAY_AU', label: 'eBay.com.au (Australia)' },
]

/** The language eBay expects on item writes, per marketplace (Content-Language). */
export const EBAY_LANGUAGES: Readonly<Record<string, string>> = {
  EBAY_DE: 'de-DE',
  EBAY_AT: 'de-AT',
  EBAY_CH: 'de-CH',
  EBAY_GB: 'en-GB',
  EBAY_IE: 'en-IE',
  EBAY_FR: 'fr-FR',
  EBAY_IT: 'it-IT',
  EBAY_ES: 'es-ES',
  EBAY_NL: 'nl-NL',
  EBAY_BE: 'nl-BE',
  EBAY_PL: 'pl-PL',
  EBAY_US: 'en-US',
  EBAY_CA: 'en-CA',
  EBAY_AU: 'en-AU',
}

const tokenUrlField = (where: string): SettingField => ({
  key: 'tokenUrl',
  label: 'Login address (token URL)',
  help: `Only for a custom address (a proxy or a test server): where LastUnit asks for access tokens. Leave it empty to use ${where}.`,
  kind: 'text',
  required: false,
  environments: ['custom'],
  placeholder: 'https://…',
  check: (v) => urlProblem(String(v)),
})

/**
 * How often orders are read. Empty: as often as the channel's orders limit sustains with headroom (the
 * table in docs/order-detection.md); a figure below what the limit sustains is refused when the channel
 * is tested or run, naming the fastest it allows.
 */
const orderPollField: SettingField = {
  key: 'orderPollSeconds',
  label: 'Check for orders every (seconds)',
  help: 'Leave it empty: LastUnit reads orders as often as this marketplace allows. A figure here must be a whole number of seconds the marketplace allows (too fast is refused, naming the fastest).',
  kind: 'text',
  required: false,
  placeholder: 'as often as allowed',
  check: (v) => {
    const s = String(v).trim()
    if (!/^\d+$/.test(s)) return 'must be a whole number of seconds'
    const n = Number(s)
    return n < 2 || n > 3600 ? 'must be between 2 and 3600 seconds' : null
  },
}

export const CHANNEL_SPECS: Record<ChannelType, ChannelSpec> = {
  amazon: {
    address: 'environments',
    intro:
      'LastUnit connects as a private Selling Partner API app of your Seller Central account: register it under Apps and Services > Develop Apps, then authorise it for your account.',
    credentials: [
      {
        name: 'clientId',
        label: 'LWA client ID',
        help: 'Seller Central > Apps and Services > Develop Apps > your app > View LWA credentials: "Client identifier" (starts with amzn1.application-oa2-client.).',
        placeholder: 'amzn1.application-oa2-client.…',
        check: (v) =>
          v.startsWith('amzn1.application-oa2-client.')
            ? null
            : 'starts with amzn1.application-oa2-client. (copy the whole "Client identifier")',
      },
      {
        name: 'clientSecret',
        label: 'LWA client secret',
        help: 'Same page, "Client secret". Amazon makes you rotate it every 180 days: paste the new one here.',
      },
      {
        name: 'refreshToken',
        label: 'Refresh token',
        help: 'Develop Apps > your app > Authorize app: the refresh token shown once after you authorise your own account (starts with Atzr|).',
        placeholder: 'Atzr|…',
        check: (v) => (v.startsWith('Atzr|') ? null : 'starts with Atzr| (copy the whole refresh token)'),
      },
    ],
    settings: [
      {
        key: 'region',
        label: 'Amazon region',
        help: 'Where your Seller Central account sells: the SP-API has one address per region.',
        kind: 'select',
        options: AMAZON_REGIONS,
        required: true,
        initial: 'eu',
        environments: ['production', 'sandbox'],
      },
      {
        key: 'marketplaceIds',
        label: 'Marketplaces',
        help: 'The Amazon sites whose listings get this stock. They must be in the chosen region.',
        kind: 'multi',
        options: AMAZON_MARKETPLACES,
        required: true,
        other: { label: 'Other marketplace ids', placeholder: 'e.g. A1PA6795UKMFR9' },
        check: (v, d) => {
          const ids = asList(v)
          if (ids.length > 50) return 'choose at most 50 marketplaces'
          const bad = ids.find((id) => !/^[A-Z0-9]{8,20}$/.test(id))
          if (bad) return `"${bad}" is not an Amazon marketplace id (like A1PA6795UKMFR9)`
          if (d.environment === 'custom') return null
          const region = typeof d.settings.region === 'string' ? d.settings.region : 'eu'
          const wrong = ids
            .map((id) => AMAZON_MARKETPLACES.find((m) => m.value === id))
            .find((m) => m && m.group !== region)
          if (wrong) {
            const name = AMAZON_REGIONS.find((r) => r.value === region)?.label ?? region
            return `${wrong.label} is not in the region ${name}: choose its region or leave it out`
          }
          return null
        },
      },
      {
        key: 'sellerId',
        label: 'Seller ID (merchant token)',
        help: 'Seller Central > Settings > Account Info > Business Information > Merchant Token, e.g. A2C3EXAMPLE1Z.',
        kind: 'text',
        required: true,
        placeholder: 'A2C3EXAMPLE1Z',
        check: (v) =>
          /^[A-Z0-9]{6,32}$/.test(String(v))
            ? null
            : 'is letters and digits only, like A2C3EXAMPLE1Z (Account Info > Merchant Token)',
      },
      tokenUrlField('Amazon’s own (https://api.amazon.com/auth/o2/token)'),
      orderPollField,
    ],
  },
  bol: {
    address: 'environments',
    customAddress: {
      placeholder: 'https://…/retailer',
      check: (url) =>
        /\/retailer(-demo)?\/?$/.test(url)
          ? null
          : 'ends in /retailer (or /retailer-demo), the root of the Retailer API',
    },
    intro:
      'LastUnit uses the Retailer API with API credentials of your bol.com account (partner platform, Settings > API settings).',
    credentials: [
      {
        name: 'clientId',
        label: 'Client ID',
        help: 'bol.com partner platform > Settings > API settings > Retailer API: create credentials (or "Show" existing ones) and copy the client ID.',
      },
      {
        name: 'clientSecret',
        label: 'Client secret',
        help: 'Same place: the secret shown with the client ID.',
      },
    ],
    settings: [tokenUrlField('bol.com’s own (https://login.bol.com/token)'), orderPollField],
  },
  zalando: {
    address: 'environments',
    intro:
      'LastUnit uses the zDirect API with API credentials from the zDirect portal (Settings > API credentials).',
    credentials: [
      {
        name: 'clientId',
        label: 'Client ID',
        help: 'zDirect portal > Settings > API credentials: the client ID of the credentials you created for LastUnit.',
      },
      {
        name: 'clientSecret',
        label: 'Client secret',
        help: 'Same place: the client secret, shown when the credentials are created.',
      },
    ],
    settings: [
      {
        key: 'merchantId',
        label: 'Merchant ID',
        help: 'zDirect portal > Settings > API credentials (or your merchant profile): your merchant ID, a code like e2ad171a-6b52-4db0-8ae3-54709720458b.',
        kind: 'text',
        required: true,
        placeholder: 'e2ad171a-6b52-4db0-8ae3-54709720458b',
        check: (v) =>
          UUID.test(String(v).trim()) ? null : 'is a code like e2ad171a-6b52-4db0-8ae3-54709720458b',
      },
      {
        key: 'salesChannelIds',
        label: 'Sales channels',
        help: 'The Zalando countries you sell in: your stock goes to each of them. zDirect lists yours under Settings > Sales channels.',
        kind: 'multi',
        options: ZALANDO_SALES_CHANNELS,
        required: true,
        other: {
          label: 'Other sales channel ids',
          placeholder: 'a code like 01924c48-49bb-40c2-9c32-ab582e6db6f4',
        },
        check: (v) => {
          const bad = asList(v).find((s) => !UUID.test(s))
          return bad ? `"${bad}" is not a sales channel id (a code like 01924c48-49bb-…)` : null
        },
      },
      orderPollField,
    ],
  },
  kaufland: {
    address: 'environments',
    customAddress: { placeholder: 'https://…/v2' },
    intro: 'LastUnit uses the Kaufland Seller API with the API keys of your seller portal (Settings > API).',
    credentials: [
      {
        name: 'clientKey',
        label: 'Client key',
        help: 'Kaufland seller portal > Settings > API: the client key (letters and digits).',
        check: (v) =>
          /^[A-Za-z0-9]{16,64}$/.test(v)
            ? null
            : 'is 16 to 64 letters and digits (seller portal > Settings > API > client key)',
      },
      {
        name: 'secretKey',
        label: 'Secret key',
        help: 'Same place: the secret key that signs every request.',
      },
    ],
    settings: [
      {
        key: 'storefront',
        label: 'Storefront',
        help: 'The Kaufland country site whose listings get this stock. Add one channel per storefront.',
        kind: 'select',
        options: KAUFLAND_STOREFRONT_OPTIONS,
        required: true,
        initial: 'de',
      },
      orderPollField,
    ],
  },
  ebay: {
    address: 'environments',
    intro:
      'LastUnit uses eBay’s Sell APIs with the keys of an app in the eBay developer program and a user token of your seller account.',
    credentials: [
      {
        name: 'clientId',
        label: 'App ID (client ID)',
        help: 'developer.ebay.com > My Account > Application Keys, Production keyset: "App ID (Client ID)".',
      },
      {
        name: 'clientSecret',
        label: 'Cert ID (client secret)',
        help: 'Same keyset: "Cert ID (Client Secret)".',
      },
      {
        name: 'refreshToken',
        label: 'User refresh token',
        help: 'developer.ebay.com > User Tokens > "Get a Token from eBay via Your Application": sign in with your seller account and allow the sell.inventory and sell.fulfillment scopes; copy the refresh token (valid 18 months).',
      },
    ],
    settings: [
      {
        key: 'marketplaceId',
        label: 'eBay site',
        help: 'The eBay site your listings are on.',
        kind: 'select',
        options: EBAY_MARKETPLACES,
        required: true,
        initial: 'EBAY_DE',
        check: (v) => (/^EBAY_[A-Z_]+$/.test(String(v)) ? null : 'is an eBay site id like EBAY_DE'),
      },
      {
        key: 'contentLanguage',
        label: 'Listing language',
        help: 'The language of your listings on that site, e.g. de-DE. Leave empty for the site’s own language.',
        kind: 'text',
        required: false,
        placeholder: 'de-DE',
        check: (v) => (/^[a-z]{2}-[A-Z]{2}$/.test(String(v)) ? null : 'is a language like de-DE or en-GB'),
      },
      tokenUrlField('eBay’s own (<address>/identity/v1/oauth2/token)'),
      orderPollField,
    ],
  },
  shopify: {
    address: 'shop',
    intro:
      'LastUnit uses the Admin API of your shop with the access token of a custom app (Shopify admin > Settings > Apps and sales channels > Develop apps) or of an app from the Dev Dashboard.',
    credentials: [
      {
        name: 'accessToken',
        label: 'Admin API access token',
        help: 'Shopify admin > Settings > Apps and sales channels > Develop apps > your app > API credentials: "Admin API access token" (starts with shpat_, shown once). The app needs the scopes write_inventory, read_locations, read_orders and write_products.',
        placeholder: 'shpat_…',
      },
    ],
    settings: [
      {
        key: 'locationId',
        label: 'Stock location',
        help: 'The Shopify location whose stock LastUnit sets. Leave empty for your first active location; press "Load locations" to choose another.',
        kind: 'select',
        options: [],
        required: false,
        loadable: true,
        check: (v) =>
          /^gid:\/\/shopify\/Location\/\d+$/.test(String(v))
            ? null
            : 'is a location like gid://shopify/Location/123 (press "Load locations")',
      },
      {
        key: 'apiVersion',
        label: 'Admin API version',
        help: 'Leave empty: LastUnit uses the version it was built for.',
        kind: 'text',
        required: false,
        placeholder: '2026-04',
        check: (v) => (/^\d{4}-(01|04|07|10)$/.test(String(v)) ? null : 'looks like 2026-04'),
      },
      orderPollField,
    ],
  },
  woocommerce: {
    address: 'shop',
    intro:
      'LastUnit uses the WooCommerce REST API with a key you create in WordPress (WooCommerce > Settings > Advanced > REST API).',
    credentials: [
      {
        name: 'consumerKey',
        label: 'Consumer key',
        help: 'WordPress admin > WooCommerce > Settings > Advanced > REST API > Add key, with Read/Write permission: the consumer key (starts with ck_, shown once).',
        placeholder: 'ck_…',
        check: (v) =>
          /^ck_[0-9a-f]{40}$/.test(v)
            ? null
            : 'is ck_ followed by 40 letters and digits (copy the whole key)',
      },
      {
        name: 'consumerSecret',
        label: 'Consumer secret',
        help: 'Same page: the consumer secret (starts with cs_, shown once).',
        placeholder: 'cs_…',
        check: (v) =>
          /^cs_[0-9a-f]{40}$/.test(v)
            ? null
            : 'is cs_ followed by 40 letters and digits (copy the whole secret)',
      },
    ],
    settings: [
      {
        key: 'authMode',
        label: 'How the key is sent',
        help: 'Some hosts drop the Authorization header: if WooCommerce answers "consumer key is missing", choose "in the address".',
        kind: 'select',
        options: [
          { value: 'basic', label: 'Authorization header (recommended)' },
          { value: 'query', label: 'In the address (for hosts that drop the header; https only)' },
        ],
        required: false,
        initial: 'basic',
      },
      orderPollField,
    ],
  },
}

/** Labels of the fields every channel has, for messages that name them. */
export const COMMON_LABELS = {
  id: 'Short id',
  name: 'Name shown in LastUnit',
  environment: 'Environment',
  baseUrl: 'Custom address',
  shopAddress: 'Shop address',
  stockBasis: 'Stock that counts',
  zeroStockAction: 'When stock reaches 0',
  orderImport: 'Import orders into Odoo',
  odooPartnerId: 'Odoo customer for imported orders',
  odooWarehouseId: 'Odoo warehouse for imported orders',
  maxPublished: 'Show at most',
  zeroBelow: 'Show 0 below',
} as const

export const ODOO_LABELS = {
  url: 'Odoo address',
  database: 'Database',
  username: 'User (login e-mail)',
  apiKey: 'API key',
  allowInsecureHttp: 'Allow unencrypted http:// (only for a server on your own network)',
  transport: 'Protocol',
  pollIntervalMs: 'Check Odoo for changes every (seconds)',
  timeoutMs: 'Wait for an answer at most (seconds)',
} as const

/** The settings a channel uses in its environment. */
export const settingsFor = (type: ChannelType, env: ChannelEnvironment): readonly SettingField[] =>
  CHANNEL_SPECS[type].settings.filter((f) => !f.environments || f.environments.includes(env))

export const credentialLabel = (type: ChannelType, name: string): string =>
  CHANNEL_SPECS[type].credentials.find((c) => c.name === name)?.label ?? name

export const settingLabel = (type: ChannelType, key: string): string =>
  CHANNEL_SPECS[type].settings.find((s) => s.key === key)?.label ?? key

const isLocal = (host: string) => ['localhost', '127.0.0.1', '[::1]'].includes(host)

/**
 * The shop address as LastUnit stores it: https:// added when missing, a Shopify shop name completed to
 * its myshopify.com address, no trailing slash. Returns null when it cannot be an address.
 */
export function normaliseShopAddress(type: ChannelType, raw: string): string | null {
  let v = raw.trim()
  if (!v) return null
  if (type === 'shopify' && /^[a-z0-9][a-z0-9-]*$/i.test(v)) v = `${v}.myshopify.com`
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) v = `https://${v}`
  const u = parseWebAddress(v)
  if (!u) return null
  if (type === 'shopify') return u.origin
  return (u.origin + u.pathname).replace(/\/+$/, '')
}

export interface ValidateOptions {
  /** True when the credential is typed now or already stored. */
  hasCredential: (name: string) => boolean
  /** Every value the channel needs must be there (a test, "Save and test"); false for "Save anyway". */
  complete: boolean
}

/** Every problem of a channel form, each naming its field by the label the seller sees. */
export function validateChannelDraft(
  d: ChannelDraftLike,
  typed: Record<string, string>,
  opts: ValidateOptions,
): FieldProblem[] {
  const out: FieldProblem[] = []
  const add = (field: string, label: string, message: string) =>
    out.push({ field, message: `${label}: ${message}` })
  const spec = CHANNEL_SPECS[d.type]
  if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(d.id))
    add(
      'id',
      COMMON_LABELS.id,
      d.id
        ? 'use lower-case letters, digits and dashes only (up to 40), e.g. amazon-de'
        : 'choose one, e.g. amazon-de (lower-case letters, digits, dashes)',
    )
  if (d.name.length > 80) add('name', COMMON_LABELS.name, 'keep it under 80 characters')
  if (spec.address === 'shop') {
    const label = COMMON_LABELS.shopAddress
    if (!d.baseUrl.trim())
      add(
        'baseUrl',
        label,
        d.type === 'shopify'
          ? 'enter your shop’s address, e.g. https://myshop.myshopify.com'
          : 'enter your shop’s address, e.g. https://shop.example.com',
      )
    else {
      const url = normaliseShopAddress(d.type, d.baseUrl)
      if (!url) add('baseUrl', label, `"${d.baseUrl}" is not a web address`)
      else if (/\{[^}]*\}/.test(url))
        add('baseUrl', label, 'replace the placeholder with your shop’s address')
      else if (parseWebAddress(url)?.protocol === 'http:' && !isLocal(parseWebAddress(url)!.hostname))
        add(
          'baseUrl',
          label,
          'must start with https://: over http:// the key would travel unencrypted (only a shop on this computer may use http://)',
        )
    }
  } else if (d.environment === 'custom') {
    const url = d.baseUrl.trim()
    const p = url
      ? (urlProblem(url) ?? spec.customAddress?.check?.(url) ?? null)
      : 'enter the address (a proxy or a test server)'
    if (p) add('baseUrl', COMMON_LABELS.baseUrl, p)
  }
  if (!CHANNEL_ZERO_STOCK_ACTIONS[d.type].includes(d.zeroStockAction))
    add(
      'zeroStockAction',
      COMMON_LABELS.zeroStockAction,
      `${CHANNEL_LABELS[d.type]} can only show 0 (it has no pause)`,
    )
  for (const f of settingsFor(d.type, d.environment)) {
    const v = d.settings[f.key]
    const field = `settings.${f.key}`
    if (isEmptySetting(v)) {
      if (f.required && opts.complete)
        add(
          field,
          f.label,
          f.kind === 'text' ? 'enter it (where to find it is written below the field)' : 'choose one',
        )
      continue
    }
    if (f.kind === 'select' && f.options && f.options.length > 0 && !f.options.some((o) => o.value === v))
      add(field, f.label, `"${String(v)}" is not one of the choices`)
    const p = f.check?.(v!, d)
    if (p) add(field, f.label, p)
  }
  for (const c of spec.credentials) {
    const v = typed[c.name]
    const field = `credentials.${c.name}`
    if (v !== undefined && v !== '') {
      if (v.trim() !== v) add(field, c.label, 'remove the spaces before or after it')
      const p = c.check?.(v.trim())
      if (p) add(field, c.label, p)
    } else if (opts.complete && !opts.hasCredential(c.name))
      add(field, c.label, 'paste it (where to find it is written below the field)')
  }
  if (opts.complete && d.orderImport && d.odooPartnerId === null)
    add(
      'odooPartnerId',
      COMMON_LABELS.odooPartnerId,
      'choose the Odoo customer the orders are booked on, or switch order import off',
    )
  if (d.maxPublished !== null && d.zeroBelow !== null && d.zeroBelow > d.maxPublished)
    add(
      'zeroBelow',
      COMMON_LABELS.zeroBelow,
      `must not be above "${COMMON_LABELS.maxPublished}" (${d.maxPublished})`,
    )
  return out
}

/** Every problem of the Odoo form, each naming its field. */
export function validateOdooDraft(
  d: OdooDraftLike,
  apiKey: string,
  opts: { hasKey: boolean; complete: boolean },
): FieldProblem[] {
  const out: FieldProblem[] = []
  const add = (field: keyof typeof ODOO_LABELS, message: string) =>
    out.push({ field, message: `${ODOO_LABELS[field]}: ${message}` })
  const url = parseWebAddress(d.url.trim())
  if (!url)
    add(
      'url',
      !d.url.trim()
        ? 'enter the address you open Odoo with, e.g. https://mycompany.odoo.com'
        : /^https?:\/\//i.test(d.url.trim())
          ? `"${d.url}" is not a web address; use the one you open Odoo with, e.g. https://mycompany.odoo.com`
          : 'must start with https://, e.g. https://mycompany.odoo.com',
    )
  else if (url.protocol === 'http:' && !isLocal(url.hostname) && !d.allowInsecureHttp)
    add(
      'url',
      `${url.host} is reached over http:// without encryption, so your API key would travel in the clear. Use the https:// address, or, only for a server on your own network, tick "${ODOO_LABELS.allowInsecureHttp}".`,
    )
  if (!d.database.trim())
    add(
      'database',
      'enter the name of your Odoo database (shown on the Odoo login page, or in the address after ?db=)',
    )
  if (!d.username.trim()) add('username', 'enter the login of the Odoo user LastUnit works as')
  if (apiKey && apiKey.trim() !== apiKey) add('apiKey', 'remove the spaces before or after it')
  if (opts.complete && !apiKey && !opts.hasKey)
    add(
      'apiKey',
      'paste an API key: in Odoo, your avatar > Preferences (My Profile) > Account Security > New API Key',
    )
  return out
}
