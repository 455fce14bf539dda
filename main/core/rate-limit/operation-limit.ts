// How a channel states one of its limits, in the form the client paces by and the simulator enforces.

/** A token bucket: a sustained rate with a burst (Amazon's usage plans, Kaufland's per-second limit). */
export interface BucketLimit {
  ratePerSecond: number
  burst: number
}

/** A sliding window: at most `perWindow` calls in any `windowMs` ("N a minute", Zalando). */
export interface WindowedLimit {
  perWindow: number
  windowMs: number
}

export type OperationLimit = BucketLimit | WindowedLimit
