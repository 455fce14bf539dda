// What a run counts: demand (orders and units), accepted orders, oversells (orders accepted that cannot
// ship whole: each is one cancellation) and lost sales (units refused while they were actually free), for
// normal days and the peak day apart.
import type { StrategyName } from './strategy'

export interface PeriodMetrics {
  /** Orders buyers tried to place. */
  demand: number
  /** Units in those orders. */
  demandUnits: number
  accepted: number
  oversells: number
  refused: number
  /** Units in the refused orders. */
  refusedUnits: number
  /** Units refused while that many were physically free. */
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
  demandUnits: 0,
  accepted: 0,
  oversells: 0,
  refused: 0,
  refusedUnits: 0,
  lostSales: 0,
  sellOuts: 0,
})

export function sumPeriods(a: PeriodMetrics, b: PeriodMetrics): PeriodMetrics {
  return {
    demand: a.demand + b.demand,
    demandUnits: a.demandUnits + b.demandUnits,
    accepted: a.accepted + b.accepted,
    oversells: a.oversells + b.oversells,
    refused: a.refused + b.refused,
    refusedUnits: a.refusedUnits + b.refusedUnits,
    lostSales: a.lostSales + b.lostSales,
    sellOuts: a.sellOuts + b.sellOuts,
  }
}

export const oversellsPer1000 = (m: PeriodMetrics): number =>
  m.accepted > 0 ? (m.oversells / m.accepted) * 1000 : 0

/** Lost units as a share of the units buyers asked for. */
export const lostSalesPct = (m: PeriodMetrics): number =>
  m.demandUnits > 0 ? (m.lostSales / m.demandUnits) * 100 : 0
