import { describe, expect, it } from 'vitest'
import { explainFormula, plainLogText } from '../../../main/core/log/plain-log'

const say = (kind: string, message: string, status: string | null = null) =>
  plainLogText(
    { kind, status, message },
    { channel: 'Demo eBay', saleOrderName: (id) => (id === 42 ? 'S00042' : null) },
  )

describe('the sync log in plain words', () => {
  it('says what a confirmed update shows, without internal stamps', () => {
    expect(say('push', 'set 34 confirmed in 1250 ms (stamp 1900)', 'confirmed')).toBe(
      'Now showing 34: confirmed by Demo eBay, 1.3 s after the change.',
    )
    expect(say('push', 'set 34 confirmed (stamp 1900)')).toBe('Demo eBay confirmed it is showing 34.')
    expect(say('push', 'pause 0 accepted in 80 ms (stamp 3)')).toBe(
      'Now taken off sale (nothing left to sell): Demo eBay accepted it and confirms shortly, under 0.1 s after the change.',
    )
  })

  it('says why a newer figure waits for an older one that may still land', () => {
    expect(say('push', '7 superseded by 8 while it was in flight (sent, no answer yet)', 'superseded')).toBe(
      '7 was replaced by the newer figure 8 while Demo eBay had not yet answered for 7.',
    )
    expect(
      say(
        'push',
        'set 8 waits 29500 ms: an older write of this listing whose answer never came may still be applied, and must not land after it',
        'queued',
      ),
    ).toBe(
      '8 goes to Demo eBay in 30 s: an older figure whose answer never came may still be applied by Demo eBay, and must not overwrite it.',
    )
  })

  it('explains a queued figure term by term', () => {
    expect(
      say(
        'push',
        'set 4: published 4 = free 7 - pending 1 - buffer 2; buffer 2 = channel rule 1 + 1 (on 5 channels)',
      ),
    ).toBe(
      'New figure 4 to send: 7 free in Odoo, minus 1 sold and not yet in Odoo, minus 2 held back as safety buffer.',
    )
    expect(explainFormula('published 9 = free 9 - pending 0 - buffer 0')).toBe('9 free in Odoo')
  })

  it('names orders and the Odoo sale order by the name Odoo shows', () => {
    expect(say('order', 'order 123-45 new (open)')).toBe(
      'New order 123-45 on Demo eBay: every other channel is lowered at once.',
    )
    expect(say('order_import', 'order 123-45 confirmed in Odoo as sale order 42 (ebay:123-45)')).toBe(
      'Order 123-45 is in Odoo as sale order S00042, confirmed.',
    )
    expect(say('order_import', 'order 9 confirmed in Odoo as sale order 7 (x:9)')).toBe(
      "Order 9 is in Odoo as a confirmed sale order (Odoo's record 7; its name shows on the Orders screen).",
    )
  })

  it('keeps unknown lines as written, without internal stamps', () => {
    expect(say('engine', 'engine starting')).toBe('engine starting')
    expect(say('push', 'something new (stamp 77)')).toBe('something new')
  })
})
