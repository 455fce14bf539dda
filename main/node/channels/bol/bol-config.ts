// What a bol.com connection needs: the Retailer API base (production, demo, or any URL) and the API client
// credentials from the seller's account (Settings > API).
import { ClassifiedError } from '../../../core/errors'

/** The retailer API root; offers (v11) and orders (v10) hang below it, process status under /shared. */
export const BOL_BASE_URLS = {
  production: 'https://api.bol.com/retailer',
  sandbox: 'https://api.bol.com/retailer-demo',
} as const

export const BOL_TOKEN_URL = 'https://login.bol.com/token'

export interface BolCredentials {
  clientId: string
  clientSecret: string
}

export interface BolConfig {
  baseUrl: string
  /** Token endpoint; defaults to login.bol.com. */
  tokenUrl?: string
  credentials: BolCredentials
  /** The IAM role bol.com assumes to send ORDER events to the seller's queue ("Faster orders"). */
  queueRoleArn?: string
}

const bad = (what: string) =>
  new ClassifiedError('needs_seller', 'bol.config', `bol.com connection settings: ${what}`, {
    hint: 'Complete the bol.com connection in Connections.',
  })

export function checkBolConfig(c: BolConfig): void {
  for (const [name, value] of [
    ['baseUrl', c.baseUrl],
    ['tokenUrl', c.tokenUrl],
  ] as const) {
    if (value === undefined && name === 'tokenUrl') continue
    try {
      new URL(value ?? '')
    } catch {
      throw bad(`${name} "${value ?? ''}" is not a valid URL`)
    }
  }
  if (!/\/retailer(-demo)?\/?$/.test(new URL(c.baseUrl).pathname))
    throw bad(`baseUrl "${c.baseUrl}" must end in /retailer (or /retailer-demo for the demo environment)`)
  if (!c.credentials?.clientId?.trim()) throw bad('credentials.clientId is empty')
  if (!c.credentials.clientSecret?.trim()) throw bad('credentials.clientSecret is empty')
}

/** /retailer -> /shared, /retailer-demo -> /shared-demo: where process statuses live. */
export const sharedBaseOf = (baseUrl: string): string =>
  baseUrl
    .replace(/\/+$/, '')
    .replace(/\/retailer(-demo)?$/, (_m, demo: string | undefined) => `/shared${demo ?? ''}`)
