// Engine events in the shape the UI sees (shared/dto engineEventDto). Pushes are not sent one by one: the
// UI reads them from the log and the status, which a status event after each poll and push keeps fresh.
import type { Database } from 'better-sqlite3'
import type { EngineEventDto } from '../../../shared/dto'
import type { EngineEvent } from '../engine'

export interface EngineEventMapper {
  toDtos(event: EngineEvent): EngineEventDto[]
}

export function createEngineEventMapper(db: () => Database): EngineEventMapper {
  let seq = 0
  return {
    toDtos(e) {
      switch (e.type) {
        case 'log':
          return [
            {
              type: 'log',
              entry: {
                // Live lines carry a negative id: the stored row's id is not known to the emitter.
                id: -++seq,
                at: e.entry.at,
                level: e.entry.level,
                kind: e.entry.kind,
                channelId: e.entry.channelId ?? null,
                listingId: e.entry.listingId ?? null,
                productId: e.entry.productId ?? null,
                status: e.entry.status ?? null,
                message: e.entry.message,
              },
            },
          ]
        case 'alert': {
          const row = db()
            .prepare(
              'SELECT id, channel_id AS channelId, raised_at AS raisedAt FROM alerts WHERE kind = ? AND subject = ?',
            )
            .get(e.kind, e.subject) as { id: number; channelId: string | null; raisedAt: number } | undefined
          return [
            {
              type: 'alert',
              alert: {
                id: row?.id ?? 0,
                kind: e.kind,
                severity: e.severity,
                channelId: row?.channelId ?? null,
                subject: e.subject,
                message: e.message,
                raisedAt: row?.raisedAt ?? Date.now(),
              },
            },
          ]
        }
        case 'resync':
          return [
            {
              type: 'resync',
              runId: e.run.id,
              done: e.run.done,
              total: e.run.total,
              etaMs: e.run.state === 'running' ? e.run.estimatedMs : null,
              state: e.run.state,
            },
          ]
        default:
          return []
      }
    },
  }
}
