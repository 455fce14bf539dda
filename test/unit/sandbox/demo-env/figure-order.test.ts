import { describe, expect, it } from 'vitest'
import { judgeFigureOrder } from '../../../../main/sandbox/demo-env/figure-order'

const sent = (...xs: Array<[stamp: number, value: number]>) => xs.map(([stamp, value]) => ({ stamp, value }))
const received = (...values: number[]) => values.map((value, at) => ({ at, value }))

describe('judgeFigureOrder: a channel receiving a figure older than one it already had', () => {
  it('passes figures received in the order they were sent, retries and repeats included', () => {
    const s = sent([1, 5], [2, 4], [3, 5], [4, 3])
    expect(judgeFigureOrder(s, received(5, 4, 4, 5, 3))).toMatchObject({
      received: 5,
      olderAfterNewer: 0,
      unexplained: 0,
    })
    // Figures superseded before they went out are simply never received.
    expect(judgeFigureOrder(s, received(5, 3)).olderAfterNewer).toBe(0)
  })

  it('names a figure that arrives after a newer one', () => {
    const v = judgeFigureOrder(sent([1, 7], [2, 6], [3, 5]), received(7, 5, 6))
    expect(v.olderAfterNewer).toBe(1)
    expect(v.firstOlder).toEqual({ index: 2, at: 2, value: 6, afterStamp: 3 })
  })

  it('a pause is the figure 0, and a figure the engine never sent is unexplained, not older', () => {
    expect(judgeFigureOrder(sent([1, 2], [2, 0]), received(2, 0)).olderAfterNewer).toBe(0)
    expect(judgeFigureOrder(sent([1, 2], [2, 0]), received(0, 2)).olderAfterNewer).toBe(1)
    expect(judgeFigureOrder(sent([1, 2]), received(2, 9))).toMatchObject({
      olderAfterNewer: 0,
      unexplained: 1,
    })
  })

  it('never names a figure falsely when values repeat (it may miss one instead)', () => {
    // 4 was sent twice (stamps 2 and 4): receiving 5 after 4 may be stamp 3, so it is not named.
    expect(judgeFigureOrder(sent([1, 5], [2, 4], [3, 5], [4, 4]), received(4, 5)).olderAfterNewer).toBe(0)
  })
})
