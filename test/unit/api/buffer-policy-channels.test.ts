// The app's view of each channel for the buffer policy (buffer-recommendations.ts policyChannels): a channel
// whose order queue is up in the engine's status counts its notified detection window (issue #23), the same
// policyChannel() the market simulation calls; a queue that is down leaves it on order polling.
import { describe, expect, it } from 'vitest'
import { NOTIFICATION_LOSS_RATE } from '../../../main/core/buffers/policy-channels'
import { openDatabase } from '../../../main/node/db/database'
import { policyChannels } from '../../../main/node/api/handlers/buffer-recommendations'
import type { EngineStatus } from '../../../main/node/engine'

const statusWith = (state: 'up' | 'down') =>
  ({
    channels: [
      {
        channelId: 'amz',
        type: 'amazon',
        orderPollIntervalMs: 225_000,
        latencyP50Ms: 800,
        latencyP99Ms: 2_000,
        orderQueue: {
          state,
          reason: state === 'down' ? 'queue deleted' : null,
          since: 0,
          lastMessageAt: null,
          orderToPendingP50Ms: 2_100,
          orderToPendingMaxMs: 4_000,
          ordersRecorded: 12,
          queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/lastunit-orders',
        },
      },
      {
        channelId: 'shop',
        type: 'shopify',
        orderPollIntervalMs: 5_000,
        latencyP50Ms: 500,
        latencyP99Ms: 900,
        orderQueue: null,
      },
    ],
  }) as unknown as EngineStatus

describe('policyChannels with an order queue', () => {
  it('a queue that is up gives the channel its measured notified window; down, polling alone', () => {
    const db = openDatabase(':memory:')
    const add = db.prepare('INSERT INTO channels (id, type, name, base_url) VALUES (?, ?, ?, ?)')
    add.run('amz', 'amazon', 'Amazon DE', 'https://sellingpartnerapi-eu.amazon.com')
    add.run('shop', 'shopify', 'Shop', 'https://shop.example.com')
    const up = policyChannels(db, statusWith('up'))
    expect(up.find((c) => c.channelId === 'amz')!.policy.notified).toEqual({
      delay: { minMs: 2_100, maxMs: 4_000 },
      lossRate: NOTIFICATION_LOSS_RATE,
    })
    expect(up.find((c) => c.channelId === 'shop')!.policy.notified).toBeUndefined()
    const down = policyChannels(db, statusWith('down'))
    expect(down.find((c) => c.channelId === 'amz')!.policy.notified).toBeUndefined()
    expect(down.find((c) => c.channelId === 'amz')!.policy.orderDetectionMs).toBe(225_000)
    db.close()
  })
})
