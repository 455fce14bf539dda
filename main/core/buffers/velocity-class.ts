// Sales velocity classes: slow < 5 sales/day, medium 5-20, fast > 20.
export type VelocityClass = 'slow' | 'medium' | 'fast'

export const VELOCITY_DEFAULT_BUFFER: Record<VelocityClass, number> = { slow: 0, medium: 1, fast: 2 }

export function velocityClass(salesPerDay: number): VelocityClass {
  if (!Number.isFinite(salesPerDay) || salesPerDay < 0)
    throw new RangeError(`salesPerDay must be a number >= 0, got ${salesPerDay}`)
  if (salesPerDay < 5) return 'slow'
  if (salesPerDay <= 20) return 'medium'
  return 'fast'
}
