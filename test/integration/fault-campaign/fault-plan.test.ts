// The fault campaign's honesty about faults: every kind it lists is scheduled at least once, each kind's
// settings make a real simulator server apply that fault to requests, and what is reported is what the
// servers counted (requests hit), so a fault switched on while no request came counts nothing.
import { request } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { TokenStore } from '../../../main/sandbox/kit'
import { startSimServer, type SimServer } from '../../../main/sandbox/http/sim-server'
import {
  CHANNEL_FAULT_KINDS,
  FAULT_KINDS,
  FaultSchedule,
  faultConfigFor,
  injectedCounts,
  ODOO_FAULT_KINDS,
  type FaultKind,
} from '../../../main/sandbox/fault-campaign/fault-plan'

const servers: SimServer[] = []
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop()
})

const start = async () => {
  // random() = 0: every rate-based fault applies to every request, latency is its minimum.
  const s = await startSimServer({
    name: 'test',
    random: () => 0,
    routes: [{ method: 'GET', pattern: '/x', handler: () => ({ status: 200, body: { ok: true } }) }],
  })
  servers.push(s)
  return s
}

/** One GET, settled within `ms` whatever happens to it (a hung request is given up). */
const hit = (url: string, ms = 1500): Promise<void> =>
  new Promise((resolve) => {
    const req = request(`${url}/x`, { agent: false, timeout: ms }, (res) => {
      res.resume()
      res.on('end', () => resolve())
      res.on('error', () => resolve())
    })
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve())
    req.on('close', () => resolve())
    req.end()
  })

/** A seeded random in [0, 1). */
const seeded = (seed: number) => () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646

describe('fault plan', () => {
  it('schedules every kind it lists once before any kind twice', () => {
    const schedule = new FaultSchedule(seeded(7), ['amazon', 'bol', 'woocommerce'], ['amazon'])
    const first: FaultKind[] = []
    for (let i = 0; i < FAULT_KINDS.length; i++) first.push(schedule.next(new Set())!.kind)
    expect(new Set(first)).toEqual(new Set(FAULT_KINDS))
    expect(schedule.unscheduled).toEqual([])
    // An expiry goes only where tokens expire; a busy target is skipped.
    for (let i = 0; i < 200; i++) {
      const e = schedule.next(new Set(['odoo', 'bol']))
      if (!e) continue
      expect(e.target).not.toBe('odoo')
      expect(e.target).not.toBe('bol')
      if (e.kind === 'token_expired') expect(e.target).toBe('amazon')
    }
  })

  it('each kind applied to a simulator server is counted under that kind, from the requests it hit', async () => {
    const odoo = await start()
    const channel = await start()
    const other = await start()
    for (const kind of FAULT_KINDS) {
      if (kind === 'token_expired') continue
      const target = kind.startsWith('odoo_') ? odoo : channel
      target.faults = faultConfigFor(kind, () => 0)!
      await hit(target.url)
      target.faults = {}
    }
    // Faults switched on with no request meanwhile count nothing.
    other.faults = faultConfigFor('server_error', () => 0)!
    other.faults = {}
    expect(Object.values(other.faultCounts).every((n) => n === 0)).toBe(true)
    const tokens = new TokenStore({ now: () => 1000 })
    tokens.issue('t1', 60)
    tokens.expireAll()
    expect(tokens.check('t1')).toBe('expired')
    const counts = injectedCounts(odoo, [channel, other], tokens.endedTokenRefusals)
    expect(Object.keys(counts).sort()).toEqual([...FAULT_KINDS].sort())
    for (const kind of FAULT_KINDS) expect(counts[kind], kind).toBeGreaterThan(0)
    // Channel kinds are not counted from the Odoo server, nor Odoo's from the channels.
    expect(injectedCounts(odoo, [], 0).server_error).toBe(0)
    expect(injectedCounts(channel, [], 0).odoo_error).toBe(1)
    expect(CHANNEL_FAULT_KINDS.length + ODOO_FAULT_KINDS.length).toBe(FAULT_KINDS.length)
  }, 30_000)

  it('an ended token counts only when a request presents it', () => {
    const tokens = new TokenStore({ now: () => 1000 })
    tokens.issue('a', 60)
    tokens.forgetAll()
    expect(tokens.endedTokenRefusals).toBe(0)
    expect(tokens.check('a')).toBe('unknown')
    expect(tokens.check('never-issued')).toBe('unknown')
    expect(tokens.endedTokenRefusals).toBe(1)
  })
})

describe('fault plan after the first round', () => {
  it('comes back to a kind that has hit no request yet', () => {
    const schedule = new FaultSchedule(seeded(3), ['amazon', 'bol'], ['bol'])
    for (let i = 0; i < FAULT_KINDS.length; i++) schedule.next(new Set())
    const hits = Object.fromEntries(FAULT_KINDS.map((k) => [k, k === 'odoo_truncated' ? 0 : 5])) as Record<
      FaultKind,
      number
    >
    const next = Array.from({ length: 40 }, () => schedule.next(new Set(), hits)!.kind)
    expect(next.filter((k) => k === 'odoo_truncated').length).toBeGreaterThanOrEqual(10)
  })
})
