// The engine's part that reads the seller's order queues: one reader per queue (a queue may serve Amazon and
// bol.com at once), its state per channel for the engine's status, and the alert that tells the seller when a
// queue fails and the channel is back to order polling alone ("orders seen within N min (queue down: ...)").
import type { Database } from 'better-sqlite3'
import type { ChannelAdapter } from '../../core/ports/channel-adapter'
import type { Clock } from '../../core/ports/clock'
import type { OrderQueue } from '../../core/ports/order-queue'
import type { SyncLogEntry } from '../db/repos/sync-log'
import type { EngineAlert } from '../engine/engine-core'
import type { NotifiedIntake, NotifiedResult } from '../orders/notified-orders'
import {
  QueueReader,
  type QuantityEvent,
  type QueueReaderOptions,
  type QueueReaderStatus,
} from './queue-reader'

/** A queue and the channels whose order events it carries (the host builds it from their settings). */
export interface OrderQueueSource {
  queue: OrderQueue
  channelIds: readonly string[]
  options?: QueueReaderOptions
}

export const ORDER_QUEUE_ALERT = 'order_queue_down'

export interface OrderQueuesDeps {
  db: Database
  clock: Clock
  adapters: ReadonlyMap<string, ChannelAdapter>
  /** A live channel's name (undefined: not live). */
  channel(channelId: string): { name: string } | undefined
  orderPollIntervalOf(channelId: string): number | null
  record(channelId: string, n: NotifiedIntake): NotifiedResult
  quantity(channelId: string, q: QuantityEvent): string
  log(e: SyncLogEntry): void
  raiseAlert(a: EngineAlert): void
  clearAlert(kind: string, subject: string): void
}

/** The channel's queue as the engine's status shows it. */
export type ChannelQueueStatus = QueueReaderStatus & { queueUrl: string }

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve()
    const t = setTimeout(done, ms)
    function done() {
      clearTimeout(t)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done)
  })

const minutes = (ms: number | null) =>
  ms === null ? 'its poll interval' : `${Math.max(1, Math.round(ms / 60_000))} min`

export class OrderQueues {
  private readonly readers: Array<{ reader: QueueReader; channelIds: string[] }> = []

  constructor(
    private readonly d: OrderQueuesDeps,
    sources: readonly OrderQueueSource[],
  ) {
    for (const s of sources) {
      const channels = s.channelIds.flatMap((id) => {
        const notifications = d.adapters.get(id)?.notifications
        return notifications
          ? [
              {
                channelId: id,
                name: d.channel(id)?.name ?? id,
                notifications,
                live: () => d.channel(id) !== undefined,
              },
            ]
          : []
      })
      if (channels.length === 0) {
        s.queue.close()
        continue
      }
      const reader = new QueueReader({
        db: d.db,
        clock: d.clock,
        queue: s.queue,
        channels,
        record: (id, n) => d.record(id, n),
        quantity: (id, q) => d.quantity(id, q),
        isTest: (body) => [...d.adapters.values()].some((a) => a.notifications?.isTest?.(body) === true),
        log: (e) => d.log(e),
        stateChanged: (st) =>
          this.changed(
            s.queue.url,
            channels.map((c) => c.channelId),
            st,
          ),
        sleep,
        ...(s.options ? { options: s.options } : {}),
      })
      this.readers.push({ reader, channelIds: channels.map((c) => c.channelId) })
    }
  }

  start(): void {
    // A channel that no longer has a queue is on polling by the seller's choice: no alert stays open for it.
    const reading = new Set(this.readers.flatMap((r) => r.channelIds))
    for (const [id, adapter] of this.d.adapters)
      if (adapter.notifications && !reading.has(id)) this.d.clearAlert(ORDER_QUEUE_ALERT, id)
    for (const r of this.readers) r.reader.start()
  }

  async stop(): Promise<void> {
    await Promise.all(this.readers.map((r) => r.reader.stop()))
  }

  /** The queue reading the channel's orders, or null when it has none. */
  statusOf(channelId: string): ChannelQueueStatus | null {
    const r = this.readers.find((x) => x.channelIds.includes(channelId))
    return r ? { ...r.reader.status(), queueUrl: r.reader.url } : null
  }

  private changed(queueUrl: string, channelIds: string[], st: QueueReaderStatus): void {
    const { d } = this
    for (const id of channelIds) {
      const name = d.channel(id)?.name ?? id
      if (st.state === 'down') {
        const every = minutes(d.orderPollIntervalOf(id))
        d.log({
          at: d.clock.now(),
          level: 'warn',
          kind: 'order',
          channelId: id,
          status: 'queue_down',
          message: `the order queue failed, orders of ${name} are seen by polling only (within ${every}) until it works again: ${st.reason ?? 'unknown'}`,
          data: { queueUrl },
        })
        d.raiseAlert({
          kind: ORDER_QUEUE_ALERT,
          severity: 'warning',
          subject: id,
          channelId: id,
          message: `Orders of ${name} are seen within ${every} (queue down: ${st.reason ?? 'unknown'}). Fix the queue in Connections ("Faster orders"); LastUnit tries it again on its own.`,
          details: { queueUrl },
        })
      } else if (st.state === 'up') {
        d.log({
          at: d.clock.now(),
          level: 'info',
          kind: 'order',
          channelId: id,
          status: 'queue_up',
          message: `the order queue works: orders of ${name} are seen within seconds`,
          data: { queueUrl },
        })
        d.clearAlert(ORDER_QUEUE_ALERT, id)
      }
    }
  }
}
