// Finds the server version without assuming a transport: POST /web/webclient/version_info answers on
// every version (XML-RPC is going away on Odoo Online, JSON-2 does not exist before 19), and refuses a
// server older than Odoo 17 before anything else is tried.
import { ClassifiedError } from '../../core/errors'
import { checkSupportedVersion, parseServerVersion } from '../../core/odoo/odoo-version'
import type { OdooServerInfo } from '../../core/ports/odoo-gateway'
import { httpRequest, type HttpResponse } from '../http/http-client'
import { endpoint } from './odoo-connection'
import { answerSnippet } from '../redaction'
import { classifyHttp, classifyNetwork, looksHtml, notOdoo } from './odoo-errors'
import { odooThrottleFor } from './odoo-throttle'

export async function probeOdooVersion(baseUrl: URL, timeoutMs: number): Promise<OdooServerInfo> {
  const host = baseUrl.host
  const what = 'reading its version'
  // A 429 Odoo gave any connection in this process holds this call too; a 429 here holds the others.
  const throttle = odooThrottleFor(host)
  throttle.check(what)
  let res: HttpResponse
  try {
    res = await httpRequest({
      method: 'POST',
      url: endpoint(baseUrl, '/web/webclient/version_info'),
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: {}, id: 1 }),
      timeoutMs,
      service: 'Odoo',
    })
  } catch (e) {
    throw classifyNetwork(host, e, what, timeoutMs)
  }
  if (res.status === 429) throw throttle.throttled(res, what)
  if (res.status !== 200) throw classifyHttp(host, res, what)
  let body: { result?: { server_version?: unknown; server_version_info?: unknown } }
  try {
    body = JSON.parse(res.text) as typeof body
  } catch {
    // JSON cut short is a connection or a proxy failing, not another kind of server: retried.
    if (/^\s*[{[]/.test(res.text))
      throw new ClassifiedError(
        'retryable',
        'odoo.malformed',
        `Odoo at ${host} sent an incomplete answer while ${what}`,
        {
          hint: 'A proxy in front of Odoo or the connection may have cut it short; LastUnit retries automatically.',
        },
      )
    // An HTML page with 200 (a proxy's error or maintenance page, Odoo starting up behind it) is an
    // outage like any other: retried with growing waits, saying what came instead.
    if (looksHtml(res.text))
      throw new ClassifiedError(
        'retryable',
        'odoo.html_answer',
        `Odoo at ${host} answered the version request with an HTML page instead of Odoo's JSON (starts with "${answerSnippet(res.text, 60).replace(/\s+/g, ' ')}")`,
        {
          hint: 'A proxy or maintenance page in front of Odoo answers for it; LastUnit retries automatically. If it lasts, check the Odoo address: the one you open Odoo with in the browser.',
        },
      )
    throw notOdoo(host, 'the address answered, but not like Odoo')
  }
  if (!body.result) throw notOdoo(host, 'the address answered, but not like Odoo')
  let info: OdooServerInfo
  try {
    info = parseServerVersion(body.result.server_version, body.result.server_version_info)
  } catch (e) {
    throw new ClassifiedError('permanent', 'odoo.version', `Odoo at ${host}: ${(e as Error).message}`)
  }
  return checkSupportedVersion(info, host)
}
