// Engine events in the shape the UI sees (shared/dto engineEventDto). One mapping for every host: the
// desktop shell and the browser preview. Pushes, polls and channel changes are not sent one by one; they
// only make the host send a fresh status.
import type { EngineEventDto } from '../../../shared/dto'
import type { EngineEvent } from '../engine'
import { redactText } from '../redaction'

/** Engine events the renderer shows as they are; the rest only change the status. */
export function toEventDto(event: EngineEvent, id: () => number, now: () => number): EngineEventDto | null {
  switch (event.type) {
    case 'log': {
      const e = event.entry
      return {
        type: 'log',
        entry: {
          id: id(),
          at: e.at,
          level: e.level,
          kind: e.kind,
          channelId: e.channelId ?? null,
          listingId: e.listingId ?? null,
          productId: e.productId ?? null,
          status: e.status ?? null,
          message: redactText(e.message),
        },
      }
    }
    case 'alert':
      return {
        type: 'alert',
        alert: {
          id: id(),
          kind: event.kind,
          severity: event.severity,
          channelId: event.channelId ?? null,
          subject: redactText(event.subject),
          message: redactText(event.message),
          raisedAt: now(),
        },
      }
    case 'resync':
      return {
        type: 'resync',
        runId: event.run.id,
        done: event.run.done,
        total: event.run.total,
        etaMs: event.run.state === 'running' ? event.run.estimatedMs : null,
        state: event.run.state,
        ...(event.run.channels
          ? {
              progress: event.run.channels.map((c) => ({
                channelId: c.channelId,
                total: c.total,
                done: c.done,
                etaMs: c.estimatedMs,
              })),
            }
          : {}),
      }
    default:
      return null
  }
}
