// The import's voice: sync log entries, alerts raised and cleared (each change logged once), and the
// events hosts forward. Silent once halted, as a crashed process would be.
import type { Database } from 'better-sqlite3'
import type { Clock } from '../../core/ports/clock'
import { clearAlert, isAlertOpen, openAlertMessage, raiseAlert, type AlertSeverity } from '../db/repos/alerts'
import { appendSyncLog, type SyncLogEntry } from '../db/repos/sync-log'
import { alertEvent, type EngineEvent } from '../engine'

export interface ImportAlert {
  kind: string
  severity: AlertSeverity
  channelId: string | null
  subject: string
  message: string
  details?: Record<string, unknown>
}

export class ImportReporter {
  readonly listeners = new Set<(e: EngineEvent) => void>()

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly halted: () => boolean,
  ) {}

  raise(a: ImportAlert): void {
    if (this.halted()) return
    const openMessage = openAlertMessage(this.db, a.kind, a.subject)
    raiseAlert(this.db, { ...a, at: this.clock.now() })
    // Raised again with the same words on every pass: only a new or changed alert is news.
    if (openMessage === a.message) return
    this.log({ level: 'warn', kind: 'alert', channelId: a.channelId, status: a.kind, message: a.message })
    this.emit(alertEvent(a))
  }

  clear(kind: string, subject: string): void {
    if (this.halted()) return
    if (!isAlertOpen(this.db, kind, subject)) return
    clearAlert(this.db, kind, subject, this.clock.now())
    this.log({
      level: 'info',
      kind: 'alert',
      status: `${kind}_cleared`,
      message: `resolved: ${kind} ${subject}`,
    })
  }

  log(e: Omit<SyncLogEntry, 'at'>): void {
    if (this.halted()) return
    const entry: SyncLogEntry = { ...e, at: this.clock.now() }
    appendSyncLog(this.db, entry)
    this.emit({ type: 'log', entry })
  }

  private emit(e: EngineEvent): void {
    for (const l of this.listeners) {
      try {
        l(e)
      } catch {
        // A listener's failure must not stop the import.
      }
    }
  }
}
