// What a run counts: demand, accepted orders, oversells (accepted with no unit left to ship) and lost
// sales (refused while a unit was actually free), for normal days and the peak day apart.
import type { StrategyName } from './strategy'

export interface PeriodMetrics {
  demand: number
  accepted: number
  oversells: number
  refused: number
  lostSales: number
  /** Times the last physical unit was sold: the moments a buffer exists for. */
  sellOuts: number
}

export interface RunMetrics {
  strategy: StrategyName
  seed: number
  normal: PeriodMetrics
  peak: PeriodMetrics
  pushes: number
  /** Where the oversells happened: channel id to count. */
  oversellsByChannel: Record<string, number>
}

export const emptyPeriod = (): PeriodMetrics => ({
  demand: 0,
  accepted: 0,
  oversells: 0,
  refused: 0,
  lostSales: 0,
  sellOuts: 0,
})

export function sumPeriods(a: PeriodMetrics, b: PeriodMetrics): PeriodMetrics {
  return {
    demand: a.demand + b.demand,
    accepted: a.accepted + b.accepted,
    oversells: a.oversells + b.oversells,
    refused: a.refused + b.refused,
    lostSales: a.lostSales + b.lostSales,
    sellOuts: a.sellOuts + b.sellOuts,
  }
}

export const oversellsPer1000 = (m: PeriodMetrics): number =>
  m.accepted > 0 ? (m.oversells / m.accepted) * 1000 : 0

export const lostSalesPct = (m: PeriodMetrics): number => (m.demand > 0 ? (m.lostSales / m.demand) * 100 : 0)
