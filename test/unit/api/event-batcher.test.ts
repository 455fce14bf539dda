import { describe, expect, it } from 'vitest'
import { createEventBatcher } from '../../../main/node/api/event-batcher'
import type { EngineEventDto, StatusDto } from '../../../shared/dto'

const log = (i: number): EngineEventDto => ({
  type: 'log',
  entry: {
    id: i,
    at: i,
    level: 'info',
    kind: 'push',
    channelId: null,
    listingId: null,
    productId: null,
    status: null,
    message: `line ${i}`,
  },
})
const status = (message: string): EngineEventDto => ({
  type: 'status',
  status: {
    state: 'healthy',
    message,
    engineRunning: true,
    paused: false,
    peakMode: false,
    openAlerts: 0,
    channels: [],
  } satisfies StatusDto,
})

/** A manual clock: timers fire only when the test says so. */
const manualTimers = () => {
  const pending = new Map<number, () => void>()
  let next = 1
  return {
    setTimer: (fn: () => void) => {
      pending.set(next, fn)
      return next++
    },
    clearTimer: (h: unknown) => void pending.delete(h as number),
    get pending() {
      return pending.size
    },
    fire() {
      const [id, fn] = [...pending.entries()][0] ?? []
      if (id === undefined || !fn) return false
      pending.delete(id)
      fn()
      return true
    },
  }
}

describe('event batcher', () => {
  it('sends nothing synchronously and at most one capped batch per interval', () => {
    const t = manualTimers()
    const sent: EngineEventDto[][] = []
    const b = createEventBatcher({ send: (e) => sent.push(e), maxBatch: 100, ...t })
    for (let i = 0; i < 250; i++) b.push(log(i))
    expect(sent).toHaveLength(0)
    expect(t.pending).toBe(1)
    t.fire()
    expect(sent.map((s) => s.length)).toEqual([100])
    t.fire()
    t.fire()
    expect(sent.map((s) => s.length)).toEqual([100, 100, 50])
    expect(t.fire()).toBe(false)
    expect(sent.flat().map((e) => (e.type === 'log' ? e.entry.id : -1))).toEqual(
      Array.from({ length: 250 }, (_, i) => i),
    )
  })

  it('keeps only the latest status and the latest progress of each resync run', () => {
    const t = manualTimers()
    const sent: EngineEventDto[][] = []
    const b = createEventBatcher({ send: (e) => sent.push(e), ...t })
    b.push(status('a'))
    b.push(log(1))
    b.push(status('b'))
    for (let done = 0; done <= 3; done++)
      b.push({ type: 'resync', runId: 7, done, total: 3, etaMs: null, state: 'running' })
    b.push({ type: 'resync', runId: 8, done: 0, total: 1, etaMs: null, state: 'running' })
    t.fire()
    expect(sent[0]!.map((e) => e.type)).toEqual(['log', 'status', 'resync', 'resync'])
    expect(sent[0]![1]).toMatchObject({ status: { message: 'b' } })
    expect(sent[0]![2]).toMatchObject({ runId: 7, done: 3 })
  })

  it('drops the oldest log lines beyond the queue limit, never alerts', () => {
    const t = manualTimers()
    const sent: EngineEventDto[][] = []
    const b = createEventBatcher({ send: (e) => sent.push(e), maxQueuedLogs: 10, maxBatch: 1000, ...t })
    b.push({
      type: 'alert',
      alert: {
        id: 1,
        kind: 'oversell',
        severity: 'critical',
        channelId: null,
        subject: 'product:1',
        message: 'x',
        raisedAt: 0,
      },
    })
    for (let i = 0; i < 50; i++) b.push(log(i))
    expect(b.dropped).toBe(40)
    t.fire()
    const ids = sent[0]!.map((e) => (e.type === 'log' ? e.entry.id : e.type))
    expect(ids).toEqual(['alert', 40, 41, 42, 43, 44, 45, 46, 47, 48, 49])
  })

  it('flush sends everything now; dispose stops sending', () => {
    const t = manualTimers()
    const sent: EngineEventDto[][] = []
    const b = createEventBatcher({ send: (e) => sent.push(e), maxBatch: 2, ...t })
    for (let i = 0; i < 5; i++) b.push(log(i))
    b.flush()
    expect(sent.map((s) => s.length)).toEqual([2, 2, 1])
    expect(t.pending).toBe(0)
    b.dispose()
    b.push(log(9))
    expect(t.pending).toBe(0)
    expect(sent).toHaveLength(3)
  })
})
