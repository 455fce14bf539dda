// The fault campaign's kill counter: a SIGKILL counts only when it ended an engine that was running and had
// synced (said it syncs, then logged a completed push). Stand-ins for `lastunit run` print the engine's
// lines (or not) and then wait, or exit on their own.
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { EngineProcess } from '../../../main/sandbox/fault-campaign/engine-process'

const SYNCING = 'LastUnit is syncing (data: /tmp/x). Press Ctrl+C to stop; the queue is drained first.'
const PUSHED = '12:00:00.000 info  push     demo-amazon: SKU-1 update 3 accepted in 12 ms (stamp 4)'
const BATCH = '12:00:00.000 info  push     demo-bol: batch of 40: 40 accepted'

/** A stand-in engine: prints `lines`, then waits for ever, or exits with `exitCode`. */
const engine = (lines: string[], exitCode?: number) =>
  new EngineProcess(
    [
      process.execPath,
      '-e',
      `for (const l of ${JSON.stringify(lines)}) console.log(l);` +
        (exitCode === undefined ? 'setInterval(() => {}, 1000)' : `process.exit(${exitCode})`),
    ],
    {},
    new PassThrough().resume(),
    'test',
  )

describe('EngineProcess kills', () => {
  it('counts the kill of an engine that syncs and completed a push', async () => {
    const e = engine([SYNCING, PUSHED])
    expect(await e.synced).toBe(true)
    expect(await e.kill()).toBe('live_synced')
    const b = engine([SYNCING, BATCH])
    expect(await b.synced).toBe(true)
    expect(await b.kill()).toBe('live_synced')
  })

  it('reports apart an engine killed before a push completed, or before it said it syncs', async () => {
    const e = engine([SYNCING])
    expect(await e.syncing).toBe(true)
    expect(await e.kill()).toBe('live_not_synced')
    // A push line before the syncing line is not a sync cycle of the running engine.
    const early = engine([PUSHED, SYNCING])
    expect(await early.syncing).toBe(true)
    expect(await early.kill()).toBe('live_not_synced')
    // Running and polling Odoo counts as started; waiting for Odoo does not.
    const polling = engine([
      'LastUnit is running (data: /tmp/x) and polls Odoo, but syncs no channel yet. Press Ctrl+C to stop.',
      PUSHED,
    ])
    expect(await polling.synced).toBe(true)
    expect(await polling.kill()).toBe('live_synced')
    const quiet = engine(['LastUnit is running (data: /tmp/x) and waits for Odoo'])
    await new Promise((r) => setTimeout(r, 200))
    expect(await quiet.kill()).toBe('live_starting')
  })

  it('never counts the kill of an engine that had exited on its own, even one that had synced', async () => {
    const e = engine([SYNCING, PUSHED], 1)
    expect(await e.synced).toBe(true)
    await e.exited
    expect(await e.kill()).toBe('already_exited')
    // The Odoo-down exit: it never synced and is gone before the kill.
    const down = engine(['LastUnit cannot sync: Odoo is unreachable'], 1)
    expect(await down.syncing).toBe(false)
    expect(await down.kill()).toBe('already_exited')
  })
})
