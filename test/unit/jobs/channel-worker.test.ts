// The channel worker on its own: a fake adapter, an in-memory SQLite and a clock it is told. Batches of the
// bulk size, each item's outcome recorded, blocking after identical failures, a whole call refused, the
// seller's fix awaited, and the confirmation round of asynchronous channels.
import type { Database } from 'better-sqlite3'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { ClassifiedError } from '../../../main/core/errors'
import type {
  ChannelAdapter,
  ChannelCapabilities,
  PushItem,
  PushItemResult,
} from '../../../main/core/ports/channel-adapter'
import { openDatabase } from '../../../main/node/db/database'
import { enqueueOutbox, outboxRowsOf } from '../../../main/node/db/repos/outbox'
import {
  getPushState,
  pushStateQueued,
  pushStateSentBatch,
  unsettledSends,
} from '../../../main/node/db/repos/push-state'
import type { SyncLogEntry } from '../../../main/node/db/repos/sync-log'
import { ChannelWorker, type PushedEvent, type WorkerState } from '../../../main/node/jobs/channel-worker'

const CAPS: ChannelCapabilities = {
  bulkBatchSize: 3,
  rateLimits: [],
  zeroStockActions: ['push_zero'],
  asyncConfirmation: false,
  readBack: false,
  orderPollIntervalMs: 60_000,
}

interface Fake {
  db: Database
  worker: ChannelWorker
  calls: PushItem[][]
  events: PushedEvent[]
  logs: SyncLogEntry[]
  alerts: string[]
  states: WorkerState[]
  batches: number
  clock: { t: number }
}

const open: Fake[] = []
afterEach(async () => {
  for (const f of open.splice(0)) {
    f.worker.halt()
    if (f.db.open) f.db.close()
  }
})

function makeWorker(
  answer: (items: PushItem[], call: number) => PushItemResult[] | Promise<PushItemResult[]>,
  opts: {
    caps?: Partial<ChannelCapabilities>
    confirm?: ChannelAdapter['confirm']
    blockAfter?: number
    /** The database (and clock) of an earlier worker: a process started again after a kill. */
    after?: Fake
  } = {},
): Fake {
  const db = opts.after?.db ?? openDatabase(':memory:')
  if (!opts.after)
    db.prepare(
      "INSERT INTO channels (id, type, name, base_url, state) VALUES ('bol', 'bol', 'bol.com', 'http://127.0.0.1', 'live')",
    ).run()
  const clock = opts.after?.clock ?? { t: 1_000_000 }
  const f = {
    db,
    calls: [],
    events: [],
    logs: [],
    alerts: [],
    states: [],
    batches: 0,
    clock,
  } as unknown as Fake
  const adapter = {
    type: 'bol',
    capabilities: { ...CAPS, ...opts.caps },
    push: async (items: PushItem[]) => {
      f.calls.push(items)
      return { results: await answer(items, f.calls.length), calls: 1 }
    },
    ...(opts.confirm ? { confirm: opts.confirm } : {}),
  } as unknown as ChannelAdapter
  f.worker = new ChannelWorker(
    'bol',
    adapter,
    db,
    { now: () => clock.t },
    {
      log: (e) => f.logs.push(e),
      pushed: (e) => f.events.push(e),
      stateChanged: (s) => f.states.push(s),
      alert: (a) => f.alerts.push(`${a.kind} ${a.subject}`),
      clearAlert: () => undefined,
      mayPush: () => true,
      batchDone: () => f.batches++,
    },
    {
      blockAfter: opts.blockAfter ?? 3,
      backoff: { baseMs: 10, maxMs: 60 },
      confirmIntervalMs: 3_600_000,
      random: () => 0.5,
      lateWriteWindowMs: 30_000,
    },
  )
  open.push(f)
  return f
}

/** As the planner queues a value: the outbox row and the listing's push state, in one go. */
function enqueue(f: Fake, n: number, stamp = 1): void {
  for (let i = 0; i < n; i++) {
    const row = {
      channelId: 'bol',
      listingId: `L${i}`,
      quantity: i,
      action: 'set' as const,
      stamp,
      enqueuedAt: f.clock.t - 5,
      explanation: null,
    }
    enqueueOutbox(f.db, row)
    pushStateQueued(f.db, row)
  }
}

const settle = () => new Promise((r) => setTimeout(r, 20))

/** Runs the worker until nothing is due any more (retries are due later on the told clock). */
async function drain(f: Fake): Promise<void> {
  f.worker.start()
  for (let i = 0; i < 200; i++) {
    await settle()
    const due = outboxRowsOf(f.db, 'bol').filter((r) => r.nextAttemptAt <= f.clock.t)
    if (due.length === 0 && f.worker.inFlightCount === 0) return
  }
  throw new Error('the worker did not drain')
}

const ok = (outcome: PushItemResult['outcome'], token?: string) => (items: PushItem[]) =>
  items.map((i) => ({
    listingId: i.listingId,
    stamp: i.stamp,
    outcome,
    ...(token ? { confirmationToken: token } : {}),
  }))

describe('ChannelWorker', () => {
  it('sends the outbox in batches of the bulk size, oldest first, and records every confirmed item', async () => {
    const f = makeWorker(ok('confirmed'))
    enqueue(f, 7)
    await drain(f)
    expect(f.calls.map((c) => c.length)).toEqual([3, 3, 1])
    expect(f.calls.flat().map((i) => i.listingId)).toEqual(['L0', 'L1', 'L2', 'L3', 'L4', 'L5', 'L6'])
    expect(outboxRowsOf(f.db, 'bol')).toEqual([])
    expect(getPushState(f.db, 'bol', 'L4')).toMatchObject({ status: 'confirmed', stamp: 1 })
    expect(f.events).toHaveLength(7)
    expect(f.events[0]).toMatchObject({ listingId: 'L0', status: 'confirmed', quantity: 0, latencyMs: 5 })
    expect(f.worker.pushes).toBe(7)
    expect(f.worker.apiCalls).toBe(3)
    expect(f.worker.lastConfirmedAt).toBe(f.clock.t)
    expect(f.batches).toBe(3)
  })

  it('a call that timed out may still be applied: another value of its listings waits until it cannot land', async () => {
    const f = makeWorker((items, call) => {
      if (call === 1)
        throw new ClassifiedError('retryable', 'http.timeout', 'bol did not answer within 30000 ms')
      return ok('confirmed')(items)
    })
    enqueue(f, 1)
    await drain(f)
    expect(f.calls).toHaveLength(1)
    // A newer value of L0 while the timed-out 0 may still be applied by the channel.
    const newer = {
      channelId: 'bol',
      listingId: 'L0',
      quantity: 5,
      action: 'set' as const,
      stamp: 2,
      enqueuedAt: f.clock.t,
      explanation: null,
    }
    enqueueOutbox(f.db, newer)
    pushStateQueued(f.db, newer)
    f.worker.kick()
    await drain(f)
    expect(f.calls).toHaveLength(1)
    expect(outboxRowsOf(f.db, 'bol')).toMatchObject([
      { listingId: 'L0', quantity: 5, nextAttemptAt: f.clock.t + 30_000 },
    ])
    // Once the old call can no longer land, the newer value goes.
    f.clock.t += 30_000
    f.worker.kick()
    await drain(f)
    expect(f.calls.map((c) => c.map((i) => `${i.listingId}=${i.quantity}`))).toEqual([['L0=0'], ['L0=5']])
    expect(getPushState(f.db, 'bol', 'L0')).toMatchObject({ status: 'confirmed', quantity: 5, stamp: 2 })
  })

  it('every batch is marked sent before it goes, one over 50 rows (a resync) included', async () => {
    // The channel never answers: the process is killed with the whole batch in flight.
    const f = makeWorker(() => new Promise<never>(() => undefined), { caps: { bulkBatchSize: 100 } })
    enqueue(f, 80)
    f.worker.start()
    for (let i = 0; i < 100 && f.calls.length === 0; i++) await settle()
    expect(f.calls.map((c) => c.length)).toEqual([80])
    // The next process reads every one of them as a write that may still land.
    const sent = unsettledSends(f.db)
    expect(sent).toHaveLength(80)
    expect(sent[79]).toMatchObject({ channelId: 'bol', quantity: 79, action: 'set', sentAt: f.clock.t })
    expect(getPushState(f.db, 'bol', 'L79')).toMatchObject({ status: 'sent' })
  })

  it('a late-write hold survives a second kill inside its window', async () => {
    const newerValue = (f: Fake, quantity: number, stamp: number) => {
      const row = {
        channelId: 'bol',
        listingId: 'L0',
        quantity,
        action: 'set' as const,
        stamp,
        enqueuedAt: f.clock.t,
        explanation: null,
      }
      enqueueOutbox(f.db, row)
      pushStateQueued(f.db, row)
    }
    // Process 1 sent L0=0 and was killed before the answer.
    const first = makeWorker(ok('confirmed'))
    enqueue(first, 1)
    pushStateSentBatch(first.db, 'bol', [{ listingId: 'L0', stamp: 1 }], first.clock.t)
    first.worker.halt()
    // Process 2 starts with that write in doubt and plans 5 over it (the 'sent' state is superseded).
    const second = makeWorker(ok('confirmed'), { after: first })
    second.worker.expectLateWrites(unsettledSends(second.db))
    newerValue(second, 5, 2)
    expect(unsettledSends(second.db)).toEqual([])
    // Killed again, 10 s later, before the hold ended; process 3 starts with nothing marked sent.
    second.worker.halt()
    second.clock.t += 10_000
    const third = makeWorker(ok('confirmed'), { after: first })
    third.worker.expectLateWrites(unsettledSends(third.db))
    await drain(third)
    // 5 waits for the first process's 0 to be unable to land (sent + 30 s).
    expect(third.calls).toEqual([])
    expect(outboxRowsOf(third.db, 'bol')).toMatchObject([
      { listingId: 'L0', quantity: 5, nextAttemptAt: 1_000_000 + 30_000 },
    ])
    third.clock.t = 1_000_000 + 30_000
    third.worker.kick()
    await drain(third)
    expect(third.calls.map((c) => c.map((i) => `${i.listingId}=${i.quantity}`))).toEqual([['L0=5']])
  })

  it('matches answers given out of order by listing and stamp; a missing answer is retried later', async () => {
    const f = makeWorker((items) =>
      items
        .slice(1)
        .reverse()
        .map((i) => ({ listingId: i.listingId, stamp: i.stamp, outcome: 'confirmed' as const })),
    )
    enqueue(f, 3)
    await drain(f)
    expect(f.events.map((e) => e.listingId).sort()).toEqual(['L1', 'L2'])
    expect(outboxRowsOf(f.db, 'bol')).toMatchObject([
      { listingId: 'L0', attempts: 1, lastError: 'the channel answered without a result for this listing' },
    ])
  })

  it('blocks a listing after identical failures in a row, with an alert; transient trouble never counts', async () => {
    const f = makeWorker((items) =>
      items.map((i) =>
        i.listingId === 'L0'
          ? {
              listingId: i.listingId,
              stamp: i.stamp,
              outcome: 'rejected' as const,
              code: '400',
              message: 'bad ean',
            }
          : { listingId: i.listingId, stamp: i.stamp, outcome: 'retry' as const, transient: true },
      ),
    )
    for (let round = 1; round <= 3; round++) {
      enqueue(f, 2, round)
      await drain(f)
      f.clock.t += 1000
    }
    expect(getPushState(f.db, 'bol', 'L0')?.status).toBe('blocked')
    expect(f.alerts).toEqual(['listing_blocked bol/L0'])
    expect(f.events.filter((e) => e.listingId === 'L0').map((e) => e.status)).toEqual([
      'rejected',
      'rejected',
      'blocked',
    ])
    // L1 was only throttled: still in the outbox, not blocked, never counted.
    expect(getPushState(f.db, 'bol', 'L1')?.status).not.toBe('blocked')
    expect(outboxRowsOf(f.db, 'bol').map((r) => r.listingId)).toEqual(['L1'])
  })

  it('a call the channel refuses as a whole counts a failure for each item', async () => {
    const f = makeWorker(() => {
      throw new ClassifiedError('permanent', 'schema', 'the request does not match the API')
    })
    enqueue(f, 2)
    await drain(f)
    expect(f.events.map((e) => `${e.listingId} ${e.status}`)).toEqual(['L0 rejected', 'L1 rejected'])
    expect(outboxRowsOf(f.db, 'bol')).toEqual([])
    expect(f.worker.lastError).toBe('the request does not match the API')
  })

  it("stops the channel for the seller's fix, keeping the rows, and goes on after retry()", async () => {
    let broken = true
    const f = makeWorker((items) => {
      if (broken)
        throw new ClassifiedError('needs_seller', 'auth', 'the API key was revoked', {
          hint: 'Paste a new key.',
        })
      return ok('confirmed')(items)
    })
    enqueue(f, 2)
    f.worker.start()
    for (let i = 0; i < 50 && f.worker.runState !== 'needs_seller'; i++) await settle()
    expect(f.worker.runState).toBe('needs_seller')
    expect(f.alerts).toEqual(['channel_needs_seller bol'])
    expect(outboxRowsOf(f.db, 'bol')).toHaveLength(2)
    broken = false
    f.worker.retry()
    await drain(f)
    expect(f.worker.runState).toBe('running')
    expect(outboxRowsOf(f.db, 'bol')).toEqual([])
    expect(f.states).toEqual(['needs_seller', 'running'])
  })

  it('confirmation round: confirmed items settle, rejected ones count, unapplied ones are sent again', async () => {
    const answers: PushItemResult[][] = []
    const f = makeWorker(ok('accepted', 'feed-1'), {
      caps: { asyncConfirmation: true },
      confirm: async (tokens) => {
        expect(tokens).toEqual(['feed-1'])
        return answers.shift() ?? []
      },
    })
    enqueue(f, 3)
    await drain(f)
    expect(getPushState(f.db, 'bol', 'L0')).toMatchObject({ status: 'accepted' })
    expect(await f.worker.confirmOnce()).toBe(0)
    answers.push([
      { listingId: 'L0', stamp: 1, outcome: 'confirmed' },
      { listingId: 'L1', stamp: 1, outcome: 'rejected', code: 'X', message: 'unknown offer' },
      { listingId: 'L2', stamp: 1, outcome: 'retry', code: 'late', message: 'still shows 7' },
      // A stale answer (an older stamp) changes nothing.
      { listingId: 'L0', stamp: 0, outcome: 'rejected' },
    ])
    expect(await f.worker.confirmOnce()).toBe(3)
    expect(getPushState(f.db, 'bol', 'L0')?.status).toBe('confirmed')
    expect(getPushState(f.db, 'bol', 'L1')?.status).toBe('rejected')
    expect(outboxRowsOf(f.db, 'bol')).toMatchObject([{ listingId: 'L2', quantity: 2, stamp: 1 }])
    expect(f.logs.some((l) => l.status === 'retry' && l.message.includes('still shows 7'))).toBe(true)
  })

  it('every item of a batch ends settled, rejected, blocked or due again; events name exactly the settled and failed ones', async () => {
    const outcome = fc.constantFrom('confirmed', 'accepted', 'rejected', 'retry', 'missing')
    await fc.assert(
      fc.asyncProperty(fc.array(outcome, { minLength: 1, maxLength: 8 }), async (outcomes) => {
        const f = makeWorker((items) =>
          items.flatMap((i) => {
            const o = outcomes[Number(i.listingId.slice(1))]!
            return o === 'missing'
              ? []
              : [
                  {
                    listingId: i.listingId,
                    stamp: i.stamp,
                    outcome: o,
                    confirmationToken: 'T',
                  } as PushItemResult,
                ]
          }),
        )
        enqueue(f, outcomes.length)
        await drain(f)
        const left = new Set(outboxRowsOf(f.db, 'bol').map((r) => r.listingId))
        outcomes.forEach((o, i) => {
          const id = `L${i}`
          const status = getPushState(f.db, 'bol', id)?.status
          if (o === 'confirmed' || o === 'accepted') expect([status, left.has(id)]).toEqual([o, false])
          else if (o === 'rejected') expect([status, left.has(id)]).toEqual(['rejected', false])
          else expect(left.has(id)).toBe(true)
        })
        expect(f.events.map((e) => e.listingId).sort()).toEqual(
          outcomes.flatMap((o, i) => (o === 'retry' || o === 'missing' ? [] : [`L${i}`])).sort(),
        )
        f.worker.halt()
      }),
      { numRuns: 25 },
    )
  })
})
