// Odoo's own float rounding (odoo/tools/float_utils.py, identical in 18.0 and 19.0), ported so that figures
// LastUnit derives the way Odoo does (a kit's availability) round exactly as Odoo rounds them: the value is
// normalised by the precision, nudged by an epsilon scaled to its magnitude, rounded, then denormalised.

export type RoundingMethod = 'HALF-UP' | 'UP' | 'DOWN'

// float_invert's table: exact inverses of the usual precisions.
const INVERT = new Map<number, number>([
  [1e-1, 1e1], [1e-2, 1e2], [1e-3, 1e3], [1e-4, 1e4], [1e-5, 1e5],
  [1e-6, 1e6], [1e-7, 1e7], [1e-8, 1e8], [1e-9, 1e9], [1e-10, 1e10],
  [2e-1, 5e0], [2e-2, 5e1], [2e-3, 5e2], [2e-4, 5e3], [2e-5, 5e4],
  [2e-6, 5e5], [2e-7, 5e6], [2e-8, 5e7], [2e-9, 5e8], [2e-10, 5e9],
  [5e-1, 2e0], [5e-2, 2e1], [5e-3, 2e2], [5e-4, 2e3], [5e-5, 2e4],
  [5e-6, 2e5], [5e-7, 2e6], [5e-8, 2e7], [5e-9, 2e8], [5e-10, 2e9],
]) // prettier-ignore

/** `float_invert`: 1 / value with the coefficient and exponent inverted apart (fewer rounding errors). */
export function floatInvert(value: number): number {
  const known = INVERT.get(value)
  if (known !== undefined) return known
  // Python's f'{value:.15e}' and toExponential(15) both give the correctly rounded 16 significant digits.
  const [coefficient, exponent] = value.toExponential(15).split('e') as [string, string]
  return Number(`${coefficient}e${-Number(exponent)}`) / Number(coefficient) ** 2
}

/** Python 2's round (half away from zero), as Odoo's float_utils shims it on Python 3. */
const roundHalfAway = (f: number): number => Math.sign(f) * Math.round(Math.abs(f))

/**
 * `float_round(value, precision_rounding=precision, rounding_method=method)`. `precision` is the step
 * (0.01 for two decimals), as Odoo's units of measure carry it in `rounding`.
 */
export function floatRound(value: number, precision: number, method: RoundingMethod = 'HALF-UP'): number {
  if (!(precision > 0)) throw new RangeError(`precision must be > 0, got ${precision}`)
  if (value === 0) return 0
  let factor = precision
  let normalize = (v: number) => v / factor
  let denormalize = (v: number) => v * factor
  if (factor < 1) {
    factor = floatInvert(factor)
    const n = normalize
    normalize = denormalize
    denormalize = n
  }
  const normalized = normalize(value)
  const epsilon = 2 ** (Math.log2(Math.abs(normalized)) - 50)
  const sign = Math.sign(normalized)
  let result: number
  switch (method) {
    case 'HALF-UP':
      result = roundHalfAway(normalized + sign * epsilon)
      break
    case 'UP':
      result = Math.trunc(normalized + sign * (1 - epsilon))
      break
    case 'DOWN':
      result = Math.trunc(normalized + sign * epsilon)
      break
    default:
      throw new RangeError(`unknown rounding method: ${String(method)}`)
  }
  return denormalize(result)
}

/** `float_is_zero(value, precision_rounding=precision)`. */
export function floatIsZero(value: number, precision: number): boolean {
  return value === 0 || Math.abs(floatRound(value, precision)) < precision
}
