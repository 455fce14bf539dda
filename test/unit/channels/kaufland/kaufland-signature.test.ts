import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  kauflandSignature,
  kauflandSigningString,
} from '../../../../main/node/channels/kaufland/kaufland-signature'

const secret = 'b3575f222f7b768c25160b879699118b331c0a2a2ec8c5c8c7a4b5e1e1f2a3b4'
const input = {
  method: 'post',
  url: 'https://sellerapi.kaufland.com/v2/units/bulk?storefront=de',
  body: '[{"id_unit":123,"unit_data":{"amount":7}}]',
  timestamp: 1700000000,
}

describe('Kaufland signature', () => {
  it('matches a vector computed with openssl (printf ... | openssl dgst -sha256 -hmac SECRET)', () => {
    expect(kauflandSignature(secret, input)).toBe(
      'e648703eac7bd542511ee41bc372dccd1fda672e3d48a3a76ff5d3291eed2bd6',
    )
  })

  it('signs METHOD, full URL with query, exact body and timestamp joined by newlines', () => {
    const expected = createHmac('sha256', secret)
      .update(`POST\n${input.url}\n${input.body}\n1700000000`)
      .digest('hex')
    expect(kauflandSigningString(input)).toBe(`POST\n${input.url}\n${input.body}\n1700000000`)
    expect(kauflandSignature(secret, input)).toBe(expected)
  })

  it('changes when any part changes (query, body spacing, timestamp)', () => {
    const base = kauflandSignature(secret, input)
    expect(kauflandSignature(secret, { ...input, url: input.url.replace('=de', '=cz') })).not.toBe(base)
    expect(
      kauflandSignature(secret, { ...input, body: '[{"id_unit": 123,"unit_data":{"amount":7}}]' }),
    ).not.toBe(base)
    expect(kauflandSignature(secret, { ...input, timestamp: 1700000001 })).not.toBe(base)
  })

  it('signs an empty body for GET', () => {
    const get = {
      method: 'GET',
      url: 'https://sellerapi.kaufland.com/v2/units?storefront=de&limit=1',
      body: '',
      timestamp: 1,
    }
    expect(kauflandSignature(secret, get)).toBe(
      createHmac('sha256', secret)
        .update('GET\nhttps://sellerapi.kaufland.com/v2/units?storefront=de&limit=1\n\n1')
        .digest('hex'),
    )
  })
})
