// The Kaufland adapter's requests and the simulator's answers, checked against Kaufland's published
// swagger.json (../shared/specs/kaufland/swagger.json). Skipped when the specs are not checked out.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../../main/core/ports/clock'
import { createKauflandAdapter } from '../../../main/node/channels/kaufland/kaufland-adapter'
import { KauflandClient } from '../../../main/node/channels/kaufland/kaufland-client'
import { startKauflandSimulator, type KauflandSimulator } from '../../../main/sandbox/channels/kaufland'
import { createOpenApiValidator, type SchemaValidator } from '../../../main/sandbox/kit'
import { specsDir } from '../spec-helpers'

const specFile = path.join(specsDir, 'kaufland', 'swagger.json')
const haveSpec = existsSync(specFile)
if (!haveSpec)
  console.warn(`Kaufland contract tests skipped: ${specFile} not found (check out ../shared/specs)`)

interface Param {
  name: string
  in: string
  required?: boolean
  schema?: unknown
}
interface Operation {
  parameters?: Param[]
  requestBody?: { content: Record<string, { schema: unknown }> }
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>
}
type Spec = {
  paths: Record<string, Record<string, Operation>>
  components: { schemas: Record<string, unknown> }
}

describe.skipIf(!haveSpec)('Kaufland Seller API v2 contract (swagger.json)', () => {
  let spec: Spec
  let validator: SchemaValidator
  let sim: KauflandSimulator
  let client: KauflandClient

  // Validates any schema of the spec (a $ref or an inline schema) by registering it as a component.
  const check = (schema: unknown, value: unknown): string[] => {
    const ref = (schema as { $ref?: string }).$ref
    if (ref) return validator.check(ref.replace('#/components/schemas/', ''), value)
    const name = `__inline_${JSON.stringify(schema).length}_${Math.random().toString(36).slice(2)}`
    const v = createOpenApiValidator({
      components: { schemas: { ...spec.components.schemas, [name]: schema } },
    })
    return v.check(name, value)
  }

  const operation = (method: string, urlPath: string): { template: string; op: Operation } => {
    const p = urlPath.replace(/^\/v2/, '')
    for (const [template, ops] of Object.entries(spec.paths)) {
      const re = new RegExp('^' + template.replace(/\{[^}]+\}/g, '[^/]+') + '$')
      const op = ops[method.toLowerCase()]
      if (re.test(p) && op) return { template, op }
    }
    throw new Error(`${method} ${urlPath} is not an operation of swagger.json`)
  }

  beforeAll(async () => {
    spec = JSON.parse(readFileSync(specFile, 'utf8')) as Spec
    validator = createOpenApiValidator(spec)
    sim = await startKauflandSimulator({ specsDir })
    sim.setUnits(
      Array.from({ length: 5 }, (_, i) => ({
        id_unit: 11 + i,
        id_offer: `OF-${i}`,
        ean: `400638133393${i}`,
        amount: 2,
      })),
    )
    client = new KauflandClient({
      baseUrl: sim.url,
      clientKey: sim.clientKey,
      secretKey: sim.secretKey,
      userAgent: 'contract',
      timeoutMs: 2000,
      clock: systemClock,
    })
  })
  afterAll(() => sim?.stop())

  it('the simulator validates against the spec as well as its own schemas', () => {
    expect(sim.specValidation).toBe(true)
  })

  it('every request the adapter sends is a spec operation with valid parameters and body', async () => {
    const adapter = createKauflandAdapter(
      {
        baseUrl: sim.url,
        storefront: 'de',
        credentials: { clientKey: sim.clientKey, secretKey: sim.secretKey },
      },
      { timeoutMs: 2000, clock: systemClock },
    )
    const order = sim.placeOrder([{ id_unit: 11, quantity: 2 }])
    sim.cancelOrderUnit(order.id_order_units[0] as number)
    await adapter.testConnection()
    await adapter.push([{ listingId: '11', quantity: 4, action: 'set', stamp: 1 }])
    await adapter.push([
      { listingId: '12', quantity: 0, action: 'pause', stamp: 1 },
      { listingId: '13', quantity: 3, action: 'resume', stamp: 1 },
    ])
    await adapter.readBack?.(['11'])
    await adapter.listListings()
    await adapter.fetchOrders('2020-01-01T00:00:00Z')
    expect(sim.received.length).toBeGreaterThanOrEqual(7)
    for (const r of sim.received) {
      const { template, op } = operation(r.method, r.path)
      const where = `${r.method} ${template}`
      for (const p of op.parameters ?? []) {
        if (p.in !== 'query') continue
        const v = r.query[p.name]
        if (p.required) expect(v, `${where}: required query parameter ${p.name}`).toBeDefined()
        if (v === undefined || !p.schema) continue
        const s = p.schema as { type?: string; items?: unknown }
        const value = s.type === 'array' ? [v] : s.type === 'integer' ? Number(v) : v
        expect(check(p.schema, value), `${where}: query ${p.name}=${v}`).toEqual([])
      }
      for (const name of Object.keys(r.query))
        expect(
          op.parameters?.some((p) => p.name === name && p.in === 'query'),
          `${where}: query ${name} is declared`,
        ).toBe(true)
      const body = op.requestBody?.content['application/json']?.schema
      if (body) expect(check(body, r.body), `${where}: request body`).toEqual([])
      else expect(r.body, `${where}: no body`).toBeUndefined()
    }
  })

  it('the simulator answers in the shapes the spec declares', async () => {
    sim.placeOrder([{ id_unit: 14, quantity: 1 }])
    const calls = [
      { method: 'GET' as const, path: '/units', query: { storefront: 'de', embedded: 'products' } },
      { method: 'GET' as const, path: '/units/11', query: { storefront: 'de' } },
      { method: 'PATCH' as const, path: '/units/11', query: { storefront: 'de' }, body: { amount: 3 } },
      {
        method: 'POST' as const,
        path: '/units/bulk',
        query: { storefront: 'de' },
        body: [
          { id_unit: 11, unit_data: { amount: 1 } },
          { id_unit: 999, unit_data: { amount: 1 } },
        ],
      },
      { method: 'GET' as const, path: '/order-units', query: { storefront: 'de', limit: '100' } },
      { method: 'GET' as const, path: '/info/storefront' },
      { method: 'GET' as const, path: '/orders/MB00001' },
      { method: 'PATCH' as const, path: '/units/11', query: { storefront: 'de' }, body: { amount: -1 } },
      { method: 'GET' as const, path: '/units/77', query: { storefront: 'de' } },
    ]
    for (const c of calls) {
      const res = await client.send({ ...c, what: 'contract' })
      const { template, op } = operation(c.method, `/v2${c.path}`)
      const declared = op.responses[String(res.status)]
      expect(
        declared,
        `${c.method} ${template} answered ${res.status}, which the spec declares`,
      ).toBeDefined()
      const schema = declared?.content?.['application/json']?.schema
      if (schema) expect(check(schema, res.json()), `${c.method} ${template} ${res.status} body`).toEqual([])
    }
  })

  it('a body the spec forbids is refused by the simulator, naming the field', async () => {
    const res = await client.send({
      method: 'PATCH',
      path: '/units/11',
      query: { storefront: 'de' },
      body: { status: 'INCOMPLETE' },
      what: 'contract',
    })
    expect(res.status).toBe(400)
    expect(res.text).toContain('/status')
  })
})
