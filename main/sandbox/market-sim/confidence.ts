// Mean and a 95% confidence interval over seeds (Student's t, since 20-odd seeds is a small sample).

export interface Estimate {
  mean: number
  /** Half-width of the 95% interval: mean +- halfWidth. */
  halfWidth: number
  n: number
}

// Two-sided 95% t quantiles for 1..30 degrees of freedom; beyond 30 the normal 1.96 is close enough.
const T95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
]

export function tQuantile95(df: number): number {
  if (df < 1) return Infinity
  return T95[df - 1] ?? 1.96
}

export function estimate(values: readonly number[]): Estimate {
  const n = values.length
  if (n === 0) return { mean: 0, halfWidth: 0, n }
  const mean = values.reduce((a, b) => a + b, 0) / n
  if (n === 1) return { mean, halfWidth: Infinity, n }
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)
  return { mean, halfWidth: tQuantile95(n - 1) * Math.sqrt(variance / n), n }
}
