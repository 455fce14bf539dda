import { afterEach, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { openDatabase } from '../../../main/node/db/database'
import { Runtime } from '../../../main/node/runtime/runtime'
import { createKeyVault } from '../../../main/node/secrets/key-vault'
import { vaultSalt } from '../../../main/node/secrets/vault-salt'
import { createHandlers } from '../../../main/node/api/handlers'
import { createDispatcher } from '../../../main/node/api/dispatcher'
import { tempDir, TEST_PASSPHRASE } from '../../helpers/app'
import { startDemoEnvironment } from '../../../main/sandbox/demo-env'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

describe('checklist over the IPC contract', () => {
  it('shows the seven checks, re-checks, and refuses to go live with failures unless a reason is given', async () => {
    const { dir, cleanup } = tempDir()
    const db = openDatabase(join(dir, 'lastunit.db'))
    const vault = createKeyVault(TEST_PASSPHRASE, vaultSalt(db))
    const rt = new Runtime({
      db,
      vault,
      dataDir: dir,
      host: 'cli',
      version: 'test',
      demo: startDemoEnvironment,
    })
    cleanups.push(
      cleanup,
      () => void db.close(),
      () => rt.stop(),
    )
    await rt.start()
    expect((await rt.startDemo()).started).toBe(true)
    const dispatch = createDispatcher(createHandlers(rt.handlerContext()), { isTrustedSender: () => true })
    const sender = { url: 'app://lastunit/', isMainFrame: true }
    // A channel in setup: take one demo channel back to setup.
    rt.db.prepare("UPDATE channels SET state = 'setup' WHERE id = 'demo-bol'").run()

    const view = await dispatch('getChecklist', { channelId: 'demo-bol' }, sender)
    expect(view.ok).toBe(true)
    if (!view.ok) return
    expect((view.value as { results: unknown[] }).results).toHaveLength(7)

    const run = await dispatch('runChecklist', { channelId: 'demo-bol' }, sender)
    expect(run.ok).toBe(true)
    if (!run.ok) return
    const results = (run.value as { results: { id: string; status: string; evidence: string }[] }).results
    expect(results.find((r) => r.id === 'skus_mapped')?.status).toBe('pass')
    expect(results.find((r) => r.id === 'zero_stock')?.status).not.toBe('pass')

    const refused = await dispatch('goLive', { channelId: 'demo-bol' }, sender)
    expect(refused).toMatchObject({ ok: true, value: { live: false } })
    const tooShort = await dispatch('goLive', { channelId: 'demo-bol', overrideReason: 'because' }, sender)
    expect(tooShort).toMatchObject({ ok: false, error: { code: 'invalid_payload' } })
    const forced = await dispatch(
      'goLive',
      { channelId: 'demo-bol', overrideReason: 'Tested by hand on the bol.com test shop today' },
      sender,
    )
    expect(forced).toMatchObject({ ok: true, value: { live: true } })
    expect(rt.db.prepare("SELECT state FROM channels WHERE id = 'demo-bol'").get()).toEqual({ state: 'live' })
    expect(await dispatch('getChecklist', { channelId: 'nope' }, sender)).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    })
  }, 120_000)
})
