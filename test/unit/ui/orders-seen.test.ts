// The dashboard card's "Orders seen within": the queue's measured time when it is up, the poll interval and the
// reason when it is down, the poll interval alone for a channel without a queue.
import { describe, expect, it } from 'vitest'
import { ordersSeen } from '../../../renderer/src/features/dashboard/orders-seen'

describe('orders seen within', () => {
  it('says how an order is seen, from the queue state', () => {
    expect(ordersSeen({ ordersSeenWithinMs: 180_000 })).toBe('3 min')
    expect(ordersSeen({ ordersSeenWithinMs: null, orderQueue: null })).toBe('–')
    const up = (ms: number | null) =>
      ordersSeen({
        ordersSeenWithinMs: 180_000,
        orderQueue: { state: 'up', reason: null, orderToPendingMs: ms },
      })
    expect(up(1234)).toBe('1.2 s (queue)')
    expect(up(12_600)).toBe('13 s (queue)')
    expect(up(null)).toBe('seconds (queue; no order measured yet)')
    expect(
      ordersSeen({
        ordersSeenWithinMs: 180_000,
        orderQueue: { state: 'down', reason: 'the queue does not exist', orderToPendingMs: 900 },
      }),
    ).toBe('3 min (queue down: the queue does not exist)')
    expect(
      ordersSeen({
        ordersSeenWithinMs: 35_000,
        orderQueue: { state: 'starting', reason: null, orderToPendingMs: null },
      }),
    ).toBe('35 s (queue starting)')
  })
})
