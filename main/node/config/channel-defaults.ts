import type { ChannelEnvironment, ChannelType } from '../../../shared/channel-types'

// The production and sandbox base URLs of each channel's API (see docs/marketplaces.md). "custom" always
// comes with its own URL (a simulator, a proxy).
const BASE_URLS: Record<ChannelType, { production: string; sandbox: string }> = {
  amazon: {
    production: 'https://sellingpartnerapi-eu.amazon.com',
    sandbox: 'https://sandbox.sellingpartnerapi-eu.amazon.com',
  },
  bol: { production: 'https://api.bol.com', sandbox: 'https://api.bol.com' },
  zalando: {
    production: 'https://api.merchants.zalando.com',
    sandbox: 'https://api-sandbox.merchants.zalando.com',
  },
  kaufland: { production: 'https://sellerapi.kaufland.com/v2', sandbox: 'https://sellerapi.kaufland.com/v2' },
  ebay: { production: 'https://api.ebay.com', sandbox: 'https://api.sandbox.ebay.com' },
  shopify: { production: 'https://{shop}.myshopify.com', sandbox: 'https://{shop}.myshopify.com' },
  woocommerce: { production: 'https://{shop}', sandbox: 'https://{shop}' },
}

export const defaultBaseUrl = (type: ChannelType, env: ChannelEnvironment): string =>
  env === 'sandbox' ? BASE_URLS[type].sandbox : BASE_URLS[type].production
