// Reads one of the seller's queues for as long as the engine runs: long polls (WaitTimeSeconds 20), hands each
// message to the channels reading that queue, and deletes it only once what it said is stored (the message
// and its order in one SQLite transaction). SQS delivers at least once: a message seen before is recognised
// by its MessageId and only deleted; an order already stored (polled, or announced before) is left as it is.
// A message whose order cannot be fetched yet (a marketplace's limit, an outage) is not deleted: it is hidden
// (ChangeMessageVisibility) until the channel's budget frees, when it says, else for a while, and delivered again. When the queue fails (deleted, credentials
// revoked, unreachable) the channels fall back to order polling, which never stopped, and the reader tries the
// queue again after a growing wait; the engine's status and an alert say why.
import type { Database } from 'better-sqlite3'
import { errorMessage, isClassifiedError } from '../../core/errors'
import type { Clock } from '../../core/ports/clock'
import type {
  ChannelOrderNotifications,
  NotifiedOrder,
  OrderQueue,
  QueueMessage,
} from '../../core/ports/order-queue'
import {
  pruneQueueMessages,
  queueMessageOutcome,
  recordQueueMessage,
  type QueueMessageOutcome,
} from '../db/repos/queue-messages'
import type { SyncLogEntry } from '../db/repos/sync-log'
import type { NotifiedIntake, NotifiedResult } from '../orders/notified-orders'

export type QuantityEvent = Extract<NotifiedOrder, { kind: 'quantity' }>

export type QueueState = 'starting' | 'up' | 'down'

export interface QueueReaderStatus {
  state: QueueState
  /** Why the queue is down (null while it works). */
  reason: string | null
  /** Since when it is in this state. */
  since: number
  lastMessageAt: number | null
  /** When a marketplace's test event (bol.com's test push) last arrived: the queue receives its events. */
  lastTestEventAt: number | null
  /** Order placed on the marketplace to its units pending here, over the recent orders the queue brought. */
  orderToPendingP50Ms: number | null
  orderToPendingMaxMs: number | null
  ordersRecorded: number
}

export interface QueueChannel {
  channelId: string
  name: string
  notifications: ChannelOrderNotifications
  /** True while the channel is live (its orders are taken in). */
  live(): boolean
}

export interface QueueReaderOptions {
  /** Long-poll wait (SQS allows 0-20 s; default 20). */
  waitSeconds?: number
  /** How long a received message stays hidden while it is handled (default 60 s). */
  visibilitySeconds?: number
  /**
   * How long a message whose order could not be fetched yet waits before it is delivered again, when the
   * channel names no wait of its own (retryAfterMs; default 30 s).
   */
  retryMessageSeconds?: number
  /** First wait before the queue is tried again after it failed (default 30 s), doubling up to `maxRetryMs`. */
  retryMs?: number
  maxRetryMs?: number
  /** Retryable failures in a row before the queue counts as down (default 3). */
  downAfter?: number
  /** Messages remembered for deduplication this long (default 14 days, SQS's longest retention). */
  keepMessagesMs?: number
}

export interface QueueReaderDeps {
  db: Database
  clock: Clock
  queue: OrderQueue
  channels: readonly QueueChannel[]
  record(channelId: string, n: NotifiedIntake): NotifiedResult
  /** A listing's quantity event: applied, and what it did in plain words (orders/mfn-holds.ts). */
  quantity?(channelId: string, q: QuantityEvent): string
  log(e: SyncLogEntry): void
  /** The queue went down (reason) or came back (null), for the channels it serves. */
  stateChanged(status: QueueReaderStatus): void
  /**
   * True for a marketplace's test event (bol.com's test push), whichever channel's: one being set up in
   * "Faster orders" may not read this queue yet. Its arrival is recorded (lastTestEventAt), never an order.
   */
  isTest?(body: string): boolean
  /** Waits `ms` (the engine's timers), resolving early when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>
  options?: QueueReaderOptions
}

const LATENCY_WINDOW = 200

export class QueueReader {
  private readonly abort = new AbortController()
  private running: Promise<void> | null = null
  private failures = 0
  private retryWait: number
  private readonly latencies: number[] = []
  private st: QueueReaderStatus
  private readonly o: Required<QueueReaderOptions>

  constructor(private readonly d: QueueReaderDeps) {
    this.o = {
      waitSeconds: 20,
      visibilitySeconds: 60,
      retryMessageSeconds: 30,
      retryMs: 30_000,
      maxRetryMs: 15 * 60_000,
      downAfter: 3,
      keepMessagesMs: 14 * 86_400_000,
      ...(d.options ?? {}),
    }
    this.retryWait = this.o.retryMs
    this.st = {
      state: 'starting',
      reason: null,
      since: d.clock.now(),
      lastMessageAt: null,
      lastTestEventAt: null,
      orderToPendingP50Ms: null,
      orderToPendingMaxMs: null,
      ordersRecorded: 0,
    }
  }

  get url(): string {
    return this.d.queue.url
  }

  status(): QueueReaderStatus {
    return { ...this.st }
  }

  start(): void {
    if (this.running) return
    pruneQueueMessages(this.d.db, this.d.clock.now() - this.o.keepMessagesMs)
    this.running = this.loop()
  }

  async stop(): Promise<void> {
    this.abort.abort()
    // Ends the long poll in flight too.
    this.d.queue.close()
    await this.running
  }

  private async loop(): Promise<void> {
    const signal = this.abort.signal
    let checked = false
    while (!signal.aborted) {
      try {
        // A quick check first (the queue exists, the key may read it): the status says so at once, not
        // after a first long poll that finds nothing.
        if (!checked) {
          await this.d.queue.attributes()
          checked = true
          this.working()
        }
        await this.receiveOnce()
      } catch (e) {
        if (signal.aborted) return
        this.failed(e)
        await this.d.sleep(this.retryWait, signal)
        this.retryWait = Math.min(this.o.maxRetryMs, this.retryWait * 2)
      }
    }
  }

  /** One long poll and the messages it brought. Throws when the queue fails. */
  async receiveOnce(): Promise<number> {
    const msgs = await this.d.queue.receive({
      waitSeconds: this.o.waitSeconds,
      max: 10,
      visibilitySeconds: this.o.visibilitySeconds,
    })
    this.working()
    // The messages of a batch are handled side by side: one whose order must wait (bol.com's 8 order-detail
    // calls a minute, a slow marketplace) does not hold up the others behind it (an Amazon event that needs
    // no call). Copies of one message (SQS delivers at least once) stay in turn: the second finds the first
    // recorded and is only deleted.
    const copies = new Map<string, QueueMessage[]>()
    for (const m of msgs) copies.set(m.messageId, [...(copies.get(m.messageId) ?? []), m])
    const done = await Promise.allSettled(
      [...copies.values()].map(async (same) => {
        for (const m of same) {
          if (this.abort.signal.aborted) return
          await this.handle(m)
        }
      }),
    )
    const failed = done.find((r): r is PromiseRejectedResult => r.status === 'rejected')
    if (failed) throw failed.reason
    return msgs.length
  }

  private async handle(m: QueueMessage): Promise<void> {
    const { d } = this
    const now = d.clock.now()
    this.st.lastMessageAt = now
    // Delivered before and recorded: only the delete may have been lost.
    if (queueMessageOutcome(d.db, d.queue.url, m.messageId) !== null) return this.remove(m)
    let claimed: { channel: QueueChannel; read: NotifiedOrder } | null = null
    try {
      JSON.parse(m.body)
    } catch {
      return this.settle(m, { outcome: 'unreadable', detail: 'not JSON' })
    }
    if (d.isTest?.(m.body) || d.channels.some((c) => c.notifications.isTest?.(m.body))) {
      this.st.lastTestEventAt = now
      return this.settle(m, { outcome: 'ignored', detail: "a marketplace's test event, not an order" })
    }
    for (const channel of d.channels) {
      let read: NotifiedOrder | null
      try {
        read = await channel.notifications.read(m.body)
      } catch (e) {
        // The order could not be fetched yet: leave the message in the queue, to come again later: when the
        // channel says when its budget frees (retryAfterMs), exactly then (SQS counts whole seconds, up to 12 h).
        const retryable = !isClassifiedError(e) || e.kind !== 'permanent'
        const after = isClassifiedError(e) ? e.retryAfterMs : undefined
        const hideS =
          after !== undefined && Number.isFinite(after) && after >= 0
            ? Math.min(43_200, Math.max(1, Math.ceil(after / 1000)))
            : this.o.retryMessageSeconds
        d.log({
          at: d.clock.now(),
          level: 'warn',
          kind: 'order',
          channelId: channel.channelId,
          status: isClassifiedError(e) ? e.kind : 'error',
          message: `an order event from the queue could not be read${retryable ? `, it comes again in ${hideS} s` : ''}: ${errorMessage(e)}`,
          data: { messageId: m.messageId, receiveCount: m.receiveCount },
        })
        if (!retryable)
          return this.settle(m, {
            outcome: 'unreadable',
            channelId: channel.channelId,
            detail: errorMessage(e),
          })
        await this.d.queue.changeVisibility(m.receiptHandle, hideS).catch(() => undefined)
        return
      }
      if (read) {
        claimed = { channel, read }
        break
      }
    }
    if (!claimed)
      return this.settle(m, { outcome: 'not_ours', detail: 'no channel reading this queue claims it' })
    const { channel, read } = claimed
    if (read.kind === 'test') {
      // No order: recorded as arrived (the Faster orders check and the status read it), then deleted.
      this.st.lastTestEventAt = now
      return this.settle(m, {
        outcome: 'ignored',
        channelId: channel.channelId,
        detail: `a test event${read.subscriptionId ? ` (subscription ${read.subscriptionId})` : ''}, not an order`,
      })
    }
    if (read.kind === 'ignored')
      return this.settle(m, {
        outcome: 'ignored',
        channelId: channel.channelId,
        orderId: read.orderId,
        detail: read.reason,
      })
    if (!channel.live())
      return this.settle(m, {
        outcome: 'ignored',
        channelId: channel.channelId,
        orderId: read.kind === 'order' ? read.order.orderId : null,
        detail: 'the channel is not live',
      })
    if (read.kind === 'quantity') {
      // A listing's quantity (Amazon's MFN quantity event): idempotent, so recorded after it is applied.
      if (!d.quantity)
        return this.settle(m, {
          outcome: 'ignored',
          channelId: channel.channelId,
          detail: 'quantity events are not read here',
        })
      const detail = d.quantity(channel.channelId, read)
      return this.settle(m, { outcome: 'recorded', channelId: channel.channelId, detail })
    }
    const r = d.record(channel.channelId, {
      order: read.order,
      complete: read.complete,
      within: (known) =>
        recordQueueMessage(d.db, {
          queueUrl: d.queue.url,
          messageId: m.messageId,
          channelId: channel.channelId,
          orderId: read.order.orderId,
          outcome: known ? 'known' : 'recorded',
          detail: null,
          sentAt: m.sentAt,
          receivedAt: now,
        }),
    })
    if (!r.known) {
      this.st.ordersRecorded++
      const placed = Date.parse(read.order.createdAt)
      if (!Number.isNaN(placed)) this.latency(Math.max(0, d.clock.now() - placed))
    }
    await this.remove(m)
  }

  /** Records a message that stores no order, then deletes it. */
  private async settle(
    m: QueueMessage,
    r: { outcome: QueueMessageOutcome; channelId?: string; orderId?: string | null; detail: string },
  ): Promise<void> {
    const { d } = this
    recordQueueMessage(d.db, {
      queueUrl: d.queue.url,
      messageId: m.messageId,
      channelId: r.channelId ?? null,
      orderId: r.orderId ?? null,
      outcome: r.outcome,
      detail: r.detail,
      sentAt: m.sentAt,
      receivedAt: d.clock.now(),
    })
    if (r.outcome !== 'ignored' && r.outcome !== 'recorded')
      d.log({
        at: d.clock.now(),
        level: 'debug',
        kind: 'order',
        ...(r.channelId ? { channelId: r.channelId } : {}),
        message: `a queue message was set aside (${r.outcome}): ${r.detail}`,
        data: { messageId: m.messageId },
      })
    await this.remove(m)
  }

  private async remove(m: QueueMessage): Promise<void> {
    try {
      await this.d.queue.delete(m.receiptHandle)
    } catch (e) {
      // Recorded already: when it comes again it is only deleted.
      this.d.log({
        at: this.d.clock.now(),
        level: 'debug',
        kind: 'order',
        message: `deleting a queue message failed (it will come again and be deleted then): ${errorMessage(e)}`,
      })
    }
  }

  private latency(ms: number): void {
    this.latencies.push(ms)
    if (this.latencies.length > LATENCY_WINDOW) this.latencies.shift()
    const sorted = [...this.latencies].sort((a, b) => a - b)
    this.st.orderToPendingP50Ms = sorted[Math.floor((sorted.length - 1) / 2)] ?? null
    this.st.orderToPendingMaxMs = sorted[sorted.length - 1] ?? null
  }

  private working(): void {
    this.failures = 0
    this.retryWait = this.o.retryMs
    if (this.st.state === 'up') return
    this.st = { ...this.st, state: 'up', reason: null, since: this.d.clock.now() }
    this.d.stateChanged(this.status())
  }

  private failed(e: unknown): void {
    this.failures++
    const needsSeller = isClassifiedError(e) && e.kind === 'needs_seller'
    const reason = errorMessage(e)
    if (this.st.state === 'down' && this.st.reason === reason) return
    if (needsSeller || this.failures >= this.o.downAfter || this.st.state === 'down') {
      this.st = { ...this.st, state: 'down', reason, since: this.d.clock.now() }
      this.d.stateChanged(this.status())
    }
  }
}
