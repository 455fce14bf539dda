import { afterEach, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { runCli } from '../../../main/cli'
import { openDatabase } from '../../../main/node/db/database'
import { createKeyVault } from '../../../main/node/secrets/key-vault'
import { vaultSalt, verifyVault } from '../../../main/node/secrets/vault-salt'
import { startDemoEnvironment, type DemoEnvironment } from '../../../main/sandbox/demo-env'
import { tempDir } from '../../helpers/app'

const KEY = 'cli-run-test-passphrase-0123456789'
const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

/** A seller's data directory configured against the simulators (the demo environment writes the config). */
async function configured(): Promise<{ dir: string; env: DemoEnvironment }> {
  const { dir, cleanup } = tempDir()
  cleanups.push(cleanup)
  const db = openDatabase(join(dir, 'lastunit.db'))
  const vault = createKeyVault(KEY, vaultSalt(db))
  verifyVault(db, vault)
  const env = await startDemoEnvironment({ db, vault, products: 12 })
  cleanups.push(() => env.stop())
  // Amazon listings are keyed by seller SKU: map them, and size every buffer to 0 so the figure is plain.
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

const until = async (what: string, ok: () => boolean, timeoutMs = 40_000) => {
  const end = Date.now() + timeoutMs
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('lastunit run / resync', () => {
  it('run syncs a configured data directory and drains on stop', async () => {
    const { dir, env } = await configured()
    const out: string[] = []
    const ac = new AbortController()
    const done = runCli(['--data-dir', dir, 'run'], {
      out: (l) => out.push(l),
      err: (l) => out.push(`ERR ${l}`),
      env: { LASTUNIT_KEY: KEY },
      signal: ac.signal,
    })
    await until('the engine to start', () => out.some((l) => l.startsWith('LastUnit is syncing')))
    const p = env.products[3]!
    env.sims.odoo.store.applyInventory(p.id, env.locationIds[0]!, 41)
    const free = () => env.sims.odoo.store.stockOf(p.id, env.locationIds).free
    await until('Amazon to show the free stock', () => env.sims.amazon.quantityOf(p.sku) === free())
    ac.abort()
    expect(await done).toBe(0)
    expect(out.at(-1)).toBe('Stopped.')
    expect(out.join('\n')).not.toMatch(/ERR/)
    expect(out.join('\n')).toMatch(
      new RegExp(`info  push     demo-amazon: ${p.sku} set ${free()} (accepted|confirmed)`),
    )
  }, 60_000)

  it('run refuses an unconfigured data directory with the reason', async () => {
    const { dir, cleanup } = tempDir()
    cleanups.push(cleanup)
    const err: string[] = []
    const code = await runCli(['--data-dir', dir, 'run'], {
      out: () => undefined,
      err: (l) => err.push(l),
      env: { LASTUNIT_KEY: KEY },
    })
    expect(code).toBe(1)
    expect(err.join('\n')).toMatch(/cannot sync: Nothing is configured yet/)
  })

  it('resync rejects an unknown channel', async () => {
    const { dir } = await configured()
    const err: string[] = []
    const code = await runCli(['--data-dir', dir, 'resync', '--channel', 'nope'], {
      out: () => undefined,
      err: (l) => err.push(l),
      env: { LASTUNIT_KEY: KEY },
    })
    expect(code).toBe(2)
    expect(err.join('\n')).toMatch(/No syncing channel named nope/)
  }, 60_000)

  it('resync with no live channel ends at once, exit 0, saying why', async () => {
    const { dir } = await configured()
    const db = openDatabase(join(dir, 'lastunit.db'))
    db.prepare("UPDATE channels SET state = 'setup'").run()
    db.close()
    const out: string[] = []
    const code = await runCli(['--data-dir', dir, 'resync'], {
      out: (l) => out.push(l),
      err: (l) => out.push(`ERR ${l}`),
      env: { LASTUNIT_KEY: KEY },
    })
    expect(code).toBe(0)
    expect(out.join('\n')).toMatch(/Nothing to resync: no channel is live yet/)
  }, 60_000)

  it('checklist and backup are wired: a failing checklist exits non-zero, a backup lands in backups/', async () => {
    const { dir } = await configured()
    const out: string[] = []
    const io = {
      out: (l: string) => out.push(l),
      err: (l: string) => out.push(l),
      env: { LASTUNIT_KEY: KEY },
    }
    // No listing of the channel is mapped yet: the mapping check fails.
    expect(await runCli(['--data-dir', dir, 'checklist', 'demo-bol'], io)).toBe(1)
    expect(out.join('\n')).toMatch(/fail/i)
    expect(await runCli(['--data-dir', dir, 'checklist', 'nope'], io)).not.toBe(0)
    expect(out.join('\n')).toMatch(/There is no channel "nope"/)
    out.length = 0
    expect(await runCli(['--data-dir', dir, 'backup'], io)).toBe(0)
    expect(await runCli(['--data-dir', dir, 'backup', '--list'], io)).toBe(0)
    expect(out.join('\n')).toMatch(/backups/)
  }, 60_000)

  it('run --rate-scale is refused unless every channel is a simulator on this machine', async () => {
    const { dir } = await configured()
    const err: string[] = []
    const io = { out: () => undefined, err: (l: string) => err.push(l), env: { LASTUNIT_KEY: KEY } }
    expect(await runCli(['--data-dir', dir, 'run', '--rate-scale', 'fast'], io)).toBe(2)
    expect(err.join('\n')).toMatch(/--rate-scale must be a number from 1 to 1000, got "fast"/)
    const db = openDatabase(join(dir, 'lastunit.db'))
    db.prepare("UPDATE channels SET base_url = 'https://api.bol.com' WHERE id = 'demo-bol'").run()
    db.close()
    err.length = 0
    expect(await runCli(['--data-dir', dir, 'run', '--rate-scale', '20'], io)).toBe(2)
    expect(err.join('\n')).toMatch(
      /--rate-scale is only for simulators on this machine: channel "demo-bol" points at https:\/\/api\.bol\.com/,
    )
  }, 60_000)
})
