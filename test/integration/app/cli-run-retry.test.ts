// `lastunit run` with Odoo unreachable at start: it keeps running, says each attempt (what failed, when the
// next is, on a clock the test advances), and syncs once Odoo answers. It never exits on its own for that.
import { afterEach, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { runCli } from '../../../main/cli'
import { openDatabase } from '../../../main/node/db/database'
import { createKeyVault } from '../../../main/node/secrets/key-vault'
import { vaultSalt, verifyVault } from '../../../main/node/secrets/vault-salt'
import { MAX_START_RETRY_MS, type RetryTimers } from '../../../main/node/runtime/runtime'
import { startDemoEnvironment, type DemoEnvironment } from '../../../main/sandbox/demo-env'
import { tempDir } from '../../helpers/app'

const KEY = 'cli-run-retry-test-passphrase-0123456789'
const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function configured(): Promise<{ dir: string; env: DemoEnvironment }> {
  const { dir, cleanup } = tempDir()
  cleanups.push(cleanup)
  const db = openDatabase(join(dir, 'lastunit.db'))
  const vault = createKeyVault(KEY, vaultSalt(db))
  verifyVault(db, vault)
  const env = await startDemoEnvironment({ db, vault, products: 12 })
  cleanups.push(() => env.stop())
  const map = db.prepare(
    "INSERT INTO sku_mappings (channel_id, listing_id, product_id, source) VALUES ('demo-amazon', ?, ?, 'sku')",
  )
  for (const p of env.products) map.run(p.sku, p.id)
  const rule = db.prepare('INSERT INTO buffer_rules (scope, velocity_class, buffer) VALUES (?, ?, 0)')
  rule.run('global', null)
  for (const v of ['slow', 'medium', 'fast']) rule.run('velocity_class', v)
  db.close()
  return { dir, env }
}

/** A clock the test moves: timers fire only when it is advanced past them. */
class TestClock implements RetryTimers {
  t = Date.parse('2026-03-02T08:00:00Z')
  private timers: Array<{ at: number; fn: () => void }> = []
  now = () => this.t
  setTimeout = (fn: () => void, ms: number) => {
    const h = { at: this.t + ms, fn }
    this.timers.push(h)
    return h
  }
  clearTimeout = (h: unknown) => {
    this.timers = this.timers.filter((x) => x !== h)
  }
  pending = () => this.timers.length
  advance(ms: number): void {
    this.t += ms
    const due = this.timers.filter((x) => x.at <= this.t)
    this.timers = this.timers.filter((x) => x.at > this.t)
    for (const d of due) d.fn()
  }
}

const until = async (what: string, ok: () => boolean, timeoutMs = 40_000) => {
  const end = Date.now() + timeoutMs
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

const hhmmss = (t: number) => new Date(t).toISOString().slice(11, 19)

describe('lastunit run while Odoo is unreachable', () => {
  it('retries for ever with growing waits, says each attempt, and syncs once Odoo answers', async () => {
    const { dir, env } = await configured()
    env.sims.odoo.server.faults = { down: true, downMode: 'reset' }
    const clock = new TestClock()
    const out: string[] = []
    const ac = new AbortController()
    let exit: number | null = null
    const done = runCli(['--data-dir', dir, 'run'], {
      out: (l) => out.push(l),
      err: (l) => out.push(`ERR ${l}`),
      env: { LASTUNIT_KEY: KEY },
      signal: ac.signal,
      timers: clock,
    }).then((code) => (exit = code))
    const retries = () => out.filter((l) => / retry /.test(l))
    await until('the first failed attempt', () => retries().length === 1)
    await until('the waiting line', () => out.some((l) => l.includes('waits for Odoo')))
    expect(retries()[0]).toContain('start attempt 1 failed: Odoo:')
    expect(retries()[0]).toContain(`Next attempt at ${hhmmss(clock.t + 5_000)} (in 5 s)`)

    // The waits grow (5 s, 10 s, 20 s, 40 s) up to the cap and stay there; the command never exits.
    const expected = [10_000, 20_000, 40_000, MAX_START_RETRY_MS, MAX_START_RETRY_MS]
    let wait = 5_000
    for (const [i, next] of expected.entries()) {
      clock.advance(wait)
      await until(`attempt ${i + 2}`, () => retries().length === i + 2)
      const line = retries()[i + 1]!
      expect(line).toContain(`start attempt ${i + 2} failed: Odoo:`)
      expect(line).toContain(
        `Next attempt at ${hhmmss(clock.t + next)} (in ${next / 1000 >= 60 ? '1 min' : `${next / 1000} s`})`,
      )
      wait = next
    }
    expect(exit).toBeNull()
    expect(clock.pending()).toBe(1)
    expect(out.join('\n')).not.toMatch(/ERR|LastUnit is syncing/)

    // Odoo comes back: the next attempt starts sync, and stock flows.
    env.sims.odoo.server.faults = {}
    clock.advance(wait)
    await until('sync to start', () => out.some((l) => l.startsWith('LastUnit is syncing')))
    expect(out.join('\n')).toContain('start attempt 7 reached Odoo: sync starts.')
    const p = env.products[2]!
    env.sims.odoo.store.applyInventory(p.id, env.locationIds[0]!, 37)
    const free = () => env.sims.odoo.store.stockOf(p.id, env.locationIds).free
    await until('Amazon to show the free stock', () => env.sims.amazon.quantityOf(p.sku) === free())
    expect(exit).toBeNull()

    ac.abort()
    await done
    expect(exit).toBe(0)
    expect(out.at(-1)).toBe('Stopped.')
  }, 90_000)

  it("an HTML page with 200 at Odoo's version endpoint is retried like an unreachable Odoo, saying what came", async () => {
    const { dir, env } = await configured()
    // A proxy's page instead of every answer (the fault campaign's odoo_malformed).
    env.sims.odoo.server.faults = { malformedRate: 1 }
    const clock = new TestClock()
    const out: string[] = []
    const ac = new AbortController()
    let exit: number | null = null
    const done = runCli(['--data-dir', dir, 'run'], {
      out: (l) => out.push(l),
      err: (l) => out.push(`ERR ${l}`),
      env: { LASTUNIT_KEY: KEY },
      signal: ac.signal,
      timers: clock,
    }).then((code) => (exit = code))
    const retries = () => out.filter((l) => / retry /.test(l))
    await until('the first failed attempt', () => retries().length === 1)
    expect(retries()[0]).toContain('start attempt 1 failed: Odoo:')
    expect(retries()[0]).toContain('answered the version request with an HTML page')
    expect(retries()[0]).toContain('502 Bad Gateway')
    expect(retries()[0]).toContain('(in 5 s)')
    clock.advance(5_000)
    await until('the second attempt', () => retries().length === 2)
    expect(retries()[1]).toContain('(in 10 s)')
    expect(exit).toBeNull()
    expect(out.join('\n')).not.toMatch(/ERR|cannot sync/)

    env.sims.odoo.server.faults = {}
    clock.advance(10_000)
    await until('sync to start', () => out.some((l) => l.startsWith('LastUnit is syncing')))
    ac.abort()
    await done
    expect(exit).toBe(0)
  }, 90_000)

  it('as its own process, it stays up after a failed attempt until the next one (nothing else holds it)', async () => {
    const { dir, env } = await configured()
    env.sims.odoo.server.faults = { down: true, downMode: 'reset' }
    const child = spawn(process.execPath, ['bin/lastunit.mjs', '--data-dir', dir, 'run'], {
      env: { ...process.env, LASTUNIT_KEY: KEY },
    })
    let out = ''
    let exit: number | string | null = null
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    child.on('exit', (code, signal) => (exit = code ?? signal))
    cleanups.push(() => void child.kill('SIGKILL'))
    // The second attempt comes 5 s after the first: the process must still be there to make it.
    await until(
      'the second attempt, or the exit',
      () => exit !== null || (out.match(/ retry start attempt /g) ?? []).length >= 2,
      60_000,
    )
    expect(exit, out).toBeNull()
    expect(out).toContain('start attempt 2 failed: Odoo:')
    child.kill('SIGTERM')
    await until('the exit', () => exit !== null, 30_000)
    expect(exit).toBe(0)
  }, 90_000)

  it('a signal while it waits stops it at once, with exit code 0', async () => {
    const { dir, env } = await configured()
    env.sims.odoo.server.faults = { down: true, downMode: 'reset' }
    const clock = new TestClock()
    const out: string[] = []
    const ac = new AbortController()
    const done = runCli(['--data-dir', dir, 'run'], {
      out: (l) => out.push(l),
      err: (l) => out.push(`ERR ${l}`),
      env: { LASTUNIT_KEY: KEY },
      signal: ac.signal,
      timers: clock,
    })
    await until('the waiting line', () => out.some((l) => l.includes('waits for Odoo')))
    ac.abort()
    expect(await done).toBe(0)
    expect(clock.pending()).toBe(0)
    expect(out.at(-1)).toBe('Stopped.')
  }, 60_000)
})
