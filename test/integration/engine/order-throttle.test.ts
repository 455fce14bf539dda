// A channel that throttles the order poll for a while (Amazon's searchOrders at one call a minute, polled
// every 2 s) writes one info line when it starts and one when it ends, not a warning per poll.
import { afterEach, describe, expect, it } from 'vitest'
import { ClassifiedError } from '../../../main/core/errors'
import { makeWorld, type World } from './harness'

let world: World | null = null
afterEach(async () => {
  await world?.close()
  world = null
})

describe('order polls a channel throttles', () => {
  it('are logged once per episode, at info level, and a real failure is still a warning', async () => {
    world = await makeWorld({ channels: [{ id: 'amz', type: 'amazon' }], products: { 1: 5 } })
    await world.engine.start()
    const adapter = world.adapters.get('amz')!
    const real = adapter.fetchOrders.bind(adapter)
    let mode: 'throttled' | 'ok' | 'down' = 'throttled'
    adapter.fetchOrders = async (since, cursor) => {
      if (mode === 'throttled')
        throw new ClassifiedError(
          'retryable',
          'amazon.throttled',
          'Amazon throttled searchOrders: QuotaExceeded',
        )
      if (mode === 'down') throw new ClassifiedError('retryable', 'http.unavailable', 'Amazon answered 503')
      return real(since, cursor)
    }
    for (let i = 0; i < 30; i++) await world.engine.pollOrders('amz')
    mode = 'ok'
    await world.engine.pollOrders('amz')
    await world.engine.pollOrders('amz')
    mode = 'down'
    await world.engine.pollOrders('amz')
    const lines = world.db
      .prepare("SELECT level, status, message FROM sync_log WHERE kind = 'order' ORDER BY id")
      .all() as Array<{ level: string; status: string; message: string }>
    expect(lines.map((l) => [l.level, l.status])).toEqual([
      ['info', 'throttled'],
      ['info', 'resumed'],
      ['warn', 'retryable'],
    ])
    expect(lines[0]!.message).toContain('amz asks LastUnit to slow down order checks')
    expect(lines[1]!.message).toMatch(
      /^Order checks on amz back to normal after \d+ s \(30 attempts were slowed down\)\.$/,
    )
  })
})
