// Engine events reach the renderer in batches: a burst of log lines (a full resync writes thousands) must
// not flood IPC or re-render the UI per line. At most one batch per interval, each batch capped; status
// and resync progress are coalesced to their latest value, alerts are never dropped, and when log lines
// pile up faster than they can be sent the oldest ones go (the log screen can reload them with recentLog).
import type { EngineEventDto } from '../../../shared/dto'

export interface EventBatcherOptions {
  send: (events: EngineEventDto[]) => void
  /** Shortest time between two batches. */
  intervalMs?: number
  /** Most events in one batch. */
  maxBatch?: number
  /** Most log lines kept waiting; older ones are dropped beyond this. */
  maxQueuedLogs?: number
  setTimer?: (fn: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
}

export interface EventBatcher {
  push(event: EngineEventDto): void
  /** Sends what is waiting now (shutdown, tests). */
  flush(): void
  /** Log lines dropped so far because the queue was full. */
  readonly dropped: number
  dispose(): void
}

export const EVENT_BATCH_INTERVAL_MS = 150
export const EVENT_BATCH_MAX = 250
export const EVENT_MAX_QUEUED_LOGS = 2000

export function createEventBatcher(opts: EventBatcherOptions): EventBatcher {
  const intervalMs = opts.intervalMs ?? EVENT_BATCH_INTERVAL_MS
  const maxBatch = opts.maxBatch ?? EVENT_BATCH_MAX
  const maxQueuedLogs = opts.maxQueuedLogs ?? EVENT_MAX_QUEUED_LOGS
  const setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms))
  const clearTimer = opts.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>))

  let queue: EngineEventDto[] = []
  let logs = 0
  let dropped = 0
  let timer: unknown = null
  let disposed = false

  const take = (): EngineEventDto[] => {
    const batch = queue.slice(0, maxBatch)
    queue = queue.slice(batch.length)
    logs -= batch.filter((e) => e.type === 'log').length
    return batch
  }

  const schedule = () => {
    if (timer !== null || disposed || queue.length === 0) return
    timer = setTimer(() => {
      timer = null
      const batch = take()
      if (batch.length > 0) opts.send(batch)
      schedule()
    }, intervalMs)
  }

  return {
    push(event) {
      if (disposed) return
      if (event.type === 'status') queue = queue.filter((e) => e.type !== 'status')
      else if (event.type === 'resync')
        queue = queue.filter((e) => !(e.type === 'resync' && e.runId === event.runId))
      else if (event.type === 'log') {
        logs++
        if (logs > maxQueuedLogs) {
          const i = queue.findIndex((e) => e.type === 'log')
          if (i >= 0) queue.splice(i, 1)
          logs--
          dropped++
        }
      }
      queue.push(event)
      schedule()
    },
    flush() {
      if (timer !== null) clearTimer(timer)
      timer = null
      while (queue.length > 0) opts.send(take())
    },
    get dropped() {
      return dropped
    },
    dispose() {
      disposed = true
      if (timer !== null) clearTimer(timer)
      timer = null
      queue = []
      logs = 0
    },
  }
}
