// Runs against the simulators stamp each channel request with its send time; nothing else ever does.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { systemClock } from '../../../../main/core/ports/clock'
import { headerAuth } from '../../../../main/node/channels/kit/auth'
import { ChannelClient } from '../../../../main/node/channels/kit/channel-client'
import { httpRequest, SENT_AT_HEADER, stampSendTimes } from '../../../../main/node/http/http-client'

let server: Server | undefined
afterEach(async () => {
  stampSendTimes(false)
  server?.closeAllConnections()
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()))
})

const echoHeaders = async () => {
  const seen: IncomingHttpHeaders[] = []
  server = createServer((req, res) => {
    seen.push(req.headers)
    res.end('{}')
  })
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()))
  const url = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`
  const client = new ChannelClient({
    baseUrl: url,
    clock: systemClock,
    timeoutMs: 2000,
    auth: () => headerAuth({ authorization: 'Bearer x' }),
    errors: {
      service: 'test',
      prefix: 'test',
      describe: (r) => r.text,
      deniedHint: '',
      notFound: 'rejected',
    },
  })
  const get = () => client.request({ method: 'GET', path: '/', what: 'testing' })
  return { seen, get, url }
}

describe('send-time stamp for simulator runs', () => {
  it('is off by default and carries the send time when switched on', async () => {
    const { seen, get } = await echoHeaders()
    await get()
    expect(seen[0]![SENT_AT_HEADER]).toBeUndefined()
    stampSendTimes(true)
    const before = Date.now()
    await get()
    const stamped = Number(seen[1]![SENT_AT_HEADER])
    expect(stamped).toBeGreaterThanOrEqual(before)
    expect(stamped).toBeLessThanOrEqual(Date.now())
  })

  it('is the channel client’s: a request that does not go through it (Odoo) is never stamped', async () => {
    const { seen, url } = await echoHeaders()
    stampSendTimes(true)
    await httpRequest({ method: 'GET', url, timeoutMs: 2000, service: 'Odoo' })
    expect(seen[0]![SENT_AT_HEADER]).toBeUndefined()
  })
})
