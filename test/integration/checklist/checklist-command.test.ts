import { afterEach, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../helpers/app'
import { getChannel, upsertChannel } from '../../../main/node/db/repos/channels'
import { setChannelLocations } from '../../../main/node/db/repos/location-rules'
import { recentSyncLog } from '../../../main/node/db/repos/sync-log'
import {
  checklistView,
  EXIT_FAILING,
  EXIT_OK,
  EXIT_USAGE,
  recheckOtherChannels,
  runChecklist,
  runChecklistCommand,
  type ChecklistDeps,
} from '../../../main/node/checklist'

const apps: TestApp[] = []
afterEach(() => {
  for (const a of apps.splice(0)) a.close()
})

function setup() {
  const app = createTestApp()
  apps.push(app)
  const { db } = app
  const channel = (id: string, name: string) =>
    upsertChannel(db, {
      id,
      type: 'bol',
      name,
      baseUrl: 'https://api.bol.com',
      environment: 'production',
      settings: {},
      stockBasis: 'free',
      zeroStockAction: 'pause',
      orderImport: true,
      odooPartnerId: null,
      odooWarehouseId: null,
      maxPublished: null,
      zeroBelow: null,
    })
  channel('bol-nl', 'bol.com NL')
  db.prepare(
    `INSERT INTO odoo_locations (id, name, complete_name, usage, parent_id, parent_path, warehouse_id, company_id)
     VALUES (7, 'WH', 'WH', 'view', NULL, '7/', 1, 1), (8, 'Stock', 'WH/Stock', 'internal', 7, '7/8/', 1, 1)`,
  ).run()
  setChannelLocations(db, 'bol-nl', [8])
  db.prepare(
    "INSERT INTO listings (channel_id, listing_id, sku, title) VALUES ('bol-nl', 'O-1', 'SKU-1', 'Mug')",
  ).run()
  // No engine, no credentials: what can be measured offline is, the rest fails or has not run.
  const deps: ChecklistDeps = { db, engine: null }
  const io = () => {
    const out: string[] = []
    const err: string[] = []
    return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), deps } }
  }
  return { db, deps, io, channel }
}

describe('lastunit checklist CHANNEL', () => {
  it('prints every check with its evidence and fix, and exits non-zero when a check fails', async () => {
    const { io } = setup()
    const c = io()
    expect(await runChecklistCommand(['bol-nl'], c.io)).toBe(EXIT_FAILING)
    expect(c.out[0]).toBe('Pre-launch checklist for bol.com NL (bol-nl, setup)')
    expect(c.out).toContain('2. [FAIL] Real-time sync active on every channel')
    expect(c.out).toContain('5. [FAIL] All active SKUs mapped')
    expect(c.out).toContain('   1 of 1 listings are not mapped to an Odoo product: SKU-1.')
    expect(c.out).toContain(
      '   Fix: Open SKU mapping, show the unmapped listings of bol.com NL, and map SKU-1 to their Odoo products (Auto-match finds those whose SKU or EAN is in Odoo; or import a CSV). (screen: SKU mapping)',
    )
    expect(c.out).toContain('6. [PASS] Warehouse rules set, no double counting')
    expect(c.out.at(-2)).toMatch(/^\d failing, \d not yet passing: /)
    // The closing line names the command to run next.
    expect(c.out.at(-1)).toMatch(/^Next: /)
    expect(c.err).toEqual([])
  })

  it('prints JSON with the same results the screen gets', async () => {
    const { io, deps } = setup()
    const c = io()
    expect(await runChecklistCommand(['bol-nl', '--json'], c.io)).toBe(EXIT_FAILING)
    const printed = JSON.parse(c.out.join('\n')) as { results: Array<{ id: string; status: string }> }
    const view = checklistView(deps.db, 'bol-nl')
    expect(printed.results.map((r) => [r.id, r.status])).toEqual(view.results.map((r) => [r.id, r.status]))
  })

  it('refuses bad arguments and unknown channels with the usage', async () => {
    const { io } = setup()
    const a = io()
    expect(await runChecklistCommand([], a.io)).toBe(EXIT_USAGE)
    expect(a.err[0]).toBe('name the channel to check')
    const b = io()
    expect(await runChecklistCommand(['nope'], b.io)).toBe(EXIT_USAGE)
    expect(b.err).toEqual(['There is no channel "nope".'])
    const c = io()
    expect(await runChecklistCommand(['bol-nl', '--override', 'x'], c.io)).toBe(EXIT_USAGE)
  })

  it('--stored marks results stale after the configuration they covered changed', async () => {
    const { io, db } = setup()
    await runChecklistCommand(['bol-nl'], io().io)
    setChannelLocations(db, 'bol-nl', [7, 8])
    const c = io()
    await runChecklistCommand(['bol-nl', '--stored'], c.io)
    expect(c.out).toContain('6. [NOT RUN] Warehouse rules set, no double counting (stale)')
    expect(c.out).toContain('5. [FAIL] All active SKUs mapped')
  })

  it('--go-live is refused while checks fail; with an override and a reason it goes live and logs the reason', async () => {
    const { io, db } = setup()
    const a = io()
    expect(await runChecklistCommand(['bol-nl', '--go-live'], a.io)).toBe(EXIT_FAILING)
    expect(a.out.at(-2)).toMatch(
      /^bol.com NL cannot go live: .*All active SKUs mapped.* override with a reason\.$/,
    )
    expect(a.out.at(-1)).toMatch(/^Next: /)
    expect(getChannel(db, 'bol-nl')!.state).toBe('setup')
    const b = io()
    const reason = 'Soft launch with one test listing; Odoo connection follows tomorrow'
    expect(await runChecklistCommand(['bol-nl', '--go-live', '--override', reason], b.io)).toBe(EXIT_OK)
    expect(getChannel(db, 'bol-nl')!.state).toBe('live')
    const rows = db
      .prepare("SELECT check_id, status, override_reason FROM checklist_results WHERE channel_id = 'bol-nl'")
      .all() as Array<{ check_id: string; status: string; override_reason: string | null }>
    expect(rows.find((r) => r.check_id === 'skus_mapped')).toEqual({
      check_id: 'skus_mapped',
      status: 'overridden',
      override_reason: reason,
    })
    expect(rows.find((r) => r.check_id === 'warehouses')!.status).toBe('pass')
    const log = recentSyncLog(db, { channelId: 'bol-nl', kind: 'checklist', limit: 1 })[0]!
    expect(log).toMatchObject({ level: 'warn', status: 'go_live_override' })
    expect(log.message).toContain(reason)
  })

  it('overridden checks are never reported as passing, in the summary, the go-live message or the log', async () => {
    const { io, db } = setup()
    const reason = 'Soft launch while the mapping is finished'
    const a = io()
    expect(await runChecklistCommand(['bol-nl', '--go-live', '--override', reason], a.io)).toBe(EXIT_OK)
    const b = io()
    // Every check now passes or carries a valid override: still not "every check passes".
    expect(await runChecklistCommand(['bol-nl'], b.io)).toBe(EXIT_OK)
    for (const out of [a.out, b.out]) {
      expect(out.join('\n')).not.toMatch(/every check passes/i)
      expect(out).toContain('5. [OVERRIDDEN] All active SKUs mapped')
    }
    expect(b.out.at(-1)).toMatch(
      /^\d of 7 checks do not pass and are overridden \(.*All active SKUs mapped.*\); the others pass\.$/,
    )
    // Going live again from a fresh setup with the stored overrides still valid says so, and logs it.
    db.prepare("UPDATE channels SET state = 'setup' WHERE id = 'bol-nl'").run()
    const c = io()
    expect(await runChecklistCommand(['bol-nl', '--go-live'], c.io)).toBe(EXIT_OK)
    expect(c.out.join('\n')).not.toMatch(/every check passes/i)
    expect(c.out).toContain(
      `bol.com NL is live; ${b.out.filter((l) => l.includes('[OVERRIDDEN]')).length} checks overridden: ${reason}`,
    )
    const log = recentSyncLog(db, { channelId: 'bol-nl', kind: 'checklist', limit: 1 })[0]!
    expect(log).toMatchObject({ level: 'warn', status: 'go_live_override' })
  })

  it('a disabled channel does not go live, even with an override', async () => {
    const { io, db } = setup()
    db.prepare("UPDATE channels SET state = 'disabled' WHERE id = 'bol-nl'").run()
    const c = io()
    expect(await runChecklistCommand(['bol-nl', '--go-live', '--override', 'why not'], c.io)).toBe(
      EXIT_FAILING,
    )
    expect(c.out.at(-1)).toBe('bol.com NL is disabled: enable it (back to setup) before it can go live.')
    expect(getChannel(db, 'bol-nl')!.state).toBe('disabled')
  })

  it('adding a channel makes the others stale; re-checking them stores fresh results', async () => {
    const { deps, db, channel } = setup()
    await runChecklist(deps, 'bol-nl')
    expect(checklistView(db, 'bol-nl').results.some((r) => r.stale)).toBe(false)
    channel('bol-be', 'bol.com BE')
    const stale = checklistView(db, 'bol-nl').results.filter((r) => r.stale)
    expect(stale.map((r) => r.id).sort()).toEqual(['return_restock', 'sync_active'])
    const runs = await recheckOtherChannels(deps, 'bol-be')
    expect(runs.map((r) => r.channelId)).toEqual(['bol-nl'])
    expect(checklistView(db, 'bol-nl').results.some((r) => r.stale)).toBe(false)
  })
})
