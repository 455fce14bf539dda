// What the channels show, read back and repaired: the hourly reconciliation of every listing, and the
// read-back of listings whose older write may have landed after a newer one (channels that apply writes
// out of order, within their apply window). A listing with a value still on its way is left alone.
import { getOutboxRow } from '../db/repos/outbox'
import { dropRechecks, dueRechecks, rechecksDone, startRecheckClocks } from '../db/repos/push-recheck'
import { getPushState } from '../db/repos/push-state'
import type { ChannelConfig } from './catalog'
import type { EngineCore } from './engine-core'
import type { Planner } from './planner'

export interface ReconcilerDeps {
  planner: Planner
  /** Pending units per product, kit orders spread over their components. */
  pending(): ReadonlyMap<number, number>
  /** Reads the channel's orders with a poll that starts after this call (one running is waited for). */
  pollOrders(channelId: string): Promise<void>
}

/** Read-backs per call: the channel's bulk size, at most 500. */
const readBackSize = (bulkBatchSize: number): number => Math.max(1, Math.min(bulkBatchSize, 500))

export class Reconciler {
  constructor(
    private readonly core: EngineCore,
    private readonly d: ReconcilerDeps,
  ) {}

  async reconcile(channelId?: string): Promise<{ checked: number; drifted: number }> {
    const { core } = this
    let checked = 0
    let drifted = 0
    if (channelId) core.worker(channelId) // throws a clear error for a channel the engine does not run
    const channels = channelId
      ? [core.catalog.channels.get(channelId) ?? null]
      : [...core.catalog.channels.values()]
    for (const channel of channels) {
      if (!channel) continue
      const adapter = core.adapters.get(channel.id)!
      if (!adapter.capabilities.readBack || !adapter.readBack) continue
      const ids: string[] = []
      for (const refs of core.catalog.listingsByProduct.values())
        for (const r of refs) if (r.channelId === channel.id) ids.push(r.listingId)
      const size = readBackSize(adapter.capabilities.bulkBatchSize)
      for (let i = 0; i < ids.length; i += size) {
        const r = await this.reconcileListings(channel, ids.slice(i, i + size))
        if (core.halted) return { checked, drifted }
        checked += r.checked
        drifted += r.drifted
      }
    }
    core.log({
      at: core.now(),
      level: 'info',
      kind: 'reconcile',
      message: `reconciliation checked ${checked} listings, repaired ${drifted}`,
    })
    return { checked, drifted }
  }

  /**
   * Reads `ids` back from the channel and repairs those that show anything but their figure. Listings with
   * a value still on its way (queued, sent, or accepted and not confirmed) are left out: `unsettled`.
   */
  private async reconcileListings(
    channel: ChannelConfig,
    ids: string[],
    afterOrderPoll = false,
  ): Promise<{ checked: number; drifted: number; unsettled: string[] }> {
    const { core } = this
    const adapter = core.adapters.get(channel.id)!
    const states = await adapter.readBack!(ids)
    const out = { checked: 0, drifted: 0, unsettled: [] as string[] }
    if (core.halted) return out
    const pending = this.d.pending()
    const repair = new Set<string>()
    const products = new Set<number>()
    // Listings showing fewer units than the channel last applied, which the figure would raise: perhaps a
    // sale not seen yet. Never raised before an order poll that started after this read-back.
    const unseenSale: string[] = []
    for (const s of states) {
      out.checked++
      const ps = getPushState(core.db, channel.id, s.listingId)
      if (
        getOutboxRow(core.db, channel.id, s.listingId) ||
        ps?.status === 'accepted' ||
        ps?.status === 'sent'
      ) {
        out.unsettled.push(s.listingId)
        continue
      }
      if (ps?.status === 'blocked') continue
      const productId = core.catalog.productOf(channel.id, s.listingId)
      if (productId === null) continue
      const want = this.d.planner.desired(channel, s.listingId, productId, pending)
      if (!want) continue
      // A paused listing must not be buyable; one at 0 without a pause (push_zero) may show either way:
      // channels such as Amazon report a listing with nothing to sell as unavailable.
      const shows =
        want.command.action === 'pause' ? !s.available : want.command.quantity === 0 || s.available
      if (s.quantity === want.command.quantity && shows) continue
      const applied = ps?.appliedQuantity ?? null
      if (!afterOrderPoll && applied !== null && s.quantity < applied && want.command.quantity > s.quantity) {
        unseenSale.push(s.listingId)
        core.log({
          at: core.now(),
          level: 'info',
          kind: 'drift',
          channelId: channel.id,
          listingId: s.listingId,
          productId,
          message: `channel shows ${s.quantity}, fewer than the ${applied} it last applied: possibly a sale not seen yet; its orders are read before the figure is raised to ${want.command.quantity}`,
        })
        continue
      }
      out.drifted++
      repair.add(s.listingId)
      products.add(productId)
      core.log({
        at: core.now(),
        level: 'warn',
        kind: 'drift',
        channelId: channel.id,
        listingId: s.listingId,
        productId,
        message: `channel shows ${s.quantity}${s.available ? '' : ' (paused)'}, should show ${want.command.quantity}: repairing`,
      })
    }
    if (repair.size > 0) {
      const queued = core.db.transaction(() =>
        this.d.planner.plan(products, {
          force: (c, l) => c === channel.id && repair.has(l),
          channels: new Set([channel.id]),
        }),
      )()
      core.kick(queued)
    }
    if (unseenSale.length > 0 && !core.halted) {
      // The poll lowers the figure by any sale it finds (pending units); then the listings are judged again.
      await this.d.pollOrders(channel.id)
      if (core.halted) return out
      const again = await this.reconcileListings(channel, unseenSale, true)
      out.drifted += again.drifted
      out.unsettled.push(...again.unsettled)
    }
    return out
  }

  /**
   * Listings that got a newer value while an older one was unconfirmed: once the channel's apply window has
   * passed, the older write has landed (or never will), so what the listing shows now is final. Read back
   * and repaired; listings whose newest value is itself still unconfirmed wait for the next round.
   */
  async recheckSuperseded(): Promise<void> {
    const { core } = this
    const now = core.now()
    startRecheckClocks(core.db, now)
    for (const channel of core.catalog.channels.values()) {
      const adapter = core.adapters.get(channel.id)
      const window = adapter?.capabilities.applyWindowMs
      if (!adapter || window === undefined || !adapter.capabilities.readBack || !adapter.readBack) {
        dropRechecks(core.db, channel.id)
        continue
      }
      const size = readBackSize(adapter.capabilities.bulkBatchSize)
      const ids = dueRechecks(core.db, channel.id, now - window, size)
      if (ids.length === 0) continue
      const r = await this.reconcileListings(channel, ids)
      if (core.halted) return
      const waiting = new Set(r.unsettled)
      rechecksDone(
        core.db,
        channel.id,
        ids.filter((id) => !waiting.has(id)),
      )
      if (r.drifted > 0)
        core.log({
          at: core.now(),
          level: 'info',
          kind: 'reconcile',
          channelId: channel.id,
          message: `${r.drifted} of ${ids.length} listings read back after an older write landed late were repaired`,
        })
    }
  }

  armRecheck(): void {
    this.core.every(
      () => this.core.opts.recheckIntervalMs,
      'reading back superseded listings',
      () => this.recheckSuperseded(),
    )
  }
}
