// The recommended buffer: the smallest b with P(Poisson(rate x window) > b) below the target risk,
// where the window is how long a sale can go unseen (detection + push latency).

export interface RecommendedBuffer {
  buffer: number
  /** P(more than `buffer` sales within one exposure window) with this buffer. */
  oversellRisk: number
  /** Expected sales within one window, rate x window. */
  expectedSalesInWindow: number
  /** Expected units the buffer withholds that would have sold in the window: E[min(X, b)]. */
  salesCostUnits: number
  explanation: string
}

const MAX_BUFFER = 1000

export function recommendedBuffer(
  salesPerDay: number,
  exposureWindowMs: number,
  targetRisk = 0.01,
): RecommendedBuffer {
  if (!Number.isFinite(salesPerDay) || salesPerDay < 0)
    throw new RangeError(`salesPerDay must be a number >= 0, got ${salesPerDay}`)
  if (!Number.isFinite(exposureWindowMs) || exposureWindowMs < 0)
    throw new RangeError(`exposureWindowMs must be a number >= 0, got ${exposureWindowMs}`)
  if (!(targetRisk > 0 && targetRisk < 1))
    throw new RangeError(`targetRisk must be between 0 and 1 (exclusive), got ${targetRisk}`)
  const lambda = (salesPerDay * exposureWindowMs) / 86_400_000
  // Walk the Poisson pmf: p(k) = e^-l l^k / k!, cdf(b) = sum p(0..b), tail = 1 - cdf.
  let p = Math.exp(-lambda)
  let cdf = p
  let partialMean = 0 // sum_{k<=b} k p(k)
  let b = 0
  while (1 - cdf >= targetRisk && b < MAX_BUFFER) {
    b++
    p = (p * lambda) / b
    cdf += p
    partialMean += b * p
  }
  const tail = Math.max(0, 1 - cdf)
  const cost = partialMean + b * tail
  const pct = (x: number) => `${(x * 100).toFixed(x < 0.001 ? 3 : 2)}%`
  return {
    buffer: b,
    oversellRisk: tail,
    expectedSalesInWindow: lambda,
    salesCostUnits: cost,
    explanation:
      `recommended buffer ${b}: ${salesPerDay}/day over a ${Math.round(exposureWindowMs / 1000)} s window ` +
      `expects ${lambda.toFixed(3)} sales; oversell risk ${pct(tail)} (target ${pct(targetRisk)}), ` +
      `withholds about ${cost.toFixed(3)} units per window`,
  }
}
