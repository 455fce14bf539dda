import type { ChannelEnvironment, ChannelType } from '../../../shared/channel-types'
import { AMAZON_BASE_URLS } from '../channels/amazon'
import { BOL_BASE_URLS } from '../channels/bol'
import { EBAY_BASE_URLS } from '../channels/ebay'
import { KAUFLAND_BASE_URLS } from '../channels/kaufland'
import { ZALANDO_BASE_URLS } from '../channels/zalando'
import { SHOPIFY_BASE_URLS } from '../channels/shopify'
import { WOOCOMMERCE_BASE_URLS } from '../channels/woocommerce'

// Each adapter owns its production and sandbox URLs; this picks one per environment. Shopify and
// WooCommerce have no shared host: the seller's shop address replaces the placeholder ("custom").
const BASE_URLS: Record<ChannelType, { production: string; sandbox: string }> = {
  amazon: AMAZON_BASE_URLS,
  bol: BOL_BASE_URLS,
  zalando: ZALANDO_BASE_URLS,
  kaufland: { production: KAUFLAND_BASE_URLS.production, sandbox: KAUFLAND_BASE_URLS.playground },
  ebay: EBAY_BASE_URLS,
  shopify: { production: SHOPIFY_BASE_URLS.production, sandbox: SHOPIFY_BASE_URLS.production },
  woocommerce: { production: WOOCOMMERCE_BASE_URLS.production, sandbox: WOOCOMMERCE_BASE_URLS.production },
}

/** Amazon's SP-API has one endpoint per region (setting "region": eu, na or fe; Europe by default). */
const amazonBaseUrl = (env: ChannelEnvironment, region: unknown): string => {
  const r = region === 'na' || region === 'fe' ? region : 'eu'
  const eu = env === 'sandbox' ? AMAZON_BASE_URLS.sandbox : AMAZON_BASE_URLS.production
  return eu.replace('-eu.', `-${r}.`)
}

export const defaultBaseUrl = (
  type: ChannelType,
  env: ChannelEnvironment,
  settings: Readonly<Record<string, unknown>> = {},
): string =>
  type === 'amazon'
    ? amazonBaseUrl(env, settings.region)
    : env === 'sandbox'
      ? BASE_URLS[type].sandbox
      : BASE_URLS[type].production

/** True when the base URL still holds a placeholder the seller must fill in (their shop's address). */
export const hasPlaceholder = (url: string): boolean => /\{[^}]+\}/.test(url)
