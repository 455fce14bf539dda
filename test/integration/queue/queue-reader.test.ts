// The queue reader's rules on a real SQLite file, with a queue and a channel in memory: a message is deleted
// only once recorded, a message delivered again after a lost delete is only deleted, a message whose order
// cannot be fetched yet is hidden for a while and read again, and a queue that fails is down after the
// failures allowed (at once when it needs the seller), and up again on the next receive that works.
import { afterEach, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { ClassifiedError } from '../../../main/core/errors'
import type { ChannelOrder } from '../../../main/core/ports/channel-adapter'
import type { NotifiedOrder, OrderQueue, QueueMessage } from '../../../main/core/ports/order-queue'
import { openDatabase, type Database } from '../../../main/node/db/database'
import { orderStored, queueMessageCounts } from '../../../main/node/db/repos/queue-messages'
import { QueueReader, type QueueReaderStatus } from '../../../main/node/queue/queue-reader'
import { tempDir } from '../../helpers/app'

const order = (orderId: string): ChannelOrder => ({
  orderId,
  status: 'open',
  updatedAt: '2026-12-05T10:00:00.000Z',
  createdAt: '2026-12-05T10:00:00.000Z',
  currency: '',
  lines: [],
})

class MemoryQueue implements OrderQueue {
  readonly url = 'http://127.0.0.1:1/000000000000/q'
  pending: QueueMessage[] = []
  deleted: string[] = []
  hidden: Array<[string, number]> = []
  fail: Error | null = null
  failDelete = false
  async receive(): Promise<QueueMessage[]> {
    if (this.fail) throw this.fail
    const out = this.pending
    this.pending = []
    return out
  }
  async delete(h: string) {
    if (this.failDelete) throw new Error('connection reset')
    this.deleted.push(h)
  }
  async changeVisibility(h: string, s: number) {
    this.hidden.push([h, s])
  }
  async attributes() {
    return { arn: 'arn:aws:sqs:eu-west-1:000000000000:q', visibilityTimeoutSeconds: 30, messages: 0 }
  }
  close() {}
}

let db: Database | null = null
let cleanup: (() => void) | null = null
afterEach(() => {
  db?.close()
  cleanup?.()
  db = null
})

function setup(read: (body: string) => Promise<NotifiedOrder | null>) {
  const t = tempDir('lastunit-queue-')
  cleanup = t.cleanup
  db = openDatabase(join(t.dir, 'q.db'))
  db.prepare(
    "INSERT INTO channels (id, type, name, base_url) VALUES ('amz', 'amazon', 'Amazon', 'https://x')",
  ).run()
  const queue = new MemoryQueue()
  const states: QueueReaderStatus[] = []
  let now = 1_000
  const d = db
  const reader = new QueueReader({
    db: d,
    clock: { now: () => now },
    queue,
    channels: [
      {
        channelId: 'amz',
        name: 'Amazon',
        live: () => true,
        notifications: { read, subscribe: never, subscription: never },
      },
    ],
    record: (channelId, n) => {
      let known = false
      d.transaction(() => {
        known = orderStored(d, channelId, n.order.orderId)
        if (!known)
          d.prepare(
            "INSERT INTO orders (channel_id, order_id, status, channel_updated_at, created_at, currency, seen_at) VALUES (?, ?, 'open', '', '', '', 0)",
          ).run(channelId, n.order.orderId)
        n.within?.(known)
      })()
      return { known, productIds: [] }
    },
    log: () => undefined,
    stateChanged: (s) => states.push(s),
    sleep: async () => undefined,
    options: { retryMessageSeconds: 7, downAfter: 2 },
  })
  return { queue, reader, states, tick: (ms: number) => (now += ms), db: d }
}
const never = () => Promise.reject(new Error('not used'))
const msg = (id: string, n: number, body = `{"id":"${id}"}`): QueueMessage => ({
  messageId: id,
  receiptHandle: `${id}#${n}`,
  body,
  receiveCount: n,
  sentAt: 500,
})

describe('queue reader', () => {
  it('a message whose order must wait does not hold up the others of its batch', async () => {
    let release: () => void = () => undefined
    const gate = new Promise<void>((r) => (release = r))
    const reads: string[] = []
    const { queue, reader, db } = setup(async (b) => {
      const id = (JSON.parse(b) as { id: string }).id
      reads.push(id)
      // bol.com's order detail waiting for its budget, say.
      if (id === 'slow') await gate
      return { kind: 'order', order: order(id), complete: true, eventAt: null }
    })
    // Two copies of one message (at-least-once) and a slow one ahead of them.
    queue.pending = [
      msg('m-slow', 1, '{"id":"slow"}'),
      msg('m-fast', 1, '{"id":"fast"}'),
      msg('m-fast', 2, '{"id":"fast"}'),
    ]
    const run = reader.receiveOnce()
    for (let i = 0; i < 50 && !orderStored(db, 'amz', 'fast'); i++) await new Promise((r) => setTimeout(r, 5))
    expect(orderStored(db, 'amz', 'fast')).toBe(true)
    expect(orderStored(db, 'amz', 'slow')).toBe(false)
    release()
    await run
    expect(orderStored(db, 'amz', 'slow')).toBe(true)
    // The second copy was only deleted: read once, both copies gone.
    expect(reads.filter((r) => r === 'fast')).toEqual(['fast'])
    expect([...queue.deleted].sort()).toEqual(['m-fast#1', 'm-fast#2', 'm-slow#1'])
  })

  it('records then deletes; a message delivered again after a lost delete is only deleted', async () => {
    const { queue, reader, db } = setup(async (b) => ({
      kind: 'order',
      order: order(JSON.parse(b).id),
      complete: true,
      eventAt: null,
    }))
    queue.failDelete = true
    queue.pending = [msg('m1', 1)]
    await reader.receiveOnce()
    expect(queue.deleted).toEqual([])
    expect(queueMessageCounts(db, queue.url)).toMatchObject({ recorded: 1 })
    queue.failDelete = false
    queue.pending = [msg('m1', 2)]
    await reader.receiveOnce()
    expect(queue.deleted).toEqual(['m1#2'])
    expect(queueMessageCounts(db, queue.url)).toMatchObject({ recorded: 1, known: 0 })
    expect(reader.status()).toMatchObject({ state: 'up', ordersRecorded: 1 })
  })

  it('a message whose order cannot be fetched yet is hidden for a while, not deleted, and read when it comes again', async () => {
    let calls = 0
    const { queue, reader, db } = setup(async (b) => {
      if (++calls === 1) throw new ClassifiedError('retryable', 'bol.throttled', 'bol.com: 429')
      return { kind: 'order', order: order(JSON.parse(b).id), complete: true, eventAt: null }
    })
    queue.pending = [msg('m2', 1)]
    await reader.receiveOnce()
    expect(queue.deleted).toEqual([])
    expect(queue.hidden).toEqual([['m2#1', 7]])
    expect(queueMessageCounts(db, queue.url).recorded).toBe(0)
    queue.pending = [msg('m2', 2)]
    await reader.receiveOnce()
    expect(queue.deleted).toEqual(['m2#2'])
    expect(orderStored(db, 'amz', 'm2')).toBe(true)
  })

  it('sets aside what is not JSON, not claimed, or left out, and deletes it', async () => {
    const { queue, reader, db } = setup(async (b) =>
      b.includes('fba')
        ? { kind: 'ignored', orderId: 'o', reason: 'FBA' }
        : b.includes('other')
          ? null
          : { kind: 'order', order: order('x'), complete: true, eventAt: null },
    )
    queue.pending = [msg('a', 1, 'not json'), msg('b', 1, '{"other":1}'), msg('c', 1, '{"fba":1}')]
    await reader.receiveOnce()
    expect(queue.deleted).toEqual(['a#1', 'b#1', 'c#1'])
    expect(queueMessageCounts(db, queue.url)).toMatchObject({
      unreadable: 1,
      not_ours: 1,
      ignored: 1,
      recorded: 0,
    })
  })

  it('is down after the retryable failures allowed, at once when the seller must act, and up again after', async () => {
    const { queue, reader, states } = setup(async () => null)
    queue.fail = new ClassifiedError('retryable', 'queue.network', 'connect ECONNREFUSED')
    await expect(reader.receiveOnce()).rejects.toThrow()
    ;(reader as unknown as { failed(e: unknown): void }).failed(queue.fail)
    expect(states).toEqual([])
    ;(reader as unknown as { failed(e: unknown): void }).failed(queue.fail)
    expect(states.map((s) => [s.state, s.reason])).toEqual([['down', 'connect ECONNREFUSED']])
    queue.fail = null
    await reader.receiveOnce()
    expect(states.map((s) => s.state)).toEqual(['down', 'up'])
    const revoked = new ClassifiedError(
      'needs_seller',
      'queue.InvalidClientTokenId',
      'the access key id is not valid',
    )
    ;(reader as unknown as { failed(e: unknown): void }).failed(revoked)
    expect(states.map((s) => s.state)).toEqual(['down', 'up', 'down'])
  })
})
