// A connection that fails below HTTP names the address and the reason, not only "fetch failed".
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { httpRequest } from '../../../../main/node/http/http-client'
import { shopifyErrorText } from '../../../../main/node/channels/shopify/shopify-client'
import { ClassifiedError } from '../../../../main/core/errors'

const servers: Array<{ close(): void }> = []
afterEach(() => servers.splice(0).forEach((s) => s.close()))

describe('network errors', () => {
  it('https to a server that speaks plain http: the host, the reason and a hint about the certificate', async () => {
    const server = createServer((_req, res) => res.end('ok'))
    servers.push(server)
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const port = (server.address() as AddressInfo).port
    const e = await httpRequest({
      method: 'GET',
      url: `https://127.0.0.1:${port}/wp-json/wc/v3/products`,
      timeoutMs: 5000,
      service: 'WooCommerce',
    }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(ClassifiedError)
    const err = e as ClassifiedError
    expect(err.code).toBe('http.network')
    expect(err.message).toMatch(new RegExp(`^WooCommerce could not be reached at 127\\.0\\.0\\.1:${port}: `))
    expect(err.message).not.toMatch(/fetch failed$/)
    expect(err.message).toContain('does not answer HTTPS at this address')
    expect(err.hint).toMatch(/does not speak HTTPS/)
  })

  it("Shopify's error bodies are read for their words", () => {
    expect(
      shopifyErrorText(
        '{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}',
      ),
    ).toBe('[API] Invalid API key or access token (unrecognized login or wrong password)')
    expect(shopifyErrorText('{"errors":[{"message":"Throttled"},{"message":"Again"}]}')).toBe(
      'Throttled; Again',
    )
    expect(shopifyErrorText('{"errors":{"shop":["is closed"]}}')).toBe('shop: is closed')
    expect(shopifyErrorText('<html>Bad gateway</html>')).toBe('<html>Bad gateway</html>')
  })
})
