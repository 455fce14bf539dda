// Retry-After as the simulated APIs write it.

/** Whole seconds, at least 1 (HTTP's delta-seconds), for a wait of `waitMs`. */
export const retryAfterWholeSeconds = (waitMs: number): string =>
  String(Math.max(1, Math.ceil(waitMs / 1000)))

/**
 * Seconds as an API on a scaled clock reports them: whole seconds rounded up on the real clock, and
 * milliseconds (three decimals) when the simulator runs faster, where whole seconds would be far too long.
 */
export const retryAfterSeconds = (seconds: number, scale: number): string =>
  scale === 1 ? String(Math.ceil(seconds)) : seconds.toFixed(3)
