// The zero-stock test: a real listing is pushed to 0 (or paused, per the channel's zero-stock action)
// through the channel's own adapter, read back as unavailable, then restored to what it showed before.
// Every step goes to the sync log, so the seller can see exactly what touched their listing.
import type { Database } from 'better-sqlite3'
import { checkConfigHash, type StoredCheckResult } from '../../core/checklist'
import { errorMessage } from '../../core/errors'
import type { ChannelAdapter, ListingState, PushItem } from '../../core/ports/channel-adapter'
import { getChannel } from '../db/repos/channels'
import { listMappings } from '../db/repos/mappings'
import { appendSyncLog } from '../db/repos/sync-log'
import type { Engine } from '../engine'
import { isUnavailable, readListingStates, waitFor } from './channel-probe'
import { saveResult } from '../db/repos/checklist-results'
import { checklistConfig, UnknownChannelError } from './snapshot'

export interface ZeroStockTestInput {
  db: Database
  engine: Engine | null
  adapter: ChannelAdapter
  channelId: string
  /** The listing to test; default: the first mapped listing that shows stock. */
  listingId?: string
  /** How long to wait for the channel to apply each step (asynchronous channels). */
  timeoutMs?: number
  /**
   * For a channel whose API cannot read stock back (Zalando): the figure LastUnit computes for the listing,
   * restored after the test since the figure before it cannot be read. Without it such a channel fails.
   */
  restoreTo?: (listingId: string) => Promise<number | null>
}

export interface ZeroStockTestResult {
  passed: boolean
  listingId: string | null
  steps: string[]
  result: StoredCheckResult
}

async function pushAndSettle(
  adapter: ChannelAdapter,
  item: PushItem,
  timeoutMs: number,
): Promise<string | null> {
  const r = await adapter.push([item])
  const res = r.results.find((x) => x.listingId === item.listingId) ?? r.results[0]
  if (!res) return 'the channel returned no result'
  if (res.outcome === 'rejected' || res.outcome === 'retry')
    return `the channel answered ${res.outcome}${res.message ? `: ${res.message}` : ''}`
  if (res.outcome === 'accepted' && adapter.confirm && res.confirmationToken) {
    const token = res.confirmationToken
    const done = await waitFor(async () => {
      const c = await adapter.confirm!([token])
      return c.find((x) => x.listingId === item.listingId) ?? null
    }, timeoutMs)
    if (!done) return 'the channel did not confirm in time'
    if (done.outcome !== 'confirmed')
      return `the channel answered ${done.outcome}${done.message ? `: ${done.message}` : ''}`
  }
  return null
}

/** Pushes and waits until the channel itself confirms the item; returns what went wrong, or null. */
async function pushConfirmed(
  adapter: ChannelAdapter,
  item: PushItem,
  timeoutMs: number,
): Promise<string | null> {
  const r = await adapter.push([item])
  const res = r.results.find((x) => x.listingId === item.listingId) ?? r.results[0]
  if (!res) return 'the channel returned no result'
  if (res.outcome === 'confirmed') return null
  if (res.outcome === 'accepted' && adapter.confirm && res.confirmationToken) {
    const token = res.confirmationToken
    const done = await waitFor(async () => {
      const c = await adapter.confirm!([token])
      return c.find((x) => x.listingId === item.listingId) ?? null
    }, timeoutMs)
    if (done?.outcome === 'confirmed') return null
    if (done) return `the channel answered ${done.outcome}${done.message ? `: ${done.message}` : ''}`
    return `the channel accepted it but did not confirm it was applied${res.message ? ` (${res.message})` : ''}`
  }
  return `the channel answered ${res.outcome}${res.message ? `: ${res.message}` : ''}`
}

/**
 * A channel that cannot read stock back (Zalando): the channel's own confirmation of each write is the
 * evidence, and the listing is restored to the figure LastUnit computes for it.
 */
async function blindTest(
  adapter: ChannelAdapter,
  listingId: string,
  zeroStockAction: string,
  restoreTo: (listingId: string) => Promise<number | null>,
  timeoutMs: number,
  step: (message: string, level?: 'info' | 'warn' | 'error', listingId?: string | null) => void,
): Promise<{ failure: string | null; restored: number | null }> {
  step(
    `the channel cannot read stock back, so its confirmation of each write is the evidence (listing ${listingId})`,
    'info',
    listingId,
  )
  const zeroAction = zeroStockAction === 'pause' ? 'pause' : 'set'
  const restore = await restoreTo(listingId)
  if (restore === null)
    return { failure: `LastUnit has no figure for listing ${listingId} to restore it to`, restored: null }
  let failure: string | null = null
  const zero = await pushConfirmed(
    adapter,
    { listingId, quantity: 0, action: zeroAction, stamp: Date.now() },
    timeoutMs,
  )
  if (zero) failure = `pushing 0 failed: ${zero}`
  else
    step(
      zeroAction === 'pause'
        ? `paused listing ${listingId} (quantity 0): the channel confirmed it`
        : `pushed 0 to listing ${listingId}: the channel confirmed it`,
      'info',
      listingId,
    )
  const back = await pushConfirmed(
    adapter,
    { listingId, quantity: restore, action: zeroAction === 'pause' ? 'resume' : 'set', stamp: Date.now() },
    timeoutMs,
  ).catch((e: unknown) => errorMessage(e))
  if (back) {
    const m = `restoring listing ${listingId} to ${restore} failed: ${back}`
    step(m, 'error', listingId)
    return { failure: failure ? `${failure}; ${m}` : m, restored: null }
  }
  step(
    `restored listing ${listingId} to ${restore}, the figure LastUnit computes for it: the channel confirmed it`,
    'info',
    listingId,
  )
  return { failure, restored: restore }
}

/** Puts the listing back as it was; returns what went wrong, or null. */
async function restore(
  adapter: ChannelAdapter,
  listingId: string,
  before: ListingState,
  zeroStockAction: string,
  timeoutMs: number,
): Promise<string | null> {
  try {
    const action = zeroStockAction === 'pause' ? (before.available ? 'resume' : 'pause') : 'set'
    const problem = await pushAndSettle(
      adapter,
      { listingId, quantity: before.quantity, action, stamp: Date.now() },
      timeoutMs,
    )
    if (problem) return problem
    const back = await waitFor(async () => {
      const s = (await readListingStates(adapter, [listingId]))[0]
      return s && s.quantity === before.quantity && s.available === before.available ? s : null
    }, timeoutMs)
    return back ? null : `the listing did not show ${before.quantity} again`
  } catch (e) {
    return errorMessage(e)
  }
}

export async function runZeroStockTest(input: ZeroStockTestInput): Promise<ZeroStockTestResult> {
  const { db, engine, adapter, channelId } = input
  const timeoutMs = input.timeoutMs ?? 60_000
  const channel = getChannel(db, channelId)
  if (!channel) throw new UnknownChannelError(channelId)
  const steps: string[] = []
  const step = (
    message: string,
    level: 'info' | 'warn' | 'error' = 'info',
    listingId: string | null = null,
  ) => {
    steps.push(message)
    appendSyncLog(db, {
      at: Date.now(),
      level,
      kind: 'checklist',
      channelId,
      listingId,
      status: 'zero_stock',
      message: `zero-stock test: ${message}`,
    })
  }
  let listingId = input.listingId ?? null
  let before: ListingState | null = null
  const engineRuns = engine?.status().channels.some((c) => c.channelId === channelId) ?? false
  let failure: string | null = null
  const canRead = adapter.capabilities.readBack && !!adapter.readBack
  let blind: { restored: number | null } | null = null
  try {
    if (!listingId) {
      const mapped = listMappings(db, channelId).map((m) => m.listingId)
      const states = await readListingStates(adapter, mapped.slice(0, 50))
      listingId =
        states.find((s) => !isUnavailable(s))?.listingId ??
        states[0]?.listingId ??
        (!canRead && input.restoreTo ? (mapped[0] ?? null) : null)
    }
    if (!listingId) throw new Error('no mapped listing to test with: map the listings first')
    // The engine must not push this channel mid-test, or it would undo the 0 before it is read back.
    if (engineRuns) {
      await engine!.idle(10_000)
      engine!.pause(channelId)
    }
    before = (await readListingStates(adapter, [listingId]))[0] ?? null
    if (!before && !canRead && input.restoreTo) {
      const r = await blindTest(adapter, listingId, channel.zeroStockAction, input.restoreTo, timeoutMs, step)
      blind = { restored: r.restored }
      if (r.failure) throw new Error(r.failure)
    } else {
      if (!before) throw new Error(`the channel does not know listing ${listingId}`)
      step(
        `listing ${listingId} shows ${before.quantity}${before.available ? '' : ' (unavailable)'} before the test`,
        'info',
        listingId,
      )
      const zeroAction = channel.zeroStockAction === 'pause' ? 'pause' : 'set'
      const zeroProblem = await pushAndSettle(
        adapter,
        { listingId, quantity: 0, action: zeroAction, stamp: Date.now() },
        timeoutMs,
      )
      if (zeroProblem) throw new Error(`pushing 0 failed: ${zeroProblem}`)
      step(
        zeroAction === 'pause'
          ? `paused listing ${listingId} (quantity 0)`
          : `pushed 0 to listing ${listingId}`,
        'info',
        listingId,
      )
      const seen = await waitFor(async () => {
        const s = (await readListingStates(adapter, [listingId!]))[0]
        return s && isUnavailable(s) ? s : null
      }, timeoutMs)
      if (!seen) throw new Error('the channel still showed the listing as available after the zero push')
      step(
        `read back: listing ${listingId} shows ${seen.quantity}${seen.available ? '' : ', unavailable'}: not sellable`,
        'info',
        listingId,
      )
    }
  } catch (e) {
    failure = errorMessage(e)
    step(`failed: ${failure}`, 'error', listingId)
  }
  // Restore whatever the listing showed before, even after a failed step.
  if (before && listingId) {
    const problem = await restore(adapter, listingId, before, channel.zeroStockAction, timeoutMs)
    if (problem) {
      const m = `restoring listing ${listingId} failed: ${problem}`
      failure = failure ? `${failure}; ${m}` : m
      step(m, 'error', listingId)
    } else step(`restored listing ${listingId} to ${before.quantity} and read it back`, 'info', listingId)
  }
  if (engineRuns) engine!.resume(channelId)
  const result: StoredCheckResult = {
    checkId: 'zero_stock',
    status: failure ? 'fail' : 'pass',
    evidence: failure
      ? `Zero-stock test on listing ${listingId ?? '(none)'} failed: ${failure}.`
      : blind
        ? `Listing ${listingId} was ${channel.zeroStockAction === 'pause' ? 'paused' : 'pushed to 0'} and restored to ${blind.restored ?? 0}, each confirmed by the channel (its API cannot read stock back).`
        : `Listing ${listingId} was ${channel.zeroStockAction === 'pause' ? 'paused' : 'pushed to 0'}, read back as unavailable and restored to ${before?.quantity ?? 0}.`,
    configHash: checkConfigHash('zero_stock', checklistConfig(db, channelId)),
    checkedAt: Date.now(),
    overrideReason: null,
  }
  saveResult(db, channelId, result)
  return { passed: !failure, listingId, steps, result }
}
