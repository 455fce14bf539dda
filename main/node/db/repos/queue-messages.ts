// The seller's order queue, as far as SQLite knows it (schema 10): every message read from it, with what it
// came to, recorded in the transaction that stores the order it announced and before the message is deleted
// from the queue. SQS delivers at least once: a message seen again is found here and changes nothing.
import type { Database } from 'better-sqlite3'
import { statement } from '../statement'

export type QueueMessageOutcome =
  /** The order it announced was stored (pending units count from now). */
  | 'recorded'
  /** The order was already stored (by an order poll or an earlier message): nothing changed. */
  | 'known'
  /** An order LastUnit leaves out (fulfilled by the marketplace, another seller's, not an order event). */
  | 'ignored'
  /** No channel reading this queue claims it. */
  | 'not_ours'
  /** Not JSON, or not the shape of any marketplace's event. */
  | 'unreadable'

export interface QueueMessageRecord {
  queueUrl: string
  messageId: string
  channelId: string | null
  orderId: string | null
  outcome: QueueMessageOutcome
  detail: string | null
  /** When the queue received it (SQS SentTimestamp), when known. */
  sentAt: number | null
  receivedAt: number
}

/** The outcome recorded for a message, or null when it was never seen. */
export function queueMessageOutcome(
  db: Database,
  queueUrl: string,
  messageId: string,
): QueueMessageOutcome | null {
  const row = statement(db, 'SELECT outcome FROM queue_messages WHERE queue_url = ? AND message_id = ?').get(
    queueUrl,
    messageId,
  ) as { outcome: QueueMessageOutcome } | undefined
  return row?.outcome ?? null
}

/** Records a message once (a second record of the same message is ignored). Call inside the transaction. */
export function recordQueueMessage(db: Database, r: QueueMessageRecord): void {
  statement(
    db,
    `INSERT INTO queue_messages (queue_url, message_id, channel_id, order_id, outcome, detail, sent_at, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (queue_url, message_id) DO NOTHING`,
  ).run(r.queueUrl, r.messageId, r.channelId, r.orderId, r.outcome, r.detail, r.sentAt, r.receivedAt)
}

/** True when the channel's order is already stored (polled, or announced before). */
export const orderStored = (db: Database, channelId: string, orderId: string): boolean =>
  statement(db, 'SELECT 1 FROM orders WHERE channel_id = ? AND order_id = ?').get(channelId, orderId) !==
  undefined

/** Marks when a notification announced the order (the first time only). */
export function markOrderNotified(db: Database, channelId: string, orderId: string, at: number): void {
  statement(
    db,
    'UPDATE orders SET notified_at = ? WHERE channel_id = ? AND order_id = ? AND notified_at IS NULL',
  ).run(at, channelId, orderId)
}

/** Forgets messages received before `before` (SQS keeps a message at most 14 days; redelivery is long over). */
export const pruneQueueMessages = (db: Database, before: number): number =>
  statement(db, 'DELETE FROM queue_messages WHERE received_at < ?').run(before).changes

/** How many messages of a queue came to each outcome (tests, diagnostics). */
export function queueMessageCounts(db: Database, queueUrl: string): Record<QueueMessageOutcome, number> {
  const out: Record<QueueMessageOutcome, number> = {
    recorded: 0,
    known: 0,
    ignored: 0,
    not_ours: 0,
    unreadable: 0,
  }
  const rows = statement(
    db,
    'SELECT outcome, count(*) AS n FROM queue_messages WHERE queue_url = ? GROUP BY outcome',
  ).all(queueUrl) as Array<{ outcome: QueueMessageOutcome; n: number }>
  for (const r of rows) out[r.outcome] = r.n
  return out
}
