// The Zalando adapter's pause/resume traffic and the simulator's answers, checked against the Offer
// Blocking API file (../shared/specs/zalando/zalando-offer-blocking-openapi.yml). Skipped without the specs.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { systemClock } from '../../../main/core/ports/clock'
import { createZalandoAdapter } from '../../../main/node/channels/zalando'
import { ZalandoClient } from '../../../main/node/channels/zalando/zalando-client'
import { createOpenApiValidator, type SchemaValidator } from '../../../main/sandbox/kit'
import { specsDir } from '../spec-helpers'
import { startZalandoSimulator, type ZalandoSimulator } from '../../../main/sandbox/channels/zalando'

const specFile = path.join(specsDir, 'zalando', 'zalando-offer-blocking-openapi.yml')
const haveSpec = existsSync(specFile)
if (!haveSpec)
  console.warn(
    `Zalando offer blocking contract tests skipped: ${specFile} not found (check out ../shared/specs)`,
  )

interface Param {
  name: string
  in: string
  required?: boolean
  schema?: { $ref?: string }
}
interface Operation {
  parameters?: Param[]
  requestBody?: { content: Record<string, { schema: { $ref: string } }> }
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>
}
type Spec = { paths: Record<string, Record<string, Operation>> }

const refName = (ref: string | undefined) => (ref ?? '').replace('#/components/schemas/', '')

describe.skipIf(!haveSpec)('Zalando Offer Blocking API contract', () => {
  let spec: Spec
  let validator: SchemaValidator
  let sim: ZalandoSimulator

  const operation = (method: string, urlPath: string): { template: string; op: Operation } => {
    for (const [template, ops] of Object.entries(spec.paths)) {
      const re = new RegExp('^' + template.replace(/\{[^}]+\}/g, '[^/]+') + '$')
      const op = ops[method.toLowerCase()]
      if (re.test(urlPath) && op) return { template, op }
    }
    throw new Error(`${method} ${urlPath} is not an operation of the offer blocking spec`)
  }

  beforeAll(async () => {
    spec = parse(readFileSync(specFile, 'utf8')) as Spec
    validator = createOpenApiValidator(spec)
    sim = await startZalandoSimulator({ specsDir })
    sim.setArticles([{ ean: '4063614512884' }, { ean: '4063614512891' }, { ean: '4063614512907' }])
  })
  afterAll(() => sim?.stop())

  it('the simulator validates offer blocker bodies against the spec file too', () => {
    expect(sim.specValidation).toBe(true)
  })

  it('pause and resume send only spec operations with valid parameters and bodies', async () => {
    const adapter = createZalandoAdapter(
      {
        baseUrl: sim.url,
        merchantId: sim.merchantId,
        salesChannelIds: sim.salesChannelIds,
        credentials: { clientId: sim.clientId, clientSecret: sim.clientSecret },
      },
      { timeoutMs: 2000, clock: systemClock },
    )
    const eans = ['4063614512884', '4063614512891', '4063614512907']
    await adapter.push(
      eans.map((listingId) => ({ listingId, quantity: 0, action: 'pause' as const, stamp: 1 })),
    )
    await adapter.push(
      eans.map((listingId) => ({ listingId, quantity: 2, action: 'resume' as const, stamp: 2 })),
    )
    await adapter.testConnection()
    const blockerCalls = sim.received.filter((r) => r.path.includes('/offer-blockers'))
    expect(blockerCalls.map((r) => r.method)).toEqual(expect.arrayContaining(['POST', 'GET', 'DELETE']))
    for (const r of blockerCalls) {
      const { template, op } = operation(r.method, r.path)
      const where = `${r.method} ${template}`
      for (const name of Object.keys(r.query)) {
        const p = op.parameters?.find((x) => x.in === 'query' && x.name === name)
        expect(p, `${where}: query ${name} is declared`).toBeDefined()
        const schemaName = refName(p?.schema?.$ref)
        const raw = r.query[name] as string
        const value = schemaName === 'PageSize' ? Number(raw) : raw
        expect(validator.check(schemaName, value), `${where}: query ${name}=${raw}`).toEqual([])
      }
      const bodySchema = refName(op.requestBody?.content['application/json']?.schema.$ref)
      if (bodySchema) expect(validator.check(bodySchema, r.body), `${where}: body`).toEqual([])
      if (r.method === 'POST') expect((r.body as { items: unknown[] }).items.length).toBeLessThanOrEqual(5)
    }
  })

  it('the simulator answers in the shapes the spec declares', async () => {
    const c = new ZalandoClient(
      {
        baseUrl: sim.url,
        clientId: sim.clientId,
        clientSecret: sim.clientSecret,
        timeoutMs: 2000,
        clock: systemClock,
        tokensPerMinute: 8,
        rateScale: 1,
      },
      {},
    )
    const base = `/merchants/${sim.merchantId}/offer-blockers`
    const item = (ean: string) => ({
      reason: 'PAUSE_06',
      description: 'contract',
      criteria: { ean, sales_channel_id: sim.salesChannelIds[0] },
    })
    const created = await c.send({
      method: 'POST',
      path: base,
      body: { items: [item('4063614512884'), item('4063614512884'), item('4063614512891')] },
      op: 'x',
      what: 'create',
    })
    const list = await c.send({ method: 'GET', path: base, query: { page_size: '1' }, op: 'x', what: 'list' })
    const id = (created.json<{ results: { item: { id?: string } }[] }>().results.find((r) => r.item.id)?.item
      .id ?? '') as string
    const one = await c.send({ method: 'GET', path: `${base}/${id}`, op: 'x', what: 'get' })
    const deleted = await c.send({
      method: 'DELETE',
      path: base,
      body: { items: [id, '00000000-0000-4000-8000-000000000000'] },
      op: 'x',
      what: 'delete',
    })
    const cases = [
      { method: 'POST', path: base, res: created },
      { method: 'GET', path: base, res: list },
      { method: 'GET', path: `${base}/${id}`, res: one },
      { method: 'DELETE', path: base, res: deleted },
    ]
    for (const k of cases) {
      const { template, op } = operation(k.method, k.path)
      const declared = op.responses[String(k.res.status)]
      expect(declared, `${k.method} ${template} answered ${k.res.status}`).toBeDefined()
      const schema = refName(declared?.content?.['application/json']?.schema.$ref)
      expect(validator.check(schema, k.res.json()), `${k.method} ${template} body`).toEqual([])
    }
    const results = created
      .json<{ results: { result: { status: string } }[] }>()
      .results.map((r) => r.result.status)
    expect(results).toEqual(['REJECTED', 'REJECTED', 'ACCEPTED'])
  })

  it('more than 5 blockers in one request, or a reason outside the enum, is refused naming the problem', async () => {
    const c = new ZalandoClient(
      {
        baseUrl: sim.url,
        clientId: sim.clientId,
        clientSecret: sim.clientSecret,
        timeoutMs: 2000,
        clock: systemClock,
        tokensPerMinute: 8,
        rateScale: 1,
      },
      {},
    )
    const base = `/merchants/${sim.merchantId}/offer-blockers`
    const six = Array.from({ length: 6 }, (_, i) => ({
      reason: 'PAUSE_06',
      criteria: { ean: `406361451290${i}`, sales_channel_id: sim.salesChannelIds[0] },
    }))
    const r1 = await c.send({ method: 'POST', path: base, body: { items: six }, op: 'x', what: 'six' })
    expect(r1.status).toBe(400)
    expect(r1.text).toContain('/items')
    const r2 = await c.send({
      method: 'POST',
      path: base,
      body: {
        items: [
          { reason: 'HOLIDAY', criteria: { ean: '4063614512884', sales_channel_id: sim.salesChannelIds[0] } },
        ],
      },
      op: 'x',
      what: 'enum',
    })
    expect(r2.status).toBe(400)
    expect(r2.text).toContain('/items/0/reason')
  })
})
