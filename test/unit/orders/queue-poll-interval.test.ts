// While a channel's order queue is up, bol.com's order poll (the safety net then) runs every 60 s instead of
// 35 s, leaving 4 of bol's 7 orders-list calls per 3 minutes to the ORDER events whose order-detail budget is
// spent (bol-notifications.ts); a queue that is down puts it back on its own interval, a seller's longer
// interval is kept, and a channel without an interval for the queue (Amazon) is unchanged.
import { describe, expect, it } from 'vitest'
import { BOL_ENDPOINT_LIMITS, BOL_LIMITS } from '../../../main/core/channels/bol-limits'
import { amazonCapabilities, bolCapabilities } from '../../../main/core/channels/channel-capabilities'
import type { ChannelAdapter, ChannelCapabilities } from '../../../main/core/ports/channel-adapter'
import { OrderIntake, type OrderIntakeDeps } from '../../../main/node/orders/order-intake'

const intake = (caps: Record<string, ChannelCapabilities>, up: Set<string>) =>
  new OrderIntake({
    adapters: new Map(
      Object.entries(caps).map(([id, capabilities]) => [id, { capabilities } as ChannelAdapter]),
    ),
    options: { orderPollIntervalMs: null, orderOverlapMs: 0, orderLookbackMs: 0 },
    queueUp: (id: string) => up.has(id),
  } as unknown as OrderIntakeDeps)

describe('order poll interval while the order queue is up', () => {
  it('bol.com polls every 60 s with its queue up, 35 s without; Amazon keeps its own', () => {
    const up = new Set<string>()
    const seller = { ...bolCapabilities(), orderPollIntervalMs: 90_000 }
    const o = intake({ bol: bolCapabilities(), amazon: amazonCapabilities(), slow: seller }, up)
    expect(o.intervalOf('bol')).toBe(35_000)
    up.add('bol').add('amazon').add('slow')
    // 3 polls per orders-list window of 3 minutes.
    expect(o.intervalOf('bol')).toBe(
      (BOL_ENDPOINT_LIMITS['orders-list'].windowSeconds * 1000) / BOL_LIMITS.ordersPollsPerWindowWithQueue,
    )
    expect(o.intervalOf('bol')).toBe(60_000)
    expect(o.intervalOf('amazon')).toBe(225_000)
    expect(o.intervalOf('slow')).toBe(90_000)
    up.delete('bol')
    expect(o.intervalOf('bol')).toBe(35_000)
  })
})
