// Engine defaults, and the check of options a host passes in.
import { DEFAULT_BACKOFF } from '../../core/sync/backoff'
import { DEFAULT_GUARD } from '../../core/sync/first-push-guard'
import type { EngineOptions } from './engine-types'

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = {
  pollIntervalMs: 5000,
  lateCommitSweepMs: 75_000,
  catalogueRefreshMs: 3_600_000,
  fullRecomputeSchedule: '*/10 * * * *',
  reconcileSchedule: '0 * * * *',
  orderPollIntervalMs: null,
  orderOverlapMs: 60_000,
  orderLookbackMs: 24 * 3_600_000,
  blockAfter: 3,
  backoff: DEFAULT_BACKOFF,
  confirmIntervalMs: 2000,
  recheckIntervalMs: 5000,
  lateWriteWindowMs: 30_000,
  drainTimeoutMs: 10_000,
  logRetentionDays: 30,
  logMaxRows: 500_000,
  salesHistoryDays: 30,
  firstPushGuard: true,
  guard: DEFAULT_GUARD,
  random: Math.random,
  today: null,
}

const positive = [
  'pollIntervalMs',
  'lateCommitSweepMs',
  'catalogueRefreshMs',
  'confirmIntervalMs',
  'recheckIntervalMs',
  'lateWriteWindowMs',
  'blockAfter',
  'salesHistoryDays',
  'logMaxRows',
] as const
const nonNegative = ['orderOverlapMs', 'orderLookbackMs', 'drainTimeoutMs', 'logRetentionDays'] as const

export function resolveEngineOptions(given: Partial<EngineOptions> = {}): EngineOptions {
  for (const [k, v] of Object.entries(given))
    if (!(k in DEFAULT_ENGINE_OPTIONS))
      throw new RangeError(`engine option "${k}" is unknown (value ${String(v)})`)
  const o: EngineOptions = { ...DEFAULT_ENGINE_OPTIONS, ...given }
  for (const k of positive)
    if (!(typeof o[k] === 'number' && Number.isFinite(o[k]) && o[k] > 0))
      throw new RangeError(`engine option ${k} must be a number > 0, got ${String(o[k])}`)
  for (const k of nonNegative)
    if (!(typeof o[k] === 'number' && Number.isFinite(o[k]) && o[k] >= 0))
      throw new RangeError(`engine option ${k} must be a number >= 0, got ${String(o[k])}`)
  if (o.orderPollIntervalMs !== null && !(o.orderPollIntervalMs > 0))
    throw new RangeError(
      `engine option orderPollIntervalMs must be > 0 or null, got ${String(o.orderPollIntervalMs)}`,
    )
  return o
}
