// The seller's "check for orders every" setting reaches the adapter the engine runs, within the channel's
// orders limit; the adapter behind it still answers (against the WooCommerce simulator over loopback).
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { isClassifiedError } from '../../../main/core/errors'
import type { ChannelRow } from '../../../main/node/db/repos/channels'
import { createChannelAdapter } from '../../../main/node/runtime/channel-registry'
import { startWooCommerceSimulator, type WooSimulator } from '../../../main/sandbox/channels/woocommerce'
import { channelRow } from '../../helpers/channel-row'

let sim: WooSimulator
beforeEach(async () => {
  sim = await startWooCommerceSimulator({})
  sim.setProducts([{ name: 'Mug', sku: 'MUG-1', stock: 3 }])
})
afterEach(() => sim.stop())

const row = (type: ChannelRow['type'], baseUrl: string, settings: ChannelRow['settings']): ChannelRow =>
  channelRow({ id: `${type}-1`, type, name: `My ${type}`, baseUrl, settings })

const woo = (settings: ChannelRow['settings']) =>
  createChannelAdapter(row('woocommerce', sim.url, settings), {
    consumerKey: sim.consumerKey,
    consumerSecret: sim.consumerSecret,
  })

describe('order poll interval from the channel settings', () => {
  it('empty: the default the limit gives; a figure: that figure, and the adapter still works', async () => {
    expect(woo({}).capabilities.orderPollIntervalMs).toBe(15_000)
    expect(woo({ orderPollSeconds: '' }).capabilities.orderPollIntervalMs).toBe(15_000)
    const chosen = woo({ orderPollSeconds: '40' })
    expect(chosen.capabilities.orderPollIntervalMs).toBe(40_000)
    // Everything else the adapter declares is unchanged.
    expect({ ...chosen.capabilities, orderPollIntervalMs: 15_000 }).toEqual(woo({}).capabilities)
    const page = await chosen.listListings()
    expect(page.items.map((l) => l.sku)).toEqual(['MUG-1'])
    expect((await chosen.testConnection()).ok).toBe(true)
  })

  it('faster than the orders limit sustains: refused, naming the setting and the fastest allowed', () => {
    const amazon = () =>
      createChannelAdapter(
        row('amazon', 'http://127.0.0.1:9', {
          sellerId: 'A1',
          marketplaceIds: ['A1PA6795UKMFR9'],
          orderPollSeconds: 60,
        }),
        { clientId: 'c', clientSecret: 's', refreshToken: 'r' },
      )
    let err: unknown
    try {
      amazon()
    } catch (e) {
      err = e
    }
    expect(isClassifiedError(err) && err.kind).toBe('needs_seller')
    expect((err as Error).message).toBe(
      'My amazon (amazon-1): the setting "Check for orders every" is 60 s; the fastest allowed is 179 s (Amazon allows one orders request every 179 s)',
    )
  })
})
