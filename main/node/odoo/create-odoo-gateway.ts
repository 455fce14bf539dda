// Builds the gateway for a connection: checks the address, probes the version (a probe that works on
// every version, and refuses a server older than 17), picks JSON-2 on 19+ and XML-RPC on 17-18 unless
// the seller forced one.
import { ClassifiedError } from '../../core/errors'
import { versionProfile } from '../../core/odoo/odoo-version'
import type { OdooTransport } from '../../core/ports/odoo-gateway'
import { Json2Odoo } from './json2-rpc'
import { checkOdooUrl, DEFAULT_TIMEOUT_MS, type OdooConnectionConfig } from './odoo-connection'
import type { OdooRpc } from './odoo-rpc'
import { RpcOdooGateway } from './rpc-gateway'
import { odooThrottleFor } from './odoo-throttle'
import { probeOdooVersion } from './version-probe'
import { XmlRpcOdoo } from './xmlrpc-rpc'

export async function createOdooGateway(config: OdooConnectionConfig): Promise<RpcOdooGateway> {
  const baseUrl = checkOdooUrl(config.url, config.allowInsecureHttp ?? false)
  for (const [name, v] of [
    ['database', config.database],
    ['user', config.login],
    ['API key', config.secret],
  ] as const)
    if (!v || !v.trim())
      throw new ClassifiedError(
        'needs_seller',
        'odoo.missing_setting',
        `The Odoo ${name} is empty: fill it in the connection settings`,
      )
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS
  // A 429 hold an earlier process was given (kept in the database) holds the probe too.
  if (config.holdMemory) odooThrottleFor(baseUrl.host).remember(config.holdMemory)
  const info = await probeOdooVersion(baseUrl, timeoutMs)
  const wanted = config.transport ?? 'auto'
  const transport: OdooTransport = wanted === 'auto' ? versionProfile(info.major).preferredTransport : wanted
  if (transport === 'json2' && info.major < 19)
    throw new ClassifiedError(
      'needs_seller',
      'odoo.json2_unavailable',
      `Odoo ${info.serverVersion} at ${baseUrl.host} has no JSON-2 API (it arrived in Odoo 19): use XML-RPC or automatic`,
    )
  const opts = {
    baseUrl,
    database: config.database.trim(),
    login: config.login.trim(),
    secret: config.secret,
    timeoutMs,
  }
  const rpc: OdooRpc = transport === 'json2' ? new Json2Odoo(opts) : new XmlRpcOdoo(opts)
  return new RpcOdooGateway(rpc, info, {
    ...(config.pollOverlapMs === undefined ? {} : { overlapMs: config.pollOverlapMs }),
    ...(config.pageSize === undefined ? {} : { pageSize: config.pageSize }),
    ...(config.lang === undefined ? {} : { lang: config.lang }),
    ...(config.clock === undefined ? {} : { clock: config.clock }),
  })
}
