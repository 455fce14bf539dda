// Every difference between Odoo versions that LastUnit depends on lives here, so the gateways branch on
// one profile instead of sprinkling version checks.
import { ClassifiedError } from '../errors'
import type { OdooServerInfo, OdooTransport } from '../ports/odoo-gateway'

export type OdooDomain = unknown[]

export interface OdooVersionProfile {
  major: number
  /** The transport to use when the seller did not force one: JSON-2 from 19, XML-RPC before. */
  preferredTransport: OdooTransport
  /** Domain on product.product that selects storable products. */
  storableDomain: OdooDomain
  /** Context that restricts quantity fields to one warehouse. 17 uses `warehouse`, 18 ignores it. */
  warehouseContext(warehouseId: number): Record<string, unknown>
  /** 19 deprecates read_group in favour of formatted_read_group (absent before 19). */
  groupedRead: 'read_group' | 'formatted_read_group'
}

export function versionProfile(major: number): OdooVersionProfile {
  const from18 = major >= 18
  return {
    major,
    preferredTransport: major >= 19 ? 'json2' : 'xmlrpc',
    storableDomain: from18 ? [['is_storable', '=', true]] : [['detailed_type', '=', 'product']],
    warehouseContext: (id) => (from18 ? { warehouse_id: id } : { warehouse: id }),
    groupedRead: major >= 19 ? 'formatted_read_group' : 'read_group',
  }
}

/**
 * Reads `server_version` and `server_version_info` as Odoo answers them: `[18, 0, 0, 'final', 0, '']`
 * on-premise, `['saas~18', 3, 0, 'final', 0, '']` with server_version "saas~18.3" on Odoo Online.
 */
export function parseServerVersion(serverVersion: unknown, info: unknown): OdooServerInfo {
  const arr = Array.isArray(info) ? info : []
  const head = arr[0]
  let major = typeof head === 'number' ? head : Number.NaN
  if (typeof head === 'string') major = Number(/(\d+)$/.exec(head)?.[1] ?? Number.NaN)
  const minor = typeof arr[1] === 'number' ? arr[1] : 0
  const label = typeof serverVersion === 'string' ? serverVersion : ''
  if (!Number.isFinite(major)) {
    const m = /(\d+)\.(\d+)/.exec(label)
    if (m) return { serverVersion: label, major: Number(m[1]), minor: Number(m[2]) }
    throw new Error(
      `Odoo answered a version this client cannot read (server_version ${JSON.stringify(serverVersion)})`,
    )
  }
  return { serverVersion: label || `${major}.${minor}`, major, minor }
}

/**
 * The oldest Odoo LastUnit talks to. 16 is out of its publisher's support, and the change poll reads
 * stock.move.quantity, which exists from 17 on.
 */
export const SUPPORTED_MAJOR_MIN = 17

/** The versions LastUnit is built and tested against, in words for the seller. */
export const SUPPORTED_VERSIONS_TEXT = 'Odoo 17, 18 and 19'

/** Refuses a server older than 17 with one plain sentence; returns the info unchanged otherwise. */
export function checkSupportedVersion(info: OdooServerInfo, host: string): OdooServerInfo {
  if (info.major >= SUPPORTED_MAJOR_MIN) return info
  throw new ClassifiedError(
    'permanent',
    'odoo.unsupported_version',
    `LastUnit supports ${SUPPORTED_VERSIONS_TEXT}; the server at ${host} runs Odoo ${info.serverVersion}. Upgrade Odoo to connect.`,
  )
}
