// The fault campaign's faults: every kind it injects, the simulator settings that inject it, a schedule that
// gives every kind at least one episode before any kind gets a second, and the count of what each kind
// actually did, read from the simulators (requests that got the fault, requests refused for an ended
// token), never from what was scheduled. A kind that hit no request counts 0 and the campaign fails on it.
import type { FaultConfig } from '../http/fault-injection'
import type { SimServer } from '../http/sim-server'

/** Faults injected on a channel simulator. */
export const CHANNEL_FAULT_KINDS = [
  'latency_spike',
  'throttle_storm',
  'server_error',
  'timeout',
  'malformed',
  'truncated',
  'response_lost',
  'down',
  'token_expired',
] as const

/** Faults injected on the Odoo simulator. */
export const ODOO_FAULT_KINDS = [
  'odoo_latency_spike',
  'odoo_throttle_storm',
  'odoo_error',
  'odoo_timeout',
  'odoo_malformed',
  'odoo_truncated',
  'odoo_response_lost',
  'odoo_down',
] as const

export type ChannelFaultKind = (typeof CHANNEL_FAULT_KINDS)[number]
export type OdooFaultKind = (typeof ODOO_FAULT_KINDS)[number]
export type FaultKind = ChannelFaultKind | OdooFaultKind

/** Every kind the campaign lists (and must inject). */
export const FAULT_KINDS: readonly FaultKind[] = [...CHANNEL_FAULT_KINDS, ...ODOO_FAULT_KINDS]

/** The simulator's counter (sim-server faultCounts) a server-side kind is seen in. */
const HIT_COUNTER: Record<Exclude<FaultKind, 'token_expired'>, string> = {
  latency_spike: 'latency',
  throttle_storm: 'throttle_storm',
  server_error: 'error',
  timeout: 'hang',
  malformed: 'malformed',
  truncated: 'truncated',
  response_lost: 'dropped',
  down: 'down',
  odoo_latency_spike: 'latency',
  odoo_throttle_storm: 'throttle_storm',
  odoo_error: 'error',
  odoo_timeout: 'hang',
  odoo_malformed: 'malformed',
  odoo_truncated: 'truncated',
  odoo_response_lost: 'dropped',
  odoo_down: 'down',
}

/** The simulator settings of one episode of `kind`; null for an expiry (the probe ends the tokens). */
export function faultConfigFor(kind: FaultKind, rnd: () => number): FaultConfig | null {
  switch (kind) {
    case 'latency_spike':
    case 'odoo_latency_spike':
      return { latencyMs: [500, 4000] }
    case 'throttle_storm':
    case 'odoo_throttle_storm':
      return { throttleStorm: { retryAfterMs: 1000 + Math.floor(rnd() * 4000) } }
    case 'server_error':
    case 'odoo_error':
      return { errorRate: 0.3 }
    case 'timeout':
    case 'odoo_timeout':
      return { hangRate: 0.15 }
    case 'malformed':
    case 'odoo_malformed':
      return { malformedRate: 0.3 }
    case 'truncated':
    case 'odoo_truncated':
      return { truncateRate: 0.3 }
    case 'response_lost':
    case 'odoo_response_lost':
      return { dropAfterRate: 0.2 }
    case 'down':
    case 'odoo_down':
      return { down: true, downMode: rnd() < 0.5 ? '503' : 'reset' }
    case 'token_expired':
      return null
  }
}

export interface FaultEpisode {
  /** 'odoo' or a channel's name. */
  target: string
  kind: FaultKind
}

/**
 * Which fault comes next, and where: every kind once (in a shuffled order) before any kind twice; then a
 * kind that has not hit a request yet (`hitsSoFar`: an episode while the engine was down hits nothing),
 * else at random (Odoo 30% of the time). Channel kinds go to a random channel; an expiry only to a channel
 * whose tokens expire (`tokenChannels`). `busy` targets (an episode running there) are skipped.
 */
export class FaultSchedule {
  private readonly firstRound: FaultKind[]

  constructor(
    private readonly rnd: () => number,
    private readonly channels: readonly string[],
    private readonly tokenChannels: readonly string[],
  ) {
    if (channels.length === 0) throw new RangeError('FaultSchedule: no channels to inject faults into')
    if (tokenChannels.length === 0)
      throw new RangeError(
        'FaultSchedule: no channel with expiring tokens (token_expired cannot be injected)',
      )
    this.firstRound = [...FAULT_KINDS].sort(() => rnd() - 0.5)
  }

  /** The next episode, or null when every target it could pick is busy now. */
  next(busy: ReadonlySet<string>, hitsSoFar?: Readonly<Record<FaultKind, number>>): FaultEpisode | null {
    const pick = <T>(xs: readonly T[]): T | undefined => xs[Math.floor(this.rnd() * xs.length)]
    const targetFor = (kind: FaultKind): string | undefined => {
      if (kind.startsWith('odoo_')) return busy.has('odoo') ? undefined : 'odoo'
      const pool = kind === 'token_expired' ? this.tokenChannels : this.channels
      return pick(pool.filter((c) => !busy.has(c)))
    }
    // The first round: the first kind whose target is free now.
    for (let i = 0; i < this.firstRound.length; i++) {
      const kind = this.firstRound[i]!
      const target = targetFor(kind)
      if (target === undefined) continue
      this.firstRound.splice(i, 1)
      return { target, kind }
    }
    const missing = hitsSoFar ? FAULT_KINDS.filter((k) => hitsSoFar[k] === 0) : []
    for (const kind of missing.length > 0 && this.rnd() < 0.5 ? missing : []) {
      const target = targetFor(kind)
      if (target !== undefined) return { target, kind }
    }
    const kind = this.rnd() < 0.3 ? pick(ODOO_FAULT_KINDS)! : pick(CHANNEL_FAULT_KINDS)!
    const target = targetFor(kind)
    return target === undefined ? null : { target, kind }
  }

  /** Kinds that have not had their first episode yet. */
  get unscheduled(): readonly FaultKind[] {
    return this.firstRound
  }
}

/**
 * What each kind did, read from the simulators: requests that got the fault (per server counter, channel
 * kinds summed over the channel servers) and requests refused for a token an expiry ended.
 */
export function injectedCounts(
  odoo: Pick<SimServer, 'faultCounts'>,
  channels: ReadonlyArray<Pick<SimServer, 'faultCounts'>>,
  endedTokenRefusals: number,
): Record<FaultKind, number> {
  const out = {} as Record<FaultKind, number>
  for (const kind of FAULT_KINDS) {
    if (kind === 'token_expired') {
      out[kind] = endedTokenRefusals
      continue
    }
    const counter = HIT_COUNTER[kind]
    out[kind] = kind.startsWith('odoo_')
      ? (odoo.faultCounts[counter] ?? 0)
      : channels.reduce((n, s) => n + (s.faultCounts[counter] ?? 0), 0)
  }
  return out
}
