// Burst order polls: right after an order on one channel took the last units of a product (its figure went
// to 0, or to its buffer), the other channels that list it may have sold the same units before they were
// lowered. Each of them whose next regular poll is further away than BURST_MIN_GAIN_MS is polled once more
// at once, when its orders limit has room for that call and still one for its next regular poll. Every
// orders call of the intake is counted here, so regular polls, their pages and bursts share one budget per
// channel (docs/order-detection.md, "Burst polls").
import type { ChannelAdapter } from '../../core/ports/channel-adapter'
import type { Clock } from '../../core/ports/clock'
import {
  BURST_MIN_GAIN_MS,
  OrderPollBudget,
  ordersLimitOf,
  type BudgetSnapshot,
} from '../../core/channels/order-poll-budget'
import type { SyncLogEntry } from '../db/repos/sync-log'
import type { EngineState } from '../engine/engine-state'

export interface BurstPollDeps {
  clock: Clock
  state: EngineState
  adapters: ReadonlyMap<string, ChannelAdapter>
  /** The channels (ids) that list the product. */
  listedOn(productId: number): readonly string[]
  /** Milliseconds until the channel's next regular poll starts (null: not polled). */
  untilRegularPoll(channelId: string): number | null
  /** The channel's regular poll interval (null: no adapter). */
  intervalOf(channelId: string): number | null
  poll(channelId: string): Promise<void>
  log(e: SyncLogEntry): void
  safe(what: string, fn: () => Promise<void>): Promise<void>
}

export class BurstPolls {
  private readonly budgets = new Map<string, OrderPollBudget | null>()
  /** Channels with a burst poll asked for and not yet done: one at a time is enough. */
  private readonly running = new Set<string>()

  constructor(private readonly d: BurstPollDeps) {}

  /** The channel's orders budget (null: it declares no orders limit, so it never bursts). */
  budgetOf(channelId: string): OrderPollBudget | null {
    if (this.budgets.has(channelId)) return this.budgets.get(channelId)!
    const adapter = this.d.adapters.get(channelId)
    const limit = adapter ? ordersLimitOf(adapter.capabilities) : null
    // Kept in the engine's state: the calls a stopped process made still count against the channel's limit.
    const key = `order_budget:${channelId}`
    const budget = limit
      ? new OrderPollBudget(limit, this.d.clock, {
          load: () => this.d.state.getJson<BudgetSnapshot>(key) ?? undefined,
          save: (s) => this.d.state.setJson(key, s),
        })
      : null
    this.budgets.set(channelId, budget)
    return budget
  }

  /** One orders call of the channel is going out (regular, page or burst). */
  spent(channelId: string): void {
    this.budgetOf(channelId)?.spent()
  }

  /**
   * An order on `soldOn` took the last units of `productIds`: polls each other channel listing them once,
   * where that is worth a call and fits its limit. Returns the channels polled.
   */
  soldOut(soldOn: string, productIds: ReadonlySet<number>): string[] {
    const { d } = this
    const channels = new Set<string>()
    for (const p of productIds) for (const c of d.listedOn(p)) if (c !== soldOn) channels.add(c)
    const polled: string[] = []
    for (const channelId of channels) {
      if (this.running.has(channelId)) continue
      const until = d.untilRegularPoll(channelId)
      const interval = d.intervalOf(channelId)
      if (until === null || interval === null || until <= BURST_MIN_GAIN_MS) continue
      const budget = this.budgetOf(channelId)
      if (!budget?.burstFits(until, interval)) continue
      this.running.add(channelId)
      polled.push(channelId)
      const products = [...productIds].filter((p) => d.listedOn(p).includes(channelId))
      d.log({
        at: d.clock.now(),
        level: 'info',
        kind: 'order',
        channelId,
        status: 'burst',
        message: `extra order check of ${channelId}: ${soldOn} sold the last units of product ${products.join(', ')} (next regular check in ${Math.ceil(until / 1000)} s)`,
        data: { soldOn, productIds: products },
      })
      void d
        .safe(`extra order check of ${channelId}`, () => d.poll(channelId))
        .finally(() => this.running.delete(channelId))
    }
    return polled
  }
}
