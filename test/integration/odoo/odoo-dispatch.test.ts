// The simulator dispatches every call the way Odoo does (main/sandbox/odoo/odoo-dispatch.ts, read from
// Odoo's source): it answers the wrong calls exactly as real 18.0 and 19.0 servers did
// (test/fixtures/odoo/real-refusals.json), and every call the gateway makes, on every version and
// transport, binds through the table, while the shape the old client sent for create is refused with
// Odoo's IndexError.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OdooTransport } from '../../../main/core/ports/odoo-gateway'
import { xmlrpcArguments } from '../../../main/node/odoo/call-shape'
import { Json2Odoo } from '../../../main/node/odoo/json2-rpc'
import type { OdooRpc, RpcCallOptions, RpcParams, RpcReply } from '../../../main/node/odoo/odoo-rpc'
import { RpcOdooGateway } from '../../../main/node/odoo/rpc-gateway'
import { decodeMethodResponse, encodeMethodCall } from '../../../main/node/odoo/xmlrpc-codec'
import { XmlRpcOdoo } from '../../../main/node/odoo/xmlrpc-rpc'
import {
  DispatchError,
  dispatchJson2,
  dispatchRow,
  dispatchRows,
  dispatchXmlRpc,
  modelExists,
  type DispatchVersion,
} from '../../../main/sandbox/odoo/odoo-dispatch'
import type { OdooSim } from '../../../main/sandbox/odoo/odoo-sim'
import { startSim, VERSIONS } from './odoo-test-kit'

interface RealCase {
  id: string
  version: 18 | 19
  transport: 'xmlrpc' | 'json2'
  rpc?: string
  params?: unknown[]
  faultCode?: number
  lastLine?: string
  faultString?: string
  frames?: Array<[string, number, string]>
  result?: unknown
  verb?: string
  model?: string
  method?: string
  body?: unknown
  status?: number
  name?: string
  message?: string
  arguments?: unknown[]
}

const REAL = JSON.parse(
  readFileSync(new URL('../../fixtures/odoo/real-refusals.json', import.meta.url), 'utf8'),
) as { cases: RealCase[] }

async function rawXmlRpc(sim: OdooSim, rpc: string, params: unknown[]) {
  const res = await fetch(`${sim.url}/xmlrpc/2/object`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body: encodeMethodCall(rpc, [sim.database, 2, sim.apiKey, ...params]),
  })
  return decodeMethodResponse(await res.text())
}

async function rawJson2(sim: OdooSim, c: RealCase) {
  const res = await fetch(`${sim.url}/json/2/${c.model}/${c.method}`, {
    method: c.verb,
    headers: {
      authorization: `bearer ${sim.apiKey}`,
      'content-type': 'application/json',
      'x-odoo-database': sim.database,
    },
    ...(c.verb === 'GET' ? {} : { body: typeof c.body === 'string' ? c.body : JSON.stringify(c.body) }),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

const framesOf = (traceback: string): Array<[string, number, string]> =>
  [...traceback.matchAll(/File "([^"]+)", line (\d+), in (\S+)/g)].map((m) => [
    (m[1] as string).split('/').pop() as string,
    Number(m[2]),
    m[3] as string,
  ])

describe('the simulator answers wrong calls as real Odoo 18.0 and 19.0 did', () => {
  const sims = new Map<number, OdooSim>()
  beforeAll(async () => {
    for (const v of [18, 19] as const)
      sims.set(v, await startSim(v, { catalogue: { products: 5, historyDays: 2, seed: 3 } }))
  })
  afterAll(async () => {
    await Promise.all([...sims.values()].map((s) => s.stop()))
  })

  it.each(REAL.cases.filter((c) => c.transport === 'xmlrpc').map((c) => [c.version, c.id, c] as const))(
    'XML-RPC %i: %s',
    async (version, _id, c) => {
      const sim = sims.get(version) as OdooSim
      const before = sim.store.saleOrders.size
      const r = await rawXmlRpc(sim, c.rpc as string, c.params as unknown[])
      expect(sim.store.saleOrders.size).toBe(before)
      if (c.faultCode === undefined) {
        expect(r.ok).toBe(true)
        if (r.ok) expect(r.value).toEqual(c.result)
        return
      }
      expect(r.ok).toBe(false)
      if (r.ok) return
      expect(r.fault.faultCode).toBe(c.faultCode)
      if (c.faultString !== undefined) expect(r.fault.faultString).toBe(c.faultString)
      else {
        const lines = r.fault.faultString.trimEnd().split('\n')
        expect(lines[0]).toBe('Traceback (most recent call last):')
        expect(lines.pop()).toBe(c.lastLine)
        // Same frames (file name, line, function) as the real server's traceback.
        expect(framesOf(r.fault.faultString)).toEqual(
          (c.frames ?? []).map(([file, line, fn]) => [file.split('/').pop(), line, fn]),
        )
      }
    },
  )

  it.each(REAL.cases.filter((c) => c.transport === 'json2').map((c) => [c.id, c] as const))(
    'JSON-2 19: %s',
    async (_id, c) => {
      const sim = sims.get(19) as OdooSim
      const r = await rawJson2(sim, c)
      expect(r.status).toBe(c.status)
      if (c.name === undefined) expect(r.body).toEqual(c.result)
      else
        expect({ name: r.body.name, message: r.body.message, arguments: r.body.arguments }).toEqual({
          name: c.name,
          message: c.message,
          arguments: c.arguments,
        })
    },
  )
})

/** Records what the gateway asks its transport, and may change a call on its way (see below). */
class RecordingRpc implements OdooRpc {
  readonly calls: Array<{ model: string; method: string; params: RpcParams }> = []
  constructor(
    private readonly inner: OdooRpc,
    private readonly tweak: (model: string, method: string, params: RpcParams) => RpcParams = (_m, _n, p) =>
      p,
  ) {}
  get transport() {
    return this.inner.transport
  }
  get stats() {
    return this.inner.stats
  }
  authenticate() {
    return this.inner.authenticate()
  }
  call<T>(model: string, method: string, params: RpcParams, opts?: RpcCallOptions): Promise<RpcReply<T>> {
    const p = this.tweak(model, method, params)
    this.calls.push({ model, method, params: p })
    return this.inner.call<T>(model, method, p, opts)
  }
}

const transportsOf = (v: DispatchVersion): OdooTransport[] => (v >= 19 ? ['json2', 'xmlrpc'] : ['xmlrpc'])

/** What the gateway calls on each version; a new call must be added here, and so to the walk. */
function expectedCalls(v: DispatchVersion, transport: OdooTransport): string[] {
  const grouped = v >= 19 ? 'formatted_read_group' : 'read_group'
  return [
    ...(transport === 'json2' ? ['res.users.search_read'] : []),
    'product.product.search_read',
    'stock.warehouse.search_read',
    'stock.location.search_read',
    `stock.quant.${grouped}`,
    'stock.quant.search_read',
    'stock.move.search_read',
    `sale.order.line.${grouped}`,
    'product.product.read',
    'sale.order.search_read',
    'sale.order.create',
    'sale.order.read',
    'sale.order.action_confirm',
    'sale.order.action_cancel',
    // 17 and 18 answer action_cancel with the cancel wizard when the context does not say otherwise.
    ...(v <= 18 ? ['sale.order.cancel.create', 'sale.order.cancel.action_cancel'] : []),
  ].sort()
}

describe('the dispatch table', () => {
  it.each(VERSIONS)(
    '%i: every row names a simulated model and cites the source file and line it was read from',
    (version) => {
      const rows = dispatchRows(version)
      expect(rows.length).toBeGreaterThan(20)
      for (const r of rows) {
        expect(r.model === '*' || modelExists(version, r.model), `${r.model}.${r.method}`).toBe(true)
        expect(r.from, `${r.model}.${r.method}`).toMatch(/^(odoo|addons)\/[\w/.]+\.py:\d+/)
        expect(r.sig.qualname.endsWith(r.method) || r.sig.qualname === 'create').toBe(true)
      }
      // What changed between versions, as the source has it.
      expect(dispatchRow(version, 'stock.return.picking', 'create_returns') !== null).toBe(version === 17)
      expect(dispatchRow(version, 'stock.return.picking', 'action_create_returns') !== null).toBe(
        version >= 18,
      )
      expect(dispatchRow(version, 'stock.quant', 'formatted_read_group') !== null).toBe(version >= 19)
      expect(modelExists(version, 'sale.order.cancel')).toBe(version <= 18)
      expect(
        dispatchRow(version, 'stock.quant', 'action_apply_inventory')?.sig.params.map((p) => p.name),
      ).toEqual(version >= 19 ? ['date'] : [])
    },
  )
})

describe.each(VERSIONS)(
  'Odoo %i: every call the gateway makes binds through the dispatch table',
  (version) => {
    let sim: OdooSim
    beforeAll(async () => {
      sim = await startSim(version, { catalogue: { products: 8, historyDays: 5, seed: 11 } })
    })
    afterAll(async () => {
      await sim.stop()
    })

    it.each(transportsOf(version))('over %s', async (transport) => {
      const opts = {
        baseUrl: new URL(sim.url),
        database: sim.database,
        login: sim.login,
        secret: sim.apiKey,
        timeoutMs: 5000,
      }
      const inner = transport === 'json2' ? new Json2Odoo(opts) : new XmlRpcOdoo(opts)
      // An Odoo that ignores disable_cancel_warning answers the cancel wizard on 17 and 18: the gateway's
      // wizard path is walked too.
      const rpc = new RecordingRpc(inner, (model, method, params) => {
        if (model !== 'sale.order' || method !== 'action_cancel') return params
        const { disable_cancel_warning: _dropped, ...context } = params.context ?? {}
        return { ...params, context }
      })
      const gw = new RpcOdooGateway(rpc, { serverVersion: `${version}.0`, major: version, minor: 0 })
      const uid = await gw.login()
      if (transport === 'json2')
        // Json2Odoo.authenticate asks for the user itself, inside the transport: recorded here as sent.
        rpc.calls.push({
          model: 'res.users',
          method: 'search_read',
          params: { domain: [['login', '=', sim.login]], fields: ['id'], limit: 1 },
        })
      expect(uid.uid).toBe(2)
      const [wh] = await gw.listWarehouses()
      const products = await gw.listProducts()
      await gw.listLocations()
      const p = products[0]?.id as number
      await gw.stockByProduct([wh?.lotStockId as number], [p])
      await gw.pollChanges(null)
      await gw.salesHistory(30)
      await gw.productQuantities([p], { locationIds: [wh?.lotStockId as number] })
      const ref = `walk:${version}:${transport}`
      const id = await gw.createSaleOrder({
        partnerId: sim.catalogue?.customerPartnerId as number,
        warehouseId: wh?.id as number,
        clientOrderRef: ref,
        lines: [{ productId: p, quantity: 1, priceUnit: 2 }],
      })
      await gw.confirmSaleOrder(id)
      await gw.cancelSaleOrder(id)
      expect((await gw.findSaleOrder(ref))?.state).toBe('cancel')
      expect([...sim.store.saleOrders.values()].filter((o) => o.clientOrderRef === ref)).toHaveLength(1)

      const used = [...new Set(rpc.calls.map((c) => `${c.model}.${c.method}`))].sort()
      expect(used).toEqual(expectedCalls(version, transport))
      for (const c of rpc.calls) {
        const row = dispatchRow(version, c.model, c.method)
        expect(row, `${c.model}.${c.method} on ${version}`).not.toBeNull()
        if (transport === 'json2') {
          expect(() => dispatchJson2(version, c.model, c.method, c.params)).not.toThrow()
          continue
        }
        // The call as sent now binds on this version...
        const { args, kwargs } = xmlrpcArguments(c.model, c.method, c.params)
        expect(() => dispatchXmlRpc(version, 'execute_kw', [c.model, c.method, args, kwargs])).not.toThrow()
        // ...and the shape the old client sent (ids or nothing positionally, the rest as keywords) is
        // refused for create exactly as Odoo refuses it: call_kw's IndexError, or, where the override
        // names its parameter otherwise (mail.render.mixin's create(values_list) under sale.order.cancel
        // on 17 and 18), the TypeError of the keyword.
        const { ids, ...rest } = c.params
        const old = () => dispatchXmlRpc(version, 'execute_kw', [c.model, c.method, ids ? [ids] : [], rest])
        if (row?.api === 'model_create') {
          expect(old).toThrow(DispatchError)
          expect(old).toThrow(
            row.sig.params[0]?.name === 'vals_list'
              ? `${version >= 19 ? 'list' : 'tuple'} index out of range`
              : "create() got an unexpected keyword argument 'vals_list'",
          )
        } else expect(old).not.toThrow()
      }
    })

    it('refuses over XML-RPC the create the old client sent, creating nothing, and accepts the fixed one', async () => {
      const vals = {
        partner_id: sim.catalogue?.customerPartnerId as number,
        client_order_ref: `old-shape:${version}`,
        order_line: [[0, 0, { product_id: sim.catalogue?.productIds[0], product_uom_qty: 1, price_unit: 1 }]],
      }
      const before = sim.store.saleOrders.size
      const r = await rawXmlRpc(sim, 'execute_kw', ['sale.order', 'create', [], { vals_list: [vals] }])
      expect(r.ok).toBe(false)
      if (!r.ok) {
        expect(r.fault.faultCode).toBe(1)
        expect(r.fault.faultString.trimEnd().split('\n').pop()).toBe(
          `IndexError: ${version >= 19 ? 'list' : 'tuple'} index out of range`,
        )
      }
      expect(sim.store.saleOrders.size).toBe(before)
      const { args, kwargs } = xmlrpcArguments('sale.order', 'create', { vals_list: [vals], context: {} })
      expect(args).toEqual([[vals]])
      const ok = await rawXmlRpc(sim, 'execute_kw', ['sale.order', 'create', args, kwargs])
      expect(ok.ok && Array.isArray(ok.value) && ok.value.length === 1).toBe(true)
      // One dict instead of a list answers one id (call_kw: isinstance(args[0], Mapping)).
      const one = await rawXmlRpc(sim, 'execute_kw', [
        'sale.order',
        'create',
        [{ ...vals, client_order_ref: `one:${version}` }],
        {},
      ])
      expect(one.ok && typeof one.value === 'number').toBe(true)
      expect(sim.store.saleOrders.size).toBe(before + 2)
    })
  },
)
