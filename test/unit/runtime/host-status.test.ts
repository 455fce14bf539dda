import { afterEach, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../helpers/app'
import {
  pidAlive,
  startHostStatus,
  syncHostState,
  writeHostStatus,
  type HostStatusSnapshot,
} from '../../../main/node/runtime/host-status'

const apps: TestApp[] = []
afterEach(() => {
  for (const a of apps.splice(0)) a.close()
})

const T0 = Date.parse('2026-11-20T10:00:00Z')
const snap = (over: Partial<HostStatusSnapshot> = {}): HostStatusSnapshot => ({
  pid: 4242,
  host: 'cli',
  version: '1.0.0',
  startedAt: T0,
  heartbeatAt: T0,
  stoppedAt: null,
  staleAfterMs: 20_000,
  engine: null,
  note: null,
  ...over,
})

describe('the host status snapshot in the data folder', () => {
  it('tells whether sync runs: never ran, running, gone without a clean stop, stopped cleanly', () => {
    const app = createTestApp()
    apps.push(app)
    const alive = (pid: number) => pid === 4242
    expect(syncHostState(app.db, { now: T0, alive })).toEqual({
      running: false,
      last: null,
      since: null,
      clean: false,
    })
    writeHostStatus(app.db, snap())
    const running = syncHostState(app.db, { now: T0 + 5000, alive })
    expect(running).toMatchObject({ running: true, ageMs: 5000 })
    // The heartbeat is older than the writer's own limit: the host is gone (crashed, or the machine slept).
    expect(syncHostState(app.db, { now: T0 + 20_001, alive })).toMatchObject({
      running: false,
      since: T0,
      clean: false,
    })
    // The process is gone even though the heartbeat is fresh.
    expect(syncHostState(app.db, { now: T0 + 1000, alive: () => false }).running).toBe(false)
    writeHostStatus(app.db, snap({ heartbeatAt: T0 + 9000, stoppedAt: T0 + 9000 }))
    expect(syncHostState(app.db, { now: T0 + 10_000, alive })).toMatchObject({
      running: false,
      since: T0 + 9000,
      clean: true,
    })
  })

  it('a running host beats with the engine status and records its clean stop; gone hosts are pruned', () => {
    const app = createTestApp()
    apps.push(app)
    // Two hosts that are gone: only the newest stays, for "not running since".
    writeHostStatus(app.db, snap({ pid: 999_999_1, startedAt: T0 - 9000, heartbeatAt: T0 - 9000 }))
    writeHostStatus(app.db, snap({ pid: 999_999_2, startedAt: T0 - 5000, heartbeatAt: T0 - 5000 }))
    let now = T0
    let beats = 0
    const w = startHostStatus({
      db: app.db,
      host: 'cli',
      version: '1.0.0',
      engine: () => null,
      note: () => 'Connect Odoo to start syncing.',
      now: () => now,
      intervalMs: 60_000,
      onBeat: () => beats++,
    })
    expect(beats).toBe(1)
    const keys = app.db.prepare("SELECT key FROM engine_state WHERE key LIKE 'host_status:%'").pluck().all()
    expect(keys).toHaveLength(2)
    const up = syncHostState(app.db, { now })
    expect(up.running && up.snapshot).toMatchObject({
      pid: process.pid,
      note: 'Connect Odoo to start syncing.',
    })
    now += 1000
    w.beat()
    expect(beats).toBe(2)
    w.stop()
    expect(syncHostState(app.db, { now: now + 1 })).toMatchObject({ running: false, since: now, clean: true })
  })

  it('knows a live pid from a dead one', () => {
    expect(pidAlive(process.pid)).toBe(true)
    expect(pidAlive(0)).toBe(false)
    expect(pidAlive(2 ** 22 + 12_345)).toBe(false)
  })
})
