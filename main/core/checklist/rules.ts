// The seven pre-launch checks that prevent oversells, each evaluated from a snapshot: a status, the
// evidence behind it, how to fix a failure and the screen that fixes it.
import { resolveBuffer } from '../buffers/buffer-rules'
import { recommendBuffers } from '../buffers/buffer-policy'
import { policyChannel } from '../buffers/policy-channels'
import { velocityClass } from '../buffers/velocity-class'
import { checkConfigHash } from './config-hash'
import {
  CHECK_IDS,
  type CheckId,
  type CheckResult,
  type CheckStatus,
  type ChecklistSnapshot,
  type FixScreen,
  type NextStep,
  type StoredCheckResult,
} from './types'

export interface CheckDefinition {
  id: CheckId
  title: string
  why: string
  screen: FixScreen
}

/** What running a check does, for a check that has not run (or no longer applies): the concrete next step. */
export const HOW_TO_CHECK: Record<CheckId, string> = {
  single_source:
    'Press Run checks: LastUnit reads every mapped listing back from the channel and compares it with what it published.',
  sync_active:
    "Press Run checks: LastUnit looks at Odoo's last poll and at every live channel's queue and last confirmed update.",
  buffers:
    "Press Run checks: LastUnit compares each fast seller's buffer with the one its sales speed needs.",
  zero_stock:
    'Run the zero-stock test: choose a listing; it is set to 0 (or paused), read back as unavailable, then restored.',
  skus_mapped: 'Press Run checks: LastUnit lists every listing of this channel that has no Odoo product.',
  warehouses:
    "Press Run checks: LastUnit reads Odoo's location tree and looks for locations counted twice or that cannot be sold.",
  return_restock:
    'Run the return test: LastUnit names one product; process a return of one unit of it in Odoo and it waits until every channel shows it.',
}

export const CHECKS: Record<CheckId, CheckDefinition> = {
  single_source: {
    id: 'single_source',
    title: 'Single stock source',
    why: "The channel must read its stock from Odoo only: anything else writing it undoes LastUnit's figures and oversells.",
    screen: 'connections',
  },
  sync_active: {
    id: 'sync_active',
    title: 'Real-time sync active on every channel',
    why: 'A sale on one channel lowers all the others only while every channel is polled and pushed without a backlog.',
    screen: 'dashboard',
  },
  buffers: {
    id: 'buffers',
    title: 'Safety buffers sized to velocity',
    why: 'Fast movers can sell again before a push lands; a buffer at the recommended size keeps that risk low.',
    screen: 'buffers',
  },
  zero_stock: {
    id: 'zero_stock',
    title: 'Zero-stock behaviour verified',
    why: 'When stock runs out the listing must really become unavailable on the channel, so a real test proves it does.',
    screen: 'checklist',
  },
  skus_mapped: {
    id: 'skus_mapped',
    title: 'All active SKUs mapped',
    why: 'An unmapped listing keeps whatever quantity it had and sells stock that no longer exists.',
    screen: 'mapping',
  },
  warehouses: {
    id: 'warehouses',
    title: 'Warehouse rules set, no double counting',
    why: 'Counting a location and its parent, or stock that is not on a shelf, publishes units you do not have.',
    screen: 'warehouses',
  },
  return_restock: {
    id: 'return_restock',
    title: 'Return restock flow tested',
    why: 'A return processed in Odoo must reach every channel, or restocked units stay unsold or are sold twice.',
    screen: 'checklist',
  },
}

/** A poll older than this many intervals (and at least a minute) means polling has stopped. */
const POLL_STALE_INTERVALS = 3
const MIN_POLL_STALE_MS = 60_000
/** Items queued with no confirmed push for this long: the queue is stuck. */
export const STUCK_QUEUE_MS = 10 * 60_000
interface Verdict {
  status: CheckStatus
  evidence: string
  fix: string | null
  next?: NextStep | null
}

const list = (xs: string[], max = 5): string =>
  xs.length <= max ? xs.join(', ') : `${xs.slice(0, max).join(', ')} and ${xs.length - max} more`

const ago = (now: number, at: number): string => {
  const s = Math.max(0, Math.round((now - at) / 1000))
  return s < 120 ? `${s} s ago` : `${Math.round(s / 60)} min ago`
}

/** Evidence of a single-source check the seller confirmed (channels whose API cannot read stock back). */
export const SINGLE_SOURCE_CONFIRMED = 'Confirmed by you'

export function checkSingleSource(s: ChecklistSnapshot, hash?: string): Verdict {
  const rb = s.readBack
  if (!rb && s.readBackError)
    return {
      status: 'not_run',
      evidence: `The channel could not be read back: ${s.readBackError}.`,
      fix: `Open Connections, correct ${s.channelName}'s address or credentials and test the connection; then run the checks again.`,
      next: 'fix_channel',
    }
  if (!rb)
    return {
      status: 'not_run',
      evidence: 'No read-back of this channel has run yet (sync is not running).',
      fix: 'Start sync (connect Odoo, or start the demo), then run the checks: LastUnit reads back what the channel shows and compares it.',
      next: 'recheck',
    }
  if (!rb.supported) {
    // Nothing can be measured: the seller's confirmation is the check, until the channel's setup changes.
    const prior = s.stored.single_source
    if (
      prior?.status === 'pass' &&
      prior.configHash === hash &&
      prior.evidence.startsWith(SINGLE_SOURCE_CONFIRMED)
    )
      return { status: 'pass', evidence: prior.evidence, fix: null }
    return {
      status: 'warn',
      evidence: "This channel's API cannot read quantities back, so drift cannot be measured.",
      fix: 'Make sure no other tool, app or feed updates stock on this channel (LastUnit must be the only writer), then confirm it here.',
      next: 'stop_other_writer',
    }
  }
  if (rb.checked === 0)
    return {
      status: 'not_run',
      evidence: 'The read-back found no mapped listings to compare.',
      fix: `Open SKU mapping and map ${s.channelName}'s listings to their Odoo products (Auto-match does most of them), then run the checks again.`,
      next: 'map_listings',
    }
  const unchanged = rb.method === 'unchanged'
  if (rb.drifted > 0) {
    const named = rb.driftedListings && rb.driftedListings.length > 0 ? `: ${list(rb.driftedListings)}` : ''
    return {
      status: 'fail',
      evidence: unchanged
        ? `Read back ${rb.checked} listings twice while LastUnit wrote nothing: ${rb.drifted} changed in between${named}.`
        : `Read-back of ${rb.checked} listings: ${rb.drifted} showed a quantity LastUnit did not publish${named}.`,
      fix: `Something else writes the stock of ${named ? 'these listings' : 'listings'} on ${s.channelName} (another sync tool, an app, a feed, or edits in the seller portal): switch it off there${unchanged ? '' : '; LastUnit has already set them back'}, then run the checks again.`,
      next: 'stop_other_writer',
    }
  }
  return {
    status: 'pass',
    evidence: unchanged
      ? `Read back ${rb.checked} listings twice ${ago(s.now, rb.at)} while LastUnit wrote nothing: none changed.`
      : `Read-back of ${rb.checked} listings ${ago(s.now, rb.at)}: every quantity matches what LastUnit published.`,
    fix: null,
  }
}

export function checkSyncActive(s: ChecklistSnapshot): Verdict {
  // Only live channels sync; this channel joins them when it goes live.
  const live = s.channels.filter((c) => c.state === 'live' && c.channelId !== s.channelId)
  const from = s.syncSource ? ` (read from ${s.syncSource})` : ''
  if (!s.engineRunning || !s.odoo) {
    const probe = s.odooProbe
    const unsynced = live.map((c) => c.name)
    if (probe && probe.error)
      return {
        status: 'fail',
        evidence: `Sync is not running, and Odoo did not answer the poll this check made: ${probe.error}.`,
        fix: 'Open Connections and correct the Odoo connection (address, database, user, API key) until its test passes; then run the checks again.',
        next: 'fix_odoo',
      }
    if (probe && unsynced.length === 0)
      return {
        status: 'pass',
        evidence:
          `No channel is live yet, so no sync has to run for the others; this check polled Odoo itself ${ago(s.now, probe.at)} and it answered. ` +
          `${s.channelName} is synced from the moment it is live, while LastUnit runs (the app, or \`lastunit run\`).`,
        fix: null,
      }
    return {
      status: 'fail',
      evidence:
        unsynced.length > 0
          ? `Sync is not running: ${list(unsynced)} ${unsynced.length === 1 ? 'is' : 'are'} live but nothing syncs ${unsynced.length === 1 ? 'it' : 'them'}.`
          : 'Sync is not running.',
      fix: 'Connect Odoo in Connections (or start the demo) so sync runs, then run the checks again.',
      next: 'start_sync',
    }
  }
  const problems: string[] = []
  const staleAfter = Math.max(s.odoo.pollIntervalMs * POLL_STALE_INTERVALS, MIN_POLL_STALE_MS)
  if (s.odoo.lastPollAt === null) problems.push('Odoo has not been polled yet')
  else if (s.now - s.odoo.lastPollAt > staleAfter)
    problems.push(`Odoo was last polled ${ago(s.now, s.odoo.lastPollAt)}`)
  if (s.odoo.lastError) problems.push(`Odoo: ${s.odoo.lastError}`)
  for (const c of live) {
    const r = c.run
    if (!r) {
      problems.push(`${c.name} is not syncing`)
      continue
    }
    if (r.state !== 'running') problems.push(`${c.name} is ${r.state.replace('_', ' ')}`)
    if (r.lastConfirmedAt === null) problems.push(`${c.name} has no confirmed push yet`)
    if (r.queueDepth > 0 && (r.lastConfirmedAt === null || s.now - r.lastConfirmedAt > STUCK_QUEUE_MS))
      problems.push(`${c.name} has ${r.queueDepth} items stuck in its queue`)
  }
  if (problems.length > 0)
    return {
      status: 'fail',
      evidence: `${problems.join('; ')}${from}.`,
      fix: `Open the dashboard: each channel named above shows what it needs (new credentials, a plan limit, Odoo's connection). Fix that, wait until its queue is empty and it has a confirmed update, then run the checks again.`,
      next: 'check_status',
    }
  const newest = live.map((c) => c.run?.lastConfirmedAt ?? 0).reduce((a, b) => Math.min(a, b), Infinity)
  return {
    status: 'pass',
    evidence:
      `Odoo polled ${ago(s.now, s.odoo.lastPollAt ?? s.now)}; ${live.length} live channels running with no stuck queue` +
      (Number.isFinite(newest) ? `, oldest last confirmed push ${ago(s.now, newest)}` : '') +
      `${from}.`,
    fix: null,
  }
}

export function checkBuffers(s: ChecklistSnapshot): Verdict {
  if (s.products.length === 0)
    return {
      status: 'not_run',
      evidence: 'No products are mapped on this channel yet.',
      fix: `Open SKU mapping and map ${s.channelName}'s listings to their Odoo products, then run the checks again.`,
      next: 'map_listings',
    }
  // The one buffer policy, with what the engine measured where it runs and the shipped defaults elsewhere.
  const policy = new Map(
    s.channels.map((c) => [
      c.channelId,
      policyChannel({
        channelId: c.channelId,
        type: c.type,
        orderPollIntervalMs: c.run?.orderPollIntervalMs ?? null,
        latencyP50Ms: c.run?.latencyP50Ms ?? null,
        latencyP99Ms: c.run?.latencyP99Ms ?? null,
      }),
    ]),
  )
  const rules = s.config.bufferRules
  const short: Array<{ label: string; have: number; want: number }> = []
  let fast = 0
  for (const p of s.products) {
    if (velocityClass(p.salesPerDay) !== 'fast') continue
    fast++
    const have = resolveBuffer(
      {
        productId: p.productId,
        channelId: s.channelId,
        salesPerDay: p.salesPerDay,
        channelCount: p.channelCount,
        today: s.today,
      },
      rules,
    ).buffer
    const on = (p.channelIds ?? [...policy.keys()]).filter((id) => policy.has(id))
    if (!on.includes(s.channelId) && policy.has(s.channelId)) on.push(s.channelId)
    const rec = recommendBuffers({
      salesPerDay: p.salesPerDay,
      channels: on.map((id) => policy.get(id)!),
      ...(s.targetRisk !== undefined ? { targetRisk: s.targetRisk } : {}),
    })
    const want = rec.listings[s.channelId]?.buffer ?? 0
    if (have < want) short.push({ label: `${p.sku ? `${p.sku} ` : ''}${p.name}`, have, want })
  }
  if (short.length > 0)
    return {
      status: 'fail',
      evidence: `${short.length} of ${fast} fast movers have a buffer below the recommended one: ${list(short.map((x) => `${x.label} has ${x.have}, needs ${x.want}`))}.`,
      fix: `Open Buffers and press Apply beside ${list(short.map((x) => x.label))}, or raise the rule for fast sellers to ${Math.max(...short.map((x) => x.want))}.`,
      next: 'edit_buffers',
    }
  return {
    status: 'pass',
    evidence:
      fast === 0
        ? `No fast movers among ${s.products.length} products; the slow and medium rules apply.`
        : `All ${fast} fast movers have at least the buffer recommended for ${s.channelName} (the other channels' order intervals, push latency and apply delay counted).`,
    fix: null,
  }
}

export function checkSkusMapped(s: ChecklistSnapshot): Verdict {
  if (s.listings.length === 0)
    return {
      status: 'fail',
      evidence: 'No listings have been fetched from this channel, so nothing can be mapped or checked.',
      fix: `Open SKU mapping and press "Fetch listings from the channels": LastUnit reads ${s.channelName}'s listings (nothing is written).`,
      next: 'fetch_listings',
    }
  const unmapped = s.listings.filter((l) => !l.mapped)
  if (unmapped.length > 0)
    return {
      status: 'fail',
      evidence: `${unmapped.length} of ${s.listings.length} listings are not mapped to an Odoo product: ${list(unmapped.map((l) => l.sku ?? l.listingId))}.`,
      fix: `Open SKU mapping, show the unmapped listings of ${s.channelName}, and map ${list(unmapped.map((l) => l.sku ?? l.listingId))} to their Odoo products (Auto-match finds those whose SKU or EAN is in Odoo; or import a CSV).`,
      next: 'map_listings',
    }
  return {
    status: 'pass',
    evidence: `All ${s.listings.length} listings are mapped to Odoo products.`,
    fix: null,
  }
}

export function checkWarehouses(s: ChecklistSnapshot): Verdict {
  const chosen = s.config.locationIds
  if (chosen.length === 0)
    return {
      status: 'fail',
      evidence: 'No Odoo location contributes stock to this channel.',
      fix: `Open Warehouses, choose ${s.channelName} and tick the stock locations it sells from (usually WH/Stock), then save.`,
      next: 'edit_locations',
    }
  if (!s.locationTree)
    return {
      status: 'not_run',
      evidence: `${chosen.length} locations chosen, but the Odoo location tree has not been read.`,
      fix: 'Open Warehouses and press "Read the locations from Odoo again" (Odoo must answer), then run the checks again.',
      next: 'fix_odoo',
    }
  const byId = new Map(s.locationTree.map((l) => [l.id, l]))
  const selected = new Set(chosen)
  const companies = new Map<number, number>()
  for (const l of s.locationTree)
    if (l.usage === 'internal' && l.companyId !== null)
      companies.set(l.companyId, (companies.get(l.companyId) ?? 0) + 1)
  const main = [...companies].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null
  const problems: string[] = []
  const flagged: string[] = []
  const name = (id: number) => byId.get(id)?.completeName ?? `location ${id}`
  for (const id of chosen) {
    const l = byId.get(id)
    if (!l) {
      problems.push(`location ${id} no longer exists in Odoo`)
      continue
    }
    const parents = l.parentPath
      .split('/')
      .filter(Boolean)
      .map(Number)
      .filter((p) => p !== id)
    const parent = parents.find((p) => selected.has(p))
    if (parent !== undefined)
      problems.push(`${l.completeName} is counted twice (${name(parent)} already includes it)`)
    else if (l.usage !== 'internal') problems.push(`${l.completeName} is not a stock location (${l.usage})`)
    else if (main !== null && l.companyId !== null && l.companyId !== main)
      problems.push(`${l.completeName} belongs to another company`)
    else continue
    flagged.push(l.completeName)
  }
  if (problems.length > 0)
    return {
      status: 'fail',
      evidence: `${problems.join('; ')}.`,
      fix: `Open Warehouses, choose ${s.channelName}, untick ${list(flagged)} and save: keep either a location or its parent, and only stock locations of your company.`,
      next: 'edit_locations',
    }
  return {
    status: 'pass',
    evidence: `${chosen.length} internal locations contribute (${list(chosen.map(name))}); none is counted twice.`,
    fix: null,
  }
}

/** Checks proven by a test run: the stored run decides, until the configuration it covered changes. */
function storedTestVerdict(s: ChecklistSnapshot, id: 'zero_stock' | 'return_restock', hash: string): Verdict {
  const run = s.stored[id]
  const how =
    id === 'zero_stock'
      ? 'Run the zero-stock test: a chosen listing is pushed to 0 (or paused), read back as unavailable, then restored.'
      : 'Run the return test: process a return of one unit in Odoo; LastUnit waits until every channel shows the restocked figure.'
  const next: NextStep = id === 'zero_stock' ? 'zero_stock_test' : 'return_test'
  if (!run || run.status === 'not_run' || run.status === 'overridden')
    return { status: 'not_run', evidence: 'This test has not been run yet.', fix: how, next }
  if (run.configHash !== hash)
    return {
      status: 'not_run',
      evidence: `The last run (${run.status}) no longer applies: the configuration it covered has changed.`,
      fix: how,
      next,
    }
  return {
    status: run.status,
    evidence: run.evidence,
    fix: run.status === 'pass' ? null : `${how} Fix what the evidence names first.`,
    next: run.status === 'pass' ? null : next,
  }
}

const EVALUATORS: Record<CheckId, (s: ChecklistSnapshot, hash: string) => Verdict> = {
  single_source: (s, h) => checkSingleSource(s, h),
  sync_active: checkSyncActive,
  buffers: checkBuffers,
  zero_stock: (s, h) => storedTestVerdict(s, 'zero_stock', h),
  skus_mapped: checkSkusMapped,
  warehouses: checkWarehouses,
  return_restock: (s, h) => storedTestVerdict(s, 'return_restock', h),
}

/** Evaluates one check; a still-valid override turns a non-passing result into 'overridden'. */
export function evaluateCheck(id: CheckId, s: ChecklistSnapshot): CheckResult {
  const def = CHECKS[id]
  const configHash = checkConfigHash(id, s.config)
  const v = EVALUATORS[id](s, configHash)
  const prior = s.stored[id]
  const overridden =
    v.status !== 'pass' &&
    prior?.status === 'overridden' &&
    prior.configHash === configHash &&
    !!prior.overrideReason
  const testRun = (id === 'zero_stock' || id === 'return_restock') && prior && prior.configHash === configHash
  return {
    id,
    title: def.title,
    why: def.why,
    status: overridden ? 'overridden' : v.status,
    evidence: v.evidence,
    fix: v.fix,
    screen: def.screen,
    next: v.status === 'pass' || overridden ? null : (v.next ?? 'recheck'),
    configHash,
    checkedAt: testRun && !overridden ? prior.checkedAt : s.now,
    stale: false,
    overrideReason: overridden ? (prior.overrideReason ?? null) : null,
  }
}

export function evaluateChecklist(s: ChecklistSnapshot): CheckResult[] {
  return CHECK_IDS.map((id) => evaluateCheck(id, s))
}

/**
 * Stored results as the checklist screen shows them before a re-check: each marked stale when the
 * configuration it covered has changed since.
 */
export function storedResultsView(
  stored: Partial<Record<CheckId, StoredCheckResult>>,
  currentHashes: Record<CheckId, string>,
): CheckResult[] {
  return CHECK_IDS.map((id) => {
    const def = CHECKS[id]
    const r = stored[id]
    const stale = !!r && r.configHash !== currentHashes[id]
    return {
      id,
      title: def.title,
      why: def.why,
      status: r && !stale ? r.status : 'not_run',
      evidence: !r
        ? 'Not checked yet.'
        : stale
          ? `Stale: the configuration this check covered changed after it was checked (was ${r.status}).`
          : r.evidence,
      fix: r && !stale && (r.status === 'pass' || r.status === 'overridden') ? null : HOW_TO_CHECK[id],
      screen: def.screen,
      next: r && !stale && (r.status === 'pass' || r.status === 'overridden') ? null : 'recheck',
      configHash: r?.configHash ?? currentHashes[id],
      checkedAt: r?.checkedAt ?? 0,
      stale,
      overrideReason: r && !stale ? r.overrideReason : null,
    }
  })
}

export interface GoLiveDecision {
  allowed: boolean
  /** Checks that neither pass nor carry a valid override. */
  blocking: CheckResult[]
  /** Checks the given override would cover. */
  overriding: CheckResult[]
}

/** A channel goes live when every check passes, or when the seller overrides the rest with a reason. */
export function decideGoLive(
  results: readonly CheckResult[],
  overrideReason?: string | null,
): GoLiveDecision {
  const open = results.filter((r) => r.status !== 'pass' && r.status !== 'overridden')
  const reason = overrideReason?.trim() ?? ''
  if (open.length === 0) return { allowed: true, blocking: [], overriding: [] }
  if (reason.length > 0) return { allowed: true, blocking: [], overriding: open }
  return { allowed: false, blocking: open, overriding: [] }
}
