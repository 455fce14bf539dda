// `lastunit first-push CHANNEL [--confirm]`: the first-push guard's dry-run diff and the seller's
// confirmation, headless. Before go-live the diff is a dry run of the engine over the channel as if it were
// live; for a live channel the guard holds, it is what waits in the queue. Nothing is sent by this command:
// the engine sends once the channel is live and sync runs (a running engine within a few seconds).
import type { Database } from 'better-sqlite3'
import { isDrastic } from '../../core/sync/first-push-guard'
import type { SecretVault } from '../../core/ports/secret-vault'
import { channelStates, getChannel, type ChannelRow } from '../db/repos/channels'
import { listingCount, listingSkus } from '../db/repos/listings'
import { listMappings } from '../db/repos/mappings'
import { appendSyncLog } from '../db/repos/sync-log'
import type { Engine, FirstPushReview } from '../engine'
import { firstPushState, recordFirstPushConfirmation } from '../engine/first-push'
import { UnknownChannelError } from '../checklist/snapshot'
import { openPreview, runningElsewhere } from './headless'

export interface FirstPushReport {
  channelId: string
  name: string
  state: ChannelRow['state']
  /** The guard's stored state: 'held' (a running engine waits), 'done' (confirmed, or passed), null (not yet). */
  guard: 'held' | 'done' | null
  review: FirstPushReview
}

/** The dry-run diff of a channel's first push, computed without sending anything. */
export async function reviewFirstPushHeadless(
  db: Database,
  vault: SecretVault,
  channelId: string,
): Promise<FirstPushReport> {
  const c = getChannel(db, channelId)
  if (!c) throw new UnknownChannelError(channelId)
  if (c.state === 'disabled')
    throw new Error(`${c.name} is disabled: nothing is pushed to it. Enable it (back to setup) first.`)
  const p = await openPreview(db, vault, c.state === 'setup' ? [channelId] : [])
  try {
    await p.preview.read(p.preview.listingsOf(channelId).map((l) => l.productId))
    return {
      channelId,
      name: c.name,
      state: c.state,
      guard: firstPushState(db, channelId),
      review: p.preview.review(channelId),
    }
  } finally {
    await p.close()
  }
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length))
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s)

/** The report as the command prints it; `all`: every listing, else the first 50. */
export function formatFirstPush(db: Database, r: FirstPushReport, opts: { all?: boolean } = {}): string[] {
  const lines: string[] = []
  const { verdict, diff } = r.review
  if (r.guard === 'done')
    lines.push(
      `The first push to ${r.name} (${r.channelId}) is confirmed or went out within the safe limits: the guard does not hold it. What a push would set now:`,
    )
  else if (r.state === 'setup')
    lines.push(
      `First push to ${r.name} (${r.channelId}, in setup): a dry run of what going live sends. Nothing was sent.`,
    )
  else
    lines.push(
      r.guard === 'held'
        ? `First push to ${r.name} (${r.channelId}, live): held by the guard, nothing has been sent. What waits:`
        : `First push to ${r.name} (${r.channelId}, live): not sent yet. What it sets:`,
    )
  if (diff.length === 0) {
    lines.push(`No listing of ${r.channelId} is mapped: nothing would be pushed.`)
    lines.push(`Next: lastunit map auto ${r.channelId}`)
    return lines
  }
  const skus = listingSkus(db, r.channelId)
  const shown = opts.all ? diff : diff.slice(0, 50)
  const w = Math.max(7, ...shown.map((d) => d.listingId.length))
  const ws = Math.max(3, ...shown.map((d) => (skus.get(d.listingId) ?? '').length))
  lines.push(`  ${pad('listing', w)}  ${pad('sku', ws)}     now ->  after`)
  for (const d of shown) {
    const mark =
      d.next === d.current
        ? ''
        : d.next === 0 && (d.current === null || d.current > 0)
          ? '  to 0'
          : isDrastic(d)
            ? '  drastic'
            : ''
    lines.push(
      `  ${pad(d.listingId, w)}  ${pad(skus.get(d.listingId) ?? '', ws)}  ${lpad(d.current === null ? '?' : String(d.current), 6)} -> ${lpad(String(d.next), 6)}${mark}`,
    )
  }
  if (shown.length < diff.length)
    lines.push(`  ... and ${diff.length - shown.length} more (--all shows every listing)`)
  if (r.guard === 'done') return lines
  lines.push(
    verdict.needsConfirmation || r.guard === 'held'
      ? `Verdict: ${verdict.reason}: the first push waits for your confirmation.`
      : `Verdict: ${verdict.reason}: it goes out without waiting.`,
  )
  if (verdict.needsConfirmation || r.guard === 'held')
    lines.push(`If these figures are right, confirm: lastunit first-push ${r.channelId} --confirm`)
  else if (r.state === 'setup') lines.push(`Next: lastunit checklist ${r.channelId} --go-live`)
  return lines
}

/** Records the confirmation when the guard holds or would hold the push; returns what happens next. */
export function confirmFirstPushHeadless(
  db: Database,
  r: FirstPushReport,
): { confirmed: boolean; message: string } {
  if (r.guard === 'done')
    return { confirmed: false, message: `Nothing to confirm: the first push to ${r.name} is not held.` }
  if (r.guard !== 'held' && !r.review.verdict.needsConfirmation)
    return {
      confirmed: false,
      message: `Nothing to confirm: ${r.review.verdict.reason}, so the guard lets the first push to ${r.name} go out without waiting.`,
    }
  recordFirstPushConfirmation(
    db,
    r.channelId,
    Date.now(),
    (e) => appendSyncLog(db, e),
    'the seller (lastunit first-push --confirm)',
  )
  const engine = runningElsewhere(db)
  const message =
    r.state === 'setup'
      ? `Confirmed: when ${r.name} goes live, its first push goes out without waiting. Next: lastunit checklist ${r.channelId} --go-live`
      : engine
        ? `Confirmed: ${engine.source.replace(/, status .*$/, '')} sends it within a few seconds; lastunit status shows the queue.`
        : `Confirmed: it goes out when sync runs. Next: lastunit run`
  return { confirmed: true, message }
}

/**
 * For a running engine: channels its guard holds that were confirmed from another process (or the app's
 * other window) are let go. Returns their ids.
 */
export function releaseConfirmedHolds(db: Database, engine: Engine): string[] {
  const out: string[] = []
  for (const c of engine.status().channels) {
    if (c.state !== 'awaiting_confirmation' || firstPushState(db, c.channelId) !== 'done') continue
    engine.retryChannel(c.channelId)
    out.push(c.channelId)
  }
  return out
}

/** What `run` says about a held channel, with the commands that review and release it. */
export const holdText = (channelId: string, reason: string | null): string =>
  `the first push waits for your confirmation${reason ? ` (${reason})` : ''}. Review it: lastunit first-push ${channelId}; send it: lastunit first-push ${channelId} --confirm`

export const holdHint = (channelId: string, reason: string | null): string =>
  `${channelId}: ${holdText(channelId, reason)}`

/** The guard's reason for holding a channel, from the engine's own review; null when it cannot tell. */
export function holdReason(engine: Engine | null, channelId: string): string | null {
  try {
    return engine?.reviewFirstPush(channelId).verdict.reason ?? null
  } catch {
    return null
  }
}

/**
 * What `run` says about each channel when it starts, with the command that moves a channel on; `held`
 * lists the channels the guard holds (named in the lines).
 */
export function runChannelLines(
  db: Database,
  engine: Engine | null,
): { lines: string[]; syncing: number; held: string[]; odooWait: string | null } {
  const status = engine?.status()
  const running = new Map((status?.channels ?? []).map((c) => [c.channelId, c]))
  // The engine runs but its first read of Odoo failed: no channel has a worker yet, for that reason only.
  const odooWait =
    status && status.channels.length === 0 && status.odoo.lastError !== null ? status.odoo.lastError : null
  const every = status ? Math.round(status.odoo.pollIntervalMs / 1000) : 0
  const lines: string[] = []
  const heldIds: string[] = []
  let syncing = 0
  const rows = channelStates(db)
  for (const c of rows) {
    const mapped = listMappings(db, c.id).length
    if (c.state === 'disabled') lines.push(`- ${c.id} (${c.name}): disabled, not synced.`)
    else if (c.state === 'setup') {
      const fetched = listingCount(db, c.id)
      const next =
        fetched === 0
          ? `lastunit listings fetch ${c.id}`
          : mapped < fetched
            ? `lastunit map auto ${c.id}`
            : `lastunit checklist ${c.id}`
      lines.push(`- ${c.id} (${c.name}): in setup, nothing is pushed to it. Next: ${next}`)
    } else if (running.has(c.id)) {
      syncing++
      const held = running.get(c.id)!.state === 'awaiting_confirmation' || firstPushState(db, c.id) === 'held'
      if (held) heldIds.push(c.id)
      lines.push(
        held
          ? `- ${c.id} (${c.name}): live, ${mapped} mapped listings; ${holdText(c.id, holdReason(engine, c.id))}`
          : `- ${c.id} (${c.name}): live, syncing ${mapped} mapped listings.`,
      )
    } else if (odooWait !== null)
      lines.push(
        `- ${c.id} (${c.name}): live, ${mapped} mapped listings; waits for Odoo's first stock read, tried again every ${every} s.`,
      )
    else
      lines.push(
        `- ${c.id} (${c.name}): live but NOT syncing: its credentials or settings are incomplete (the log says which). Correct them in your configuration file and lastunit config import it.`,
      )
  }
  if (odooWait !== null)
    lines.push(
      `Odoo cannot be read yet (${odooWait}): LastUnit retries every ${every} s and starts syncing as soon as Odoo answers.`,
    )
  else if (syncing === 0)
    lines.push(
      rows.some((c) => c.state === 'setup')
        ? 'No channel is live, so nothing is pushed: take a channel live with the commands above, ending with lastunit checklist CHANNEL --go-live.'
        : 'No channel syncs, so nothing is pushed.',
    )
  return { lines, syncing, held: heldIds, odooWait }
}
