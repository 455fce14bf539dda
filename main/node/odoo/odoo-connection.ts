// What LastUnit needs to reach one Odoo database, and the checks made before any byte leaves the
// machine (a key is never sent over plain HTTP to a host outside this machine unless the seller allows it).
import { ClassifiedError } from '../../core/errors'
import type { Clock } from '../../core/ports/clock'
import type { OdooHoldMemory } from './odoo-throttle'

export interface OdooConnectionConfig {
  /** Base URL as the seller opens Odoo in a browser, e.g. https://mycompany.odoo.com */
  url: string
  database: string
  login: string
  /** API key (or password, XML-RPC only). Never logged, never put in an error message. */
  secret: string
  /** 'auto' picks JSON-2 on 19+ and XML-RPC on 17-18 from the server version. */
  transport?: 'auto' | 'xmlrpc' | 'json2'
  allowInsecureHttp?: boolean
  /** Per-call timeout. */
  timeoutMs?: number
  /** Overlap window of the incremental poll (late commits up to this long are still seen). */
  pollOverlapMs?: number
  /** Rows per page for large reads. */
  pageSize?: number
  /** Language and time zone sent in the context (JSON-2 does not add the user's own). */
  lang?: string
  clock?: Clock
  /** Keeps a 429's hold beyond this process (the engine's database), so a restart honours it. */
  holdMemory?: OdooHoldMemory
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]'])

export const isLocalHost = (host: string): boolean =>
  LOCAL_HOSTS.has(host) || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host)

export const isOdooOnlineHost = (host: string): boolean => host === 'odoo.com' || host.endsWith('.odoo.com')

/** Normalises the base URL and refuses what cannot work or would leak the key. */
export function checkOdooUrl(raw: string, allowInsecureHttp = false): URL {
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    throw new ClassifiedError(
      'needs_seller',
      'odoo.bad_url',
      `The Odoo address "${raw}" is not a valid URL`,
      {
        hint: 'Enter the address you open Odoo with in the browser, e.g. https://mycompany.odoo.com',
      },
    )
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ClassifiedError(
      'needs_seller',
      'odoo.bad_url',
      `The Odoo address "${raw}" must start with https:// (or http:// for a server on this machine)`,
    )
  if (url.protocol === 'http:' && !isLocalHost(url.hostname) && !allowInsecureHttp)
    throw new ClassifiedError(
      'needs_seller',
      'odoo.insecure_http',
      `Refusing to send your Odoo API key over plain HTTP to ${url.host}: the connection is not encrypted`,
      {
        hint: 'Use the https:// address of your Odoo. Only for a server on your own network, allow insecure HTTP in the connection settings.',
      },
    )
  url.pathname = url.pathname.replace(/\/(web|odoo)(\/.*)?$/, '').replace(/\/+$/, '')
  url.search = ''
  url.hash = ''
  return url
}

export const DEFAULT_TIMEOUT_MS = 30_000

/** Absolute URL of an endpoint under the Odoo base address (which may carry a path prefix). */
export const endpoint = (base: URL, path: string): string =>
  `${base.origin}${base.pathname.replace(/\/+$/, '')}${path}`
