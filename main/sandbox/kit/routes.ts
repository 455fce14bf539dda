// An endpoint of a simulated API in the two places a real API decides: its gateway, as a request arrives
// (auth, media types, rate limits: before injected latency and faults, so a limit counted there sees the
// pace requests were sent at), and its backend (further checks, then the handler). Every request can be
// recorded with the answer it got, time-driven state is brought up to date before the backend looks, and
// headers common to the API's answers are added.
import type { SimRequest, SimResponse, SimRoute } from '../http/sim-server'

export interface Endpoint {
  method: string
  /** e.g. "/retailer/offers/:offerId" */
  pattern: string
  /** The gateway: an answer refuses the request there and the backend never sees it. */
  gate?: (req: SimRequest) => SimResponse | undefined
  /** What the backend checks before it handles the request: an answer refuses it. */
  check?: (req: SimRequest) => SimResponse | undefined
  handle: (req: SimRequest) => SimResponse
}

export interface EndpointHooks {
  /** Records a request (once, at the gateway when it refuses it, else in the backend); answers where its answer goes. */
  record?: (req: SimRequest) => (answer: SimResponse) => void
  /** Applies what is due by now (changes accepted earlier, feeds that finished), before the backend looks. */
  tick?: () => void
  /** Headers on every answer of the backend (the answer's own win). */
  headers?: (req: SimRequest) => Record<string, string>
}

export function endpoint(e: Endpoint, hooks: EndpointHooks = {}): SimRoute {
  const gate = e.gate
  return {
    method: e.method,
    pattern: e.pattern,
    ...(gate
      ? {
          admit: (req: SimRequest) => {
            const refused = gate(req)
            if (refused) hooks.record?.(req)(refused)
            return refused
          },
        }
      : {}),
    handler: (req) => {
      const done = hooks.record?.(req)
      hooks.tick?.()
      const r = e.check?.(req) ?? e.handle(req)
      const out = hooks.headers ? { ...r, headers: { ...hooks.headers(req), ...(r.headers ?? {}) } } : r
      done?.(out)
      return out
    },
  }
}

/** Endpoints that share their hooks (one API of a channel). */
export const endpoints = (hooks: EndpointHooks, list: Endpoint[]): SimRoute[] =>
  list.map((e) => endpoint(e, hooks))
