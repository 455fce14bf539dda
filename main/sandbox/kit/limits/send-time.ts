// The send-time stamp judgement. The simulators share one process with the fault campaign, which stalls at
// times (seconds, measured): requests that reached the socket meanwhile are handled together afterwards, as a
// burst no real gateway would have seen. A request that says when it was sent (SENT_AT_HEADER, set only in
// runs against the simulators) is counted at that time, as a gateway at the other end of a short wire would
// count it; the time is trusted only within the last minute and never ahead of now.
import { SENT_AT_HEADER } from '../../../node/http/http-client'
import type { SimRequest } from '../../http/sim-server'

/** How far back a send time is believed. */
export const SEND_TIME_TRUSTED_MS = 60_000

/** When `req` says it was sent, if that may be believed at `now`; undefined: count it when it arrived. */
export function trustedSendTime(
  req: Pick<SimRequest, 'headers'> | undefined,
  now: number,
): number | undefined {
  const sent = Number(req?.headers[SENT_AT_HEADER])
  return Number.isFinite(sent) && sent <= now && sent > now - SEND_TIME_TRUSTED_MS ? sent : undefined
}
