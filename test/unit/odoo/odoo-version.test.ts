// Version parsing, the per-version profile, UTC datetimes and the address checks.
import { describe, expect, it } from 'vitest'
import { formatOdooDatetime, parseOdooDatetime } from '../../../main/core/odoo/odoo-datetime'
import {
  checkSupportedVersion,
  parseServerVersion,
  versionProfile,
} from '../../../main/core/odoo/odoo-version'
import { clientOrderRefFor } from '../../../main/core/odoo/client-order-ref'
import { checkOdooUrl, isLocalHost, isOdooOnlineHost } from '../../../main/node/odoo/odoo-connection'

describe('Odoo versions', () => {
  it('reads on-premise and Odoo Online versions', () => {
    expect(parseServerVersion('18.0', [18, 0, 0, 'final', 0, ''])).toEqual({
      serverVersion: '18.0',
      major: 18,
      minor: 0,
    })
    expect(parseServerVersion('saas~18.3', ['saas~18', 3, 0, 'final', 0, ''])).toEqual({
      serverVersion: 'saas~18.3',
      major: 18,
      minor: 3,
    })
    expect(parseServerVersion('19.0+e', undefined)).toMatchObject({ major: 19, minor: 0 })
    expect(() => parseServerVersion(undefined, ['x'])).toThrow(/cannot read/)
  })

  it('refuses a server older than 17 with one sentence naming the supported versions', () => {
    const v16 = parseServerVersion('16.0', [16, 0, 0, 'final', 0, ''])
    expect(() => checkSupportedVersion(v16, 'erp.acme.eu')).toThrow(
      'LastUnit supports Odoo 17, 18 and 19; the server at erp.acme.eu runs Odoo 16.0. Upgrade Odoo to connect.',
    )
    for (const [label, info] of [
      ['17.0', [17, 0, 0, 'final', 0, '']],
      ['saas~18.3', ['saas~18', 3, 0, 'final', 0, '']],
      ['19.0', [19, 0, 0, 'final', 0, '']],
    ] as const) {
      const ok = parseServerVersion(label, info)
      expect(checkSupportedVersion(ok, 'h')).toBe(ok)
    }
  })

  it('keeps every version difference in one profile', () => {
    const v17 = versionProfile(17)
    const v18 = versionProfile(18)
    const v19 = versionProfile(19)
    expect([v17.preferredTransport, v18.preferredTransport, v19.preferredTransport]).toEqual([
      'xmlrpc',
      'xmlrpc',
      'json2',
    ])
    expect(v17.storableDomain).toEqual([['detailed_type', '=', 'product']])
    expect(v18.storableDomain).toEqual([['is_storable', '=', true]])
    expect(v17.warehouseContext(3)).toEqual({ warehouse: 3 })
    expect(v18.warehouseContext(3)).toEqual({ warehouse_id: 3 })
    expect([v18.groupedRead, v19.groupedRead]).toEqual(['read_group', 'formatted_read_group'])
  })
})

describe('datetimes and addresses', () => {
  it('formats and parses UTC, and names a bad value', () => {
    const ms = Date.UTC(2026, 10, 27, 3, 31, 49, 900)
    expect(formatOdooDatetime(ms)).toBe('2026-11-27 03:31:49')
    expect(parseOdooDatetime('2026-11-27 03:31:49')).toBe(ms - 900)
    expect(() => parseOdooDatetime('27/11/2026')).toThrow(/Not an Odoo datetime .* "27\/11\/2026"/)
  })

  it('local hosts, Odoo Online hosts, and normalised base URLs', () => {
    expect(isLocalHost('127.0.0.1') && isLocalHost('localhost') && isLocalHost('odoo.localhost')).toBe(true)
    expect(isLocalHost('192.168.1.10')).toBe(false)
    expect(isOdooOnlineHost('acme.odoo.com')).toBe(true)
    expect(isOdooOnlineHost('odoo.acme.com')).toBe(false)
    expect(checkOdooUrl('https://acme.odoo.com/odoo/action-123?debug=1').href).toBe('https://acme.odoo.com/')
    expect(checkOdooUrl('https://erp.acme.eu/prefix/web/login').href).toBe('https://erp.acme.eu/prefix')
    expect(() => checkOdooUrl('ftp://acme.eu')).toThrow(/must start with https:\/\//)
    expect(clientOrderRefFor('amazon', '111-2')).toBe('amazon:111-2')
  })
})
