// The outbox and push_state rules that keep values in order, on a real (in-memory) SQLite database.
import { beforeEach, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { openDatabase, type Database } from '../../../main/node/db/database'
import {
  completeOutboxRow,
  dueOutboxRows,
  enqueueOutbox,
  getOutboxRow,
  retryOutboxLater,
} from '../../../main/node/db/repos/outbox'
import {
  getPushState,
  pushStateFailure,
  pushStateQueued,
  pushStateSettled,
} from '../../../main/node/db/repos/push-state'
import { EngineState } from '../../../main/node/engine/engine-state'

let db: Database
beforeEach(() => {
  db = openDatabase(':memory:')
  db.prepare("INSERT INTO channels (id, type, name, base_url) VALUES ('bol', 'bol', 'bol', 'http://x')").run()
})

const item = (stamp: number, quantity = stamp) => ({
  channelId: 'bol',
  listingId: 'L1',
  quantity,
  action: 'set' as const,
  stamp,
  enqueuedAt: 0,
  explanation: null,
})

describe('outbox', () => {
  it('keeps only the newest value, whatever order enqueues arrive in', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 20 }),
        (stamps) => {
          db.prepare('DELETE FROM outbox').run()
          for (const s of stamps) enqueueOutbox(db, item(s))
          expect(getOutboxRow(db, 'bol', 'L1')!.stamp).toBe(Math.max(...stamps))
        },
      ),
      { numRuns: 100 },
    )
  })

  it('leaves a newer value queued when the send of an older one completes', () => {
    enqueueOutbox(db, item(1))
    const [sent] = dueOutboxRows(db, 'bol', 10, 10)
    enqueueOutbox(db, item(2))
    expect(completeOutboxRow(db, 'bol', 'L1', sent!.stamp)).toBe('newer_queued')
    expect(getOutboxRow(db, 'bol', 'L1')).toMatchObject({ stamp: 2, quantity: 2 })
    expect(completeOutboxRow(db, 'bol', 'L1', 2)).toBe('done')
    expect(getOutboxRow(db, 'bol', 'L1')).toBeNull()
  })

  it('backs off a failed value but lets a newer one go at once', () => {
    enqueueOutbox(db, item(1))
    retryOutboxLater(db, 'bol', 'L1', 1, 5000, 'HTTP 500')
    expect(dueOutboxRows(db, 'bol', 10, 10)).toEqual([])
    enqueueOutbox(db, item(2))
    expect(dueOutboxRows(db, 'bol', 10, 10).map((r) => r.stamp)).toEqual([2])
  })
})

describe('push_state', () => {
  it('never lets a late answer for an older value overwrite a newer one', () => {
    pushStateQueued(db, item(1))
    pushStateQueued(db, item(2))
    pushStateSettled(db, { ...item(2), status: 'confirmed', token: null, at: 1 })
    pushStateSettled(db, { ...item(1), status: 'confirmed', token: null, at: 2 })
    expect(getPushState(db, 'bol', 'L1')).toMatchObject({
      status: 'confirmed',
      appliedStamp: 2,
      appliedQuantity: 2,
    })
  })

  it('counts identical failures in a row and starts again on a different one', () => {
    pushStateQueued(db, item(1))
    const fail = (code: string) =>
      pushStateFailure(db, { channelId: 'bol', listingId: 'L1', stamp: 1, code, message: code, reject: true })
    expect([fail('E1'), fail('E1'), fail('E2'), fail('E2'), fail('E2')]).toEqual([1, 2, 1, 2, 3])
    expect(getPushState(db, 'bol', 'L1')!.status).toBe('rejected')
  })
})

describe('freshness stamps', () => {
  it('continue above every stamp already written, even if the counter was not saved', () => {
    enqueueOutbox(db, item(41))
    const state = new EngineState(db)
    expect(state.nextStamp()).toBe(42)
  })
})
