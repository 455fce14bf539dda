// Credentials are bound to the address they were entered for. A stored token is only ever sent to the
// host it was typed for: moving a channel (its API address or its login address) or Odoo to another host
// clears what is stored, and the seller enters it again. An unencrypted http:// address is refused unless
// it is on this computer (a simulator, a local proxy), for every channel as for Odoo.
import { parseWebAddress } from './channel-fields'

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/** True for an address on this computer. */
export const isLocalHost = (hostname: string): boolean => LOCAL_HOSTS.has(hostname.toLowerCase())

/**
 * What is wrong with sending credentials to an address: http:// to another computer. Null when it is
 * https://, or http:// on this computer, or not an address at all (other checks report that).
 */
export function insecureAddressProblem(url: string): string | null {
  const u = parseWebAddress(url.trim())
  if (!u || u.protocol !== 'http:' || isLocalHost(u.hostname)) return null
  return `uses http:// to ${u.host}: the credentials would travel unencrypted. Use its https:// address (only a server on this computer may use http://)`
}

const originOf = (url: string): string => parseWebAddress(url.trim())?.origin ?? url.trim().toLowerCase()

/** Where a channel's credentials go: its API address's origin and, when one is set, its login address's. */
export function channelCredentialAddress(c: {
  baseUrl: string
  settings: Readonly<Record<string, unknown>>
}): string {
  const token = c.settings.tokenUrl
  const parts = [originOf(c.baseUrl)]
  if (typeof token === 'string' && token.trim() !== '') parts.push(`login ${originOf(token)}`)
  return parts.join(', ')
}

/** True when credentials stored for `before` would be sent to another host under `after`. */
export const channelAddressChanged = (
  before: { baseUrl: string; settings: Readonly<Record<string, unknown>> },
  after: { baseUrl: string; settings: Readonly<Record<string, unknown>> },
): boolean => channelCredentialAddress(before) !== channelCredentialAddress(after)

/** True when Odoo's stored API key would be sent to another host. */
export const odooAddressChanged = (beforeUrl: string, afterUrl: string): boolean =>
  originOf(beforeUrl) !== originOf(afterUrl)

/** The sentence that tells the seller why stored credentials were cleared. */
export const credentialsClearedNote = (what: string, address: string): string =>
  `The stored credentials of ${what} were cleared: they were entered for another address and are never sent to ${address}. Enter them again for the new address.`
