// Every strategy on every seed, the same demand for all strategies of a seed, summarised with 95%
// confidence intervals over seeds.
import { estimate, type Estimate } from './confidence'
import { generateDemand } from './demand'
import {
  emptyPeriod,
  lostSalesPct,
  oversellsPer1000,
  sumPeriods,
  type PeriodMetrics,
  type RunMetrics,
} from './metrics'
import type { Scenario } from './scenario'
import { simulate } from './simulate'
import type { Strategy, StrategyName } from './strategy'

export interface StrategySummary {
  name: StrategyName
  label: string
  oversellsPer1000: Estimate
  lostSalesPct: Estimate
  peakOversellsPer1000: Estimate
  peakLostSalesPct: Estimate
  /** Lost sales in units per seed (whole run). */
  lostSalesUnits: Estimate
  /** Everything summed over seeds. */
  totals: PeriodMetrics
  peakTotals: PeriodMetrics
  pushesPerSeed: number
  /** Oversells per channel, summed over seeds. */
  oversellsByChannel: Record<string, number>
}

export interface MarketResult {
  seeds: number[]
  summaries: StrategySummary[]
  runs: RunMetrics[]
}

export function runMarket(
  scenario: Scenario,
  seeds: readonly number[],
  strategies: readonly Strategy[],
  onSeedDone?: (seed: number) => void,
): MarketResult {
  const runs: RunMetrics[] = []
  for (const seed of seeds) {
    const demand = generateDemand(scenario, seed)
    for (const s of strategies) runs.push(simulate(scenario, s, seed, demand))
    onSeedDone?.(seed)
  }
  const summaries = strategies.map((s): StrategySummary => {
    const mine = runs.filter((r) => r.strategy === s.name)
    const all = mine.map((r) => sumPeriods(r.normal, r.peak))
    return {
      name: s.name,
      label: s.label,
      oversellsPer1000: estimate(all.map(oversellsPer1000)),
      lostSalesPct: estimate(all.map(lostSalesPct)),
      peakOversellsPer1000: estimate(mine.map((r) => oversellsPer1000(r.peak))),
      peakLostSalesPct: estimate(mine.map((r) => lostSalesPct(r.peak))),
      lostSalesUnits: estimate(all.map((m) => m.lostSales)),
      totals: all.reduce(sumPeriods, emptyPeriod()),
      peakTotals: mine.map((r) => r.peak).reduce(sumPeriods, emptyPeriod()),
      pushesPerSeed: mine.reduce((a, r) => a + r.pushes, 0) / Math.max(1, mine.length),
      oversellsByChannel: mine.reduce<Record<string, number>>((acc, r) => {
        for (const [id, n] of Object.entries(r.oversellsByChannel)) acc[id] = (acc[id] ?? 0) + n
        return acc
      }, {}),
    }
  })
  return { seeds: [...seeds], summaries, runs }
}

export interface BenchmarkLine {
  seeds: number
  strategies: Record<string, { oversells_per_1000: number; lost_sales_pct: number }>
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits

/** The benchmark's last line: the mean over seeds of each strategy's rates. */
export function benchmarkLine(result: MarketResult): BenchmarkLine {
  const strategies: BenchmarkLine['strategies'] = {}
  for (const s of result.summaries)
    strategies[s.name] = {
      oversells_per_1000: round(s.oversellsPer1000.mean),
      lost_sales_pct: round(s.lostSalesPct.mean),
    }
  return { seeds: result.seeds.length, strategies }
}
