// A write left in flight by a killed process can still be applied by the channel after the next process
// started: the fault campaign saw Zalando receive 100, 99, then the dead process's 100 again (its request
// was held by the server's latency and applied after the new process had sent 99), so the listing ended at
// 100 with the formula at 99. Zalando cannot be read back, so nothing repaired it. The next process may
// send the same value again at once, but no other value of that listing before the older write can no
// longer land.
import { afterEach, describe, expect, it } from 'vitest'
import { makeWorld, until, type World } from './harness'

let world: World | null = null
afterEach(async () => {
  await world?.close()
  world = null
})

// Past the default late-write window (the channels' 30 s request timeout), so the test runs on the defaults.
const PAST_THE_WINDOW_MS = 60_000

describe('a write left in flight by a killed process', () => {
  it('is never overtaken by a newer value on Zalando: the newer one goes once the old one cannot land', async () => {
    // Real time plus what the test adds: the late-write window passes only when the test says so.
    let offset = 0
    const clock = { now: () => Date.now() + offset }
    const received: Array<number | string> = []
    world = await makeWorld({
      channels: [
        { id: 'zal', type: 'zalando', sim: { onApply: (_id, quantity) => received.push(quantity) } },
      ],
      products: { 1: 5 },
      clock,
    })
    const w = world
    const listing = () => w.sims.get('zal')!.listing('zal-1')!
    const state = () => w.engine.explain('zal', 'zal-1')!
    await w.engine.start()
    expect(await w.engine.idle()).toBe(true)
    expect(listing().quantity).toBe(5)

    // The first process queues 7 and sends it (push state 'sent', as the worker writes before the call);
    // it is killed before any answer. Its request is still on its way to Zalando.
    w.engine.pause('zal')
    w.odoo.receive(1, 2)
    await w.engine.pollOdoo()
    const sent = state()
    expect(sent.quantity).toBe(7)
    w.db
      .prepare(
        "UPDATE push_state SET status = 'sent', sent_at = ? WHERE channel_id = 'zal' AND listing_id = 'zal-1'",
      )
      .run(clock.now())
    w.engine.halt()

    // The next process starts while the stock moved on: 8 is the newer figure.
    w.odoo.receive(1, 1)
    const next = w.restart()
    await next.start()
    await until('8 to be queued', () => state().quantity === 8)
    expect(
      w.db
        .prepare("SELECT message FROM sync_log WHERE listing_id = 'zal-1' AND status = 'superseded'")
        .pluck()
        .all(),
    ).toEqual(['7 superseded by 8 while it was in flight (sent, no answer yet)'])
    // Whatever the new process does now, the dead one's 7 is applied by Zalando meanwhile.
    await until(
      '8 to be sent or held back',
      () =>
        state().status === 'confirmed' ||
        (
          w.db
            .prepare(
              "SELECT count(*) AS n FROM sync_log WHERE listing_id = 'zal-1' AND message LIKE '%waits%'",
            )
            .get() as { n: number }
        ).n > 0,
    )
    listing().quantity = 7
    received.push('late 7')

    // Once the old write can no longer land, the newest value goes.
    offset += PAST_THE_WINDOW_MS
    next.resume('zal')
    await until('8 to be confirmed', () => state().status === 'confirmed' && state().quantity === 8)
    expect(listing().quantity).toBe(8)
    // 8 reached Zalando only after the late 7, never before it.
    expect(received.slice(received.indexOf('late 7'))).toEqual(['late 7', 8])
    expect(received.slice(0, received.indexOf('late 7'))).not.toContain(8)
  })
})
