// One probe every channel simulator offers, so a fault campaign can watch what the engine sent and what
// buyers see without knowing each channel: the listings by the id the engine's adapter uses, every stock
// or pause write the simulator accepted, buyer orders, token expiry, and the simulator's own 429s.

export interface ListingStateProbe {
  quantity: number
  buyable: boolean
}

export interface StockWrite {
  listingId: string
  quantity: number
  paused: boolean
  at: number
}

export interface ChannelSimProbe {
  /** Every listing, keyed by the listing id the engine's adapter uses for it (the id listListings() returns), with its SKU and EAN. */
  listingIndex(): Array<{ listingId: string; sku: string | null; ean: string | null }>
  /** What buyers can buy now on this listing (quantity shown; buyable=false when paused/offline/on hold/draft). undefined when unknown. */
  listingState(listingId: string): ListingStateProbe | undefined
  /**
   * Called synchronously for every stock or pause write the simulator ACCEPTS, in the order requests were
   * received (one call per listing per accepted write; bulk requests call it once per item, in body order).
   * For writes applied later (Amazon feeds and patches with an apply delay) it is called when the request is
   * accepted, not when applied. paused=true when the write takes the listing offline/on hold/draft; quantity
   * is then the quantity the write carried (0 if none).
   */
  onStockWrite: ((w: StockWrite) => void) | null
  /** A buyer orders `quantity` of a listing (as the simulator's placeOrder does, lowering its stock); returns the channel's order id as the engine's order import will see it. */
  placeOrder(listingId: string, quantity: number): string
  /** Every access token issued so far stops working (no-op where the channel has no expiring tokens). Returns true when tokens were expired. */
  expireTokens(): boolean
  /** 429 (or Shopify's THROTTLED) answers produced by the simulator's own limiters, NOT injected storms. */
  readonly limitHits: number
  /** Requests refused for a token `expireTokens` ended (0 where the channel has no expiring tokens). */
  readonly endedTokenRefusals: number
}

/** The probe's write hook, held where a simulator's handlers can call it. */
export interface StockWriteSink {
  onStockWrite: ((w: StockWrite) => void) | null
}

/** What a simulator tells its probe; the kit adds the write hook. */
export interface ProbeParts {
  listingIndex: ChannelSimProbe['listingIndex']
  listingState: ChannelSimProbe['listingState']
  placeOrder: ChannelSimProbe['placeOrder']
  expireTokens: ChannelSimProbe['expireTokens']
  /** The simulator's own limit refusals so far. */
  limitHits(): number
  /** Requests refused for a token `expireTokens` ended; absent where the channel has no expiring tokens. */
  endedTokenRefusals?(): number
}

/** A simulator's probe: its parts, with the write hook held in `sink` (where its handlers report writes). */
export function channelProbe(sink: StockWriteSink, parts: ProbeParts): ChannelSimProbe {
  return {
    listingIndex: parts.listingIndex,
    listingState: parts.listingState,
    get onStockWrite() {
      return sink.onStockWrite
    },
    set onStockWrite(f) {
      sink.onStockWrite = f
    },
    placeOrder: parts.placeOrder,
    expireTokens: parts.expireTokens,
    get limitHits() {
      return parts.limitHits()
    },
    get endedTokenRefusals() {
      return parts.endedTokenRefusals?.() ?? 0
    },
  }
}

/** Reports one accepted write to the probe's hook, if one is set. */
export function emitStockWrite(
  sink: StockWriteSink,
  listingId: string,
  quantity: number,
  paused: boolean,
  at: number,
): void {
  sink.onStockWrite?.({ listingId, quantity, paused, at })
}

/** Throws when a probe order cannot be placed: the listing is unknown or has too little stock. */
export function checkProbeOrder(
  channel: string,
  listingId: string,
  quantity: number,
  available: number | undefined,
): void {
  if (available === undefined) throw new Error(`${channel} simulator: no listing ${listingId}`)
  if (!Number.isInteger(quantity) || quantity < 1)
    throw new Error(`${channel} simulator: cannot order ${quantity} of ${listingId}`)
  if (available < quantity)
    throw new Error(
      `${channel} simulator: listing ${listingId} has ${available} in stock, ${quantity} ordered`,
    )
}
