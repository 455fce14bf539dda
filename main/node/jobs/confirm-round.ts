// One round of asking a channel about items it accepted but had not applied yet (asynchronous channels:
// Amazon feeds, bol.com process status, ...). Each answer is settled in one transaction: confirmed items
// are settled (a whole token at once where every item of it is confirmed), rejected ones count a
// failure, and items the channel never applied are sent again with the same value.
import type { ChannelAdapter, PushItemResult } from '../../core/ports/channel-adapter'
import { enqueueOutbox, type OutboxRow } from '../db/repos/outbox'
import {
  confirmPushTokenIfComplete,
  pushStateAcceptedByToken,
  pushStateAwaitingTokens,
  pushStateSettledBatch,
  type AcceptedItem,
  type SettledItem,
} from '../db/repos/push-state'
import { countFailure } from './push-results'
import { DETAILED_BATCH, type PushedEvent, type WorkerContext } from './worker-types'

type Accepted = AcceptedItem & { confirmationToken: string }

/** What one round settled: the events to tell, and how many items go out again. */
export interface ConfirmRound {
  events: PushedEvent[]
  resend: number
}

interface RoundState extends ConfirmRound {
  now: number
  detailed: boolean
  confirmed: SettledItem[]
  byListing: Map<string, Accepted>
}

/**
 * Asks the channel about the tokens awaiting confirmation and settles its answers; null when nothing
 * waits or the worker was halted during the call.
 */
export async function confirmRound(
  w: WorkerContext,
  adapter: ChannelAdapter,
  halted: () => boolean,
  countCall: () => void,
): Promise<ConfirmRound | null> {
  if (!adapter.confirm) return null
  // Only the tokens are read before asking: the items themselves are read, by token, for the tokens
  // the channel answered, and only then (fresh, inside the transaction). Reading every waiting item
  // on every round kept thousands of rows alive across the call during a full resync.
  const tokens = pushStateAwaitingTokens(w.db, w.channelId, 1000)
  if (tokens.length === 0) return null
  const results = await adapter.confirm(tokens)
  countCall()
  if (halted()) return null
  const s: RoundState = {
    now: w.clock.now(),
    detailed: results.length <= DETAILED_BATCH,
    events: [],
    resend: 0,
    confirmed: [],
    byListing: new Map(),
  }
  w.db.transaction(() => {
    if (results.length > 0) s.byListing = acceptedByListing(w, tokens)
    for (const r of results) settleAnswer(w, s, r)
    settleConfirmed(w, s)
  })()
  return { events: s.events, resend: s.resend }
}

/** The accepted items of the asked tokens, by listing. */
function acceptedByListing(w: WorkerContext, tokens: readonly string[]): Map<string, Accepted> {
  const byListing = new Map<string, Accepted>()
  for (const token of tokens)
    for (const row of pushStateAcceptedByToken(w.db, w.channelId, token))
      byListing.set(row.listingId, { ...row, confirmationToken: token })
  return byListing
}

/** The accepted item as an outbox row, for the failure count. */
const asOutboxRow = (w: WorkerContext, ps: Accepted, r: PushItemResult, now: number): OutboxRow => ({
  channelId: w.channelId,
  listingId: r.listingId,
  quantity: ps.quantity ?? 0,
  action: ps.action ?? 'set',
  stamp: r.stamp,
  enqueuedAt: ps.enqueuedAt ?? now,
  attempts: 0,
  nextAttemptAt: 0,
  lastError: null,
  explanation: null,
  inflightStamp: null,
})

/** One answer of the channel, for the item still accepted at that stamp (others are stale). */
function settleAnswer(w: WorkerContext, s: RoundState, r: PushItemResult): void {
  const ps = s.byListing.get(r.listingId)
  if (!ps || ps.stamp !== r.stamp) return
  if (r.outcome === 'confirmed') confirmItem(w, s, ps, r)
  else if (r.outcome === 'rejected') {
    const status = countFailure(w, asOutboxRow(w, ps, r, s.now), r, true, s.now)
    s.events.push({ listingId: r.listingId, status, quantity: ps.quantity ?? 0, stamp: r.stamp })
  } else if (r.outcome === 'retry') sendAgain(w, s, ps, r)
}

function confirmItem(w: WorkerContext, s: RoundState, ps: Accepted, r: PushItemResult): void {
  const quantity = ps.quantity ?? 0
  const action = ps.action ?? 'set'
  s.confirmed.push({
    listingId: r.listingId,
    quantity,
    action,
    stamp: r.stamp,
    status: 'confirmed',
    token: null,
  })
  if (s.detailed)
    w.hooks.log({
      at: s.now,
      level: 'info',
      kind: 'push',
      channelId: w.channelId,
      listingId: r.listingId,
      status: 'confirmed',
      message: `${action} ${quantity} confirmed (stamp ${r.stamp})`,
    })
  s.events.push({ listingId: r.listingId, status: 'confirmed', quantity, stamp: r.stamp })
}

/**
 * Accepted but never applied (Amazon still shows another figure after its processing time, a feed it
 * failed): the same value is sent again. Left 'accepted', it would wait forever.
 */
function sendAgain(w: WorkerContext, s: RoundState, ps: Accepted, r: PushItemResult): void {
  const quantity = ps.quantity ?? 0
  const action = ps.action ?? 'set'
  const status = r.transient ? 'queued' : countFailure(w, asOutboxRow(w, ps, r, s.now), r, false, s.now)
  const again =
    status !== 'blocked' &&
    enqueueOutbox(w.db, {
      channelId: w.channelId,
      listingId: r.listingId,
      quantity,
      action,
      stamp: r.stamp,
      enqueuedAt: s.now,
      explanation: null,
    }).result === 'inserted'
  if (!again) return
  s.resend++
  w.hooks.log({
    at: s.now,
    level: 'warn',
    kind: 'push',
    channelId: w.channelId,
    listingId: r.listingId,
    status: 'retry',
    message: `${action} ${quantity} sent again: ${r.message ?? r.code ?? 'not applied'}`,
  })
}

/**
 * Settles the confirmed items: only rows still 'accepted' at this stamp change (the statement checks the
 * stamp). A token (feed, batch) whose every accepted item is confirmed is settled in one statement; the
 * rest item by item.
 */
function settleConfirmed(w: WorkerContext, s: RoundState): void {
  const perToken = new Map<string, SettledItem[]>()
  for (const c of s.confirmed) {
    const token = s.byListing.get(c.listingId)?.confirmationToken ?? ''
    const list = perToken.get(token) ?? []
    list.push(c)
    perToken.set(token, list)
  }
  for (const [token, items] of perToken) {
    if (token && confirmPushTokenIfComplete(w.db, w.channelId, token, items.length, s.now)) continue
    pushStateSettledBatch(w.db, w.channelId, items, s.now)
  }
  if (s.confirmed.length > 0) w.lastConfirmedAt = s.now
  if (!s.detailed && s.confirmed.length > 0)
    w.hooks.log({
      at: s.now,
      level: 'info',
      kind: 'push',
      channelId: w.channelId,
      status: 'confirmed',
      message: `${s.confirmed.length} listings confirmed`,
    })
}
