import { describe, expect, it } from 'vitest'
import { runtimeShellSync, toEventDto, type RuntimeLike } from '../../../main/electron/runtime-shell-sync'
import type { Engine, EngineEvent } from '../../../main/node/engine'
import type { EngineEventDto, StatusDto } from '../../../shared/dto'

const status: StatusDto = {
  state: 'healthy',
  message: '',
  engineRunning: true,
  paused: false,
  peakMode: false,
  openAlerts: 0,
  channels: [],
}

class FakeRuntime implements RuntimeLike {
  listeners = new Set<(e: EngineEvent) => void>()
  calls: string[] = []
  running: Partial<Engine> | null = null
  engine = () => this.running as Engine | null
  start = async () => void this.calls.push('start')
  stop = async () => void this.calls.push('stop')
  subscribe = (l: (e: EngineEvent) => void) => {
    this.listeners.add(l)
    return () => void this.listeners.delete(l)
  }
  emit(e: EngineEvent) {
    for (const l of this.listeners) l(e)
  }
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('runtime as the shell engine', () => {
  it('maps log, alert and resync events to what the renderer sees', () => {
    let n = 0
    const id = () => ++n
    expect(
      toEventDto({ type: 'log', entry: { at: 5, level: 'warn', kind: 'push', message: 'm' } }, id, () => 9),
    ).toEqual({
      type: 'log',
      entry: {
        id: 1,
        at: 5,
        level: 'warn',
        kind: 'push',
        channelId: null,
        listingId: null,
        productId: null,
        status: null,
        message: 'm',
      },
    })
    expect(
      toEventDto(
        { type: 'alert', kind: 'oversell', severity: 'critical', subject: 'product:1', message: 'x' },
        id,
        () => 9,
      ),
    ).toMatchObject({ type: 'alert', alert: { id: 2, kind: 'oversell', raisedAt: 9 } })
    // The channel travels with the alert, so a notification can name it.
    expect(
      toEventDto(
        {
          type: 'alert',
          kind: 'listing_blocked',
          severity: 'warning',
          subject: 'bol/123',
          message: 'x',
          channelId: 'bol',
        },
        id,
        () => 9,
      ),
    ).toMatchObject({ type: 'alert', alert: { kind: 'listing_blocked', channelId: 'bol' } })
    const run = {
      id: 3,
      channelFilter: null,
      state: 'running' as const,
      total: 10,
      done: 4,
      startedAt: 0,
      finishedAt: null,
      startStamp: 0,
      error: null,
      estimatedMs: 1200,
    }
    expect(toEventDto({ type: 'resync', run }, id, () => 9)).toEqual({
      type: 'resync',
      runId: 3,
      done: 4,
      total: 10,
      etaMs: 1200,
      state: 'running',
    })
    expect(toEventDto({ type: 'poll', changedProducts: 1, calls: 1, at: 1 }, id, () => 9)).toBeNull()
  })

  it('a burst of engine events yields one status recomputation', async () => {
    const rt = new FakeRuntime()
    let computed = 0
    const shell = runtimeShellSync(rt, { status: async () => (computed++, status), statusDelayMs: 30 })
    const got: EngineEventDto[] = []
    shell.subscribe((e) => got.push(e))
    for (let i = 0; i < 100; i++)
      rt.emit({
        type: 'push',
        channelId: 'bol',
        listingId: `L${i}`,
        status: 'accepted',
        quantity: 1,
        stamp: i,
      })
    await wait(80)
    expect(computed).toBe(1)
    expect(got).toEqual([{ type: 'status', status }])
  })

  it("catch-up polls Odoo, every channel's orders, then recomputes; one failing step does not stop the rest", async () => {
    const rt = new FakeRuntime()
    const calls: string[] = []
    rt.running = {
      pollOdoo: async () => {
        calls.push('odoo')
        throw new Error('offline')
      },
      pollOrders: async (id: string) => void calls.push(`orders:${id}`),
      fullRecompute: async () => void calls.push('recompute'),
      status: () =>
        ({ channels: [{ channelId: 'bol' }, { channelId: 'otto' }] }) as ReturnType<Engine['status']>,
    }
    const warnings: string[] = []
    const shell = runtimeShellSync(rt, { status: async () => status, log: (_l, m) => warnings.push(m) })
    await shell.catchUp('resume')
    expect(calls).toEqual(['odoo', 'orders:bol', 'orders:otto', 'recompute'])
    expect(warnings).toEqual(['catch-up: Odoo poll failed: offline'])
    expect(shell.control()).toBe(rt.running)
  })

  it('stop drains through the runtime and detaches from it', async () => {
    const rt = new FakeRuntime()
    const shell = runtimeShellSync(rt, { status: async () => status })
    await shell.start()
    expect(rt.listeners.size).toBe(1)
    await shell.stop()
    expect(rt.calls).toEqual(['start', 'stop'])
    expect(rt.listeners.size).toBe(0)
    expect(shell.control()).toBeNull()
  })
})
