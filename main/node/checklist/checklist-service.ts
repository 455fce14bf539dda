// Runs a channel's pre-launch checklist (snapshot from SQLite and the engine, rules from core), stores the
// results, and guards go-live: setup -> live only when every check passes or the seller overrides the rest
// with a reason, which is logged.
import type { Database } from 'better-sqlite3'
import {
  CHECK_IDS,
  checkConfigHash,
  decideGoLive,
  evaluateChecklist,
  SINGLE_SOURCE_CONFIRMED,
  storedResultsView,
  type CheckId,
  type CheckResult,
  type ChecklistSnapshot,
} from '../../core/checklist'
import { errorMessage } from '../../core/errors'
import type { ChannelAdapter } from '../../core/ports/channel-adapter'
import type { OdooLocation } from '../../core/ports/odoo-gateway'
import type { SecretVault } from '../../core/ports/secret-vault'
import { getChannel, listChannels, setChannelState, type ChannelRow } from '../db/repos/channels'
import { readCredentials } from '../db/repos/credentials'
import { listMappings } from '../db/repos/mappings'
import { appendSyncLog } from '../db/repos/sync-log'
import { listingLabels } from '../db/repos/labels'
import { driftedListingsSince } from '../db/repos/log-view'
import type { Engine, EngineStatus } from '../engine'
import { createChannelAdapter, type AdapterFactoryOptions } from '../runtime/channel-registry'
import { isOdooConfigured, odooGatewayFromStore } from '../runtime/odoo-from-store'
import { readListingStates, sleep } from './channel-probe'
import { readStoredResults, saveResult } from '../db/repos/checklist-results'
import { buildSnapshot, checklistConfig, UnknownChannelError } from './snapshot'
import { runReturnRestockTest, type ReturnTestFigures, type ReturnTestResult } from './return-test'
import { runZeroStockTest, type ZeroStockTestResult } from './zero-stock-test'

export interface ChecklistDeps {
  db: Database
  /** The running engine (null when sync is not running). */
  engine: Engine | null
  /**
   * Without an engine here: the status of an engine running in another process (its snapshot in the data
   * folder), with words naming it; null when none runs.
   */
  runningElsewhere?: () => { status: EngineStatus; source: string } | null
  /** When no engine runs anywhere: one poll of Odoo made by the check itself (when, and Odoo's error). */
  probeOdoo?: () => Promise<{ at: number; error: string | null }>
  /** Decrypts channel and Odoo credentials, to reach the channel's API and Odoo's location tree. */
  vault?: SecretVault
  adapterOptions?: AdapterFactoryOptions
  /** A host may hand in its own adapter for a channel; else one is built from the stored configuration. */
  adapterFor?: (channelId: string) => ChannelAdapter | null
  /** Odoo's location tree; default: read through the stored Odoo connection, else the stored copy. */
  odooLocations?: () => Promise<OdooLocation[]>
  /** For channels the engine does not sync yet: the gap between the two read-backs that detect other writers. */
  readBackGapMs?: number
  now?: () => number
  /** Each step of a run as it starts and ends, for a progress display. */
  onStep?: (step: ChecklistStep, state: 'running' | 'done') => void
}

/** The steps of a checklist run, in the order they finish at the latest. */
export type ChecklistStep = 'read_back' | 'locations' | 'odoo' | 'evaluate'

export interface ChecklistRun {
  channelId: string
  channelName: string
  channelState: ChannelRow['state']
  results: CheckResult[]
  /** True when every check passes or is overridden. */
  passed: boolean
}

export interface GoLiveResult {
  live: boolean
  message: string
  blocking: CheckResult[]
  overridden: CheckResult[]
  run: ChecklistRun
}

const mustChannel = (db: Database, id: string): ChannelRow => {
  const c = getChannel(db, id)
  if (!c) throw new UnknownChannelError(id)
  return c
}

const isDone = (r: CheckResult) => r.status === 'pass' || r.status === 'overridden'

/** The channel's adapter; `done` closes it when this module built it (a host's own adapter stays open). */
function adapterOf(
  deps: ChecklistDeps,
  c: ChannelRow,
): { adapter: ChannelAdapter; done: () => Promise<void> } {
  const own = deps.adapterFor?.(c.id)
  if (own) return { adapter: own, done: async () => undefined }
  if (!deps.vault) throw new Error(`no adapter for ${c.name}: credentials cannot be read without the vault`)
  const adapter = createChannelAdapter(
    c,
    readCredentials(deps.db, deps.vault, `channel:${c.id}`),
    deps.adapterOptions,
  )
  return { adapter, done: async () => void (await adapter.close?.().catch(() => undefined)) }
}

async function locationsOf(deps: ChecklistDeps): Promise<OdooLocation[] | null> {
  try {
    if (deps.odooLocations) return await deps.odooLocations()
    if (!deps.vault || !isOdooConfigured(deps.db)) return null
    const gw = await odooGatewayFromStore(deps.db, deps.vault)
    try {
      return await gw.listLocations()
    } finally {
      await gw.close().catch(() => undefined)
    }
  } catch {
    // The stored copy of the tree stands in when Odoo cannot be reached.
    return null
  }
}

/**
 * Drift on a synced channel: the engine's reconciliation compares read-back with what it published. On a
 * channel not synced yet, LastUnit writes nothing, so any change between two read-backs is another writer.
 */
async function readBackOf(
  deps: ChecklistDeps,
  c: ChannelRow,
): Promise<{ readBack: ChecklistSnapshot['readBack']; error: string | null }> {
  const synced = deps.engine?.status().channels.some((x) => x.channelId === c.id) ?? false
  let a: ReturnType<typeof adapterOf>
  try {
    a = adapterOf(deps, c)
  } catch (e) {
    return { readBack: null, error: errorMessage(e) }
  }
  try {
    return { readBack: await measureDrift(deps, c, a.adapter, synced), error: null }
  } catch (e) {
    return { readBack: null, error: errorMessage(e) }
  } finally {
    await a.done()
  }
}

async function measureDrift(
  deps: ChecklistDeps,
  c: ChannelRow,
  adapter: ChannelAdapter,
  synced: boolean,
): Promise<ChecklistSnapshot['readBack']> {
  const now = deps.now ?? Date.now
  const supported = adapter.capabilities.readBack && !!adapter.readBack
  if (!supported) return { supported: false, method: 'unchanged', checked: 0, drifted: 0, at: now() }
  const named = (ids: string[]) => {
    const labels = listingLabels(deps.db, c.id, ids)
    return ids.map((id) => {
      const l = labels.get(id)
      return l?.productName ? `${l.sku ? `${l.sku} ` : ''}${l.productName}` : `listing ${id}`
    })
  }
  if (synced && deps.engine) {
    await deps.engine.idle(10_000)
    const since = now()
    const r = await deps.engine.reconcile(c.id)
    return {
      supported: true,
      method: 'reconcile',
      checked: r.checked,
      drifted: r.drifted,
      at: now(),
      driftedListings: r.drifted > 0 ? named(driftedListingsSince(deps.db, c.id, since)) : [],
    }
  }
  const ids = listMappings(deps.db, c.id).map((m) => m.listingId)
  const first = await readListingStates(adapter, ids)
  await sleep(deps.readBackGapMs ?? 2000)
  const second = new Map((await readListingStates(adapter, ids)).map((s) => [s.listingId, s]))
  const moved = first.filter((s) => {
    const b = second.get(s.listingId)
    return !b || b.quantity !== s.quantity || b.available !== s.available
  })
  return {
    supported: true,
    method: 'unchanged',
    checked: first.length,
    drifted: moved.length,
    at: now(),
    driftedListings: named(moved.map((m) => m.listingId)),
  }
}

function persist(db: Database, channelId: string, results: CheckResult[]): void {
  db.transaction(() => {
    for (const r of results)
      saveResult(db, channelId, {
        checkId: r.id,
        status: r.status,
        evidence: r.evidence,
        configHash: r.configHash,
        checkedAt: r.checkedAt,
        overrideReason: r.overrideReason,
      })
  })()
}

const summary = (c: ChannelRow, results: CheckResult[]): ChecklistRun => ({
  channelId: c.id,
  channelName: c.name,
  channelState: c.state,
  results,
  passed: results.every(isDone),
})

/** Evaluates all seven checks now (automatic ones measured, tests from their last run) and stores them. */
export async function runChecklist(deps: ChecklistDeps, channelId: string): Promise<ChecklistRun> {
  const c = mustChannel(deps.db, channelId)
  // Odoo is probed only when no engine runs anywhere; the engine's status is read after the reads.
  const runsElsewhere = !deps.engine && !!deps.runningElsewhere?.()
  const step = <T>(name: ChecklistStep, p: () => Promise<T>): Promise<T> => {
    deps.onStep?.(name, 'running')
    return p().finally(() => deps.onStep?.(name, 'done'))
  }
  const [read, locations, probe] = await Promise.all([
    step('read_back', () => readBackOf(deps, c)),
    step('locations', () => locationsOf(deps)),
    step('odoo', () =>
      !deps.engine && !runsElsewhere && deps.probeOdoo ? deps.probeOdoo() : Promise.resolve(null),
    ),
  ])
  deps.onStep?.('evaluate', 'running')
  const elsewhere = deps.engine ? null : (deps.runningElsewhere?.() ?? null)
  const status = deps.engine?.status() ?? elsewhere?.status ?? null
  const snapshot = buildSnapshot({
    db: deps.db,
    channelId,
    now: (deps.now ?? Date.now)(),
    status,
    syncSource: elsewhere?.source ?? null,
    odooProbe: probe,
    readBack: read.readBack,
    readBackError: read.error,
    locations,
  })
  const results = evaluateChecklist(snapshot)
  persist(deps.db, channelId, results)
  deps.onStep?.('evaluate', 'done')
  return summary(mustChannel(deps.db, channelId), results)
}

/** The stored results as the checklist screen opens them (no I/O): stale ones say so. */
export function checklistView(db: Database, channelId: string): ChecklistRun {
  const c = mustChannel(db, channelId)
  const config = checklistConfig(db, channelId)
  const hashes = Object.fromEntries(CHECK_IDS.map((id) => [id, checkConfigHash(id, config)])) as Record<
    CheckId,
    string
  >
  return summary(c, storedResultsView(readStoredResults(db, channelId), hashes))
}

export async function runChannelZeroStockTest(
  deps: ChecklistDeps,
  channelId: string,
  opts: {
    listingId?: string
    timeoutMs?: number
    restoreTo?: (listingId: string) => Promise<number | null>
  } = {},
): Promise<ZeroStockTestResult> {
  const a = adapterOf(deps, mustChannel(deps.db, channelId))
  try {
    return await runZeroStockTest({
      db: deps.db,
      engine: deps.engine,
      adapter: a.adapter,
      channelId,
      ...opts,
    })
  } finally {
    await a.done()
  }
}

export function runChannelReturnTest(
  deps: ChecklistDeps,
  channelId: string,
  opts: {
    productId?: number
    performReturn?: (productId: number) => Promise<void> | void
    timeoutMs?: number
    /** Default: the engine's figures. */
    figures?: ReturnTestFigures
    progress?: (line: string) => void
    progressEveryMs?: number
    signal?: AbortSignal
  } = {},
): Promise<ReturnTestResult> {
  return runReturnRestockTest({ db: deps.db, engine: deps.engine, channelId, ...opts })
}

/**
 * Moves a channel from setup to live after a fresh run of the checklist: allowed when every check passes,
 * or with `overrideReason` for the ones that do not (stored on each and logged).
 */
export async function goLive(
  deps: ChecklistDeps,
  channelId: string,
  opts: { overrideReason?: string | null } = {},
): Promise<GoLiveResult> {
  const db = deps.db
  const c = mustChannel(db, channelId)
  if (c.state === 'live') {
    const run = checklistView(db, channelId)
    return { live: true, message: `${c.name} is already live.`, blocking: [], overridden: [], run }
  }
  if (c.state === 'disabled') {
    const run = checklistView(db, channelId)
    return {
      live: false,
      message: `${c.name} is disabled: enable it (back to setup) before it can go live.`,
      blocking: [],
      overridden: [],
      run,
    }
  }
  const run = await runChecklist(deps, channelId)
  const decision = decideGoLive(run.results, opts.overrideReason)
  const now = (deps.now ?? Date.now)()
  if (!decision.allowed) {
    const names = decision.blocking.map((r) => r.title).join(', ')
    appendSyncLog(db, {
      at: now,
      level: 'warn',
      kind: 'checklist',
      channelId,
      status: 'go_live_refused',
      message: `${c.name} stays in setup: ${decision.blocking.length} checks do not pass (${names})`,
      data: { checks: decision.blocking.map((r) => r.id) },
    })
    return {
      live: false,
      message: `${c.name} cannot go live: ${names} ${decision.blocking.length === 1 ? 'does' : 'do'} not pass. Fix ${decision.blocking.length === 1 ? 'it' : 'them'}, or override with a reason.`,
      blocking: decision.blocking,
      overridden: [],
      run,
    }
  }
  const reason = opts.overrideReason?.trim() ?? ''
  const overridden = decision.overriding.map((r) => ({
    ...r,
    status: 'overridden' as const,
    overrideReason: reason,
  }))
  // Overrides given earlier and still valid count as overrides too: never reported as passing checks.
  const earlier = run.results.filter((r) => r.status === 'overridden')
  const all = [...earlier, ...overridden]
  const reasons = [...new Set(all.map((r) => r.overrideReason ?? '').filter(Boolean))].join('; ')
  db.transaction(() => {
    persist(db, channelId, overridden)
    setChannelState(db, channelId, 'live')
    appendSyncLog(db, {
      at: now,
      level: all.length > 0 ? 'warn' : 'info',
      kind: 'checklist',
      channelId,
      status: all.length > 0 ? 'go_live_override' : 'go_live',
      message:
        all.length > 0
          ? `${c.name} went live with ${all.length} checks overridden (${all.map((r) => r.title).join(', ')}): ${reasons}`
          : `${c.name} went live: every pre-launch check passes`,
      data: all.length > 0 ? { checks: all.map((r) => r.id), reason: reasons } : null,
    })
  })()
  // The engine syncs live channels only: it picks this one up now.
  await deps.engine?.reloadConfig().catch((e: unknown) =>
    appendSyncLog(db, {
      at: now,
      level: 'warn',
      kind: 'checklist',
      channelId,
      message: `reload after go-live: ${errorMessage(e)}`,
    }),
  )
  const results = run.results.map((r) => overridden.find((o) => o.id === r.id) ?? r)
  return {
    live: true,
    message:
      all.length > 0
        ? `${c.name} is live; ${all.length} checks overridden: ${reasons}`
        : `${c.name} is live: every check passes.`,
    blocking: [],
    overridden: all,
    run: { ...run, channelState: 'live', results, passed: true },
  }
}

/**
 * The seller confirms that nothing but LastUnit writes stock on a channel whose API cannot read stock back
 * (Zalando): there is no drift to measure, so the confirmation is the single-source check. It holds until
 * the channel's address, type or stock basis changes, and is logged. Refused where drift is measured.
 */
export async function confirmSingleSource(deps: ChecklistDeps, channelId: string): Promise<ChecklistRun> {
  const c = mustChannel(deps.db, channelId)
  const a = adapterOf(deps, c)
  const measurable = a.adapter.capabilities.readBack && !!a.adapter.readBack
  await a.done()
  if (measurable)
    throw new Error(
      `${c.name} can be read back, so LastUnit measures drift itself: check again instead of confirming.`,
    )
  const at = (deps.now ?? Date.now)()
  const evidence = `${SINGLE_SOURCE_CONFIRMED} on ${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC: nothing but LastUnit writes stock on ${c.name}. Its API cannot read stock back, so LastUnit cannot measure drift itself.`
  deps.db.transaction(() => {
    saveResult(deps.db, channelId, {
      checkId: 'single_source',
      status: 'pass',
      evidence,
      configHash: checkConfigHash('single_source', checklistConfig(deps.db, channelId)),
      checkedAt: at,
      overrideReason: null,
    })
    appendSyncLog(deps.db, {
      at,
      level: 'info',
      kind: 'checklist',
      channelId,
      status: 'single_source_confirmed',
      message: `${c.name}: the seller confirmed that nothing else writes its stock (its API cannot read stock back)`,
    })
  })()
  return checklistView(deps.db, channelId)
}

/** A channel was added: every other active channel's checklist runs again (all must keep syncing). */
export async function recheckOtherChannels(
  deps: ChecklistDeps,
  addedChannelId: string,
): Promise<ChecklistRun[]> {
  const out: ChecklistRun[] = []
  for (const c of listChannels(deps.db)) {
    if (c.id === addedChannelId || c.state === 'disabled') continue
    out.push(await runChecklist(deps, c.id))
  }
  return out
}
