import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { createDispatcher, type Dispatch } from '../../../main/node/api/dispatcher'
import { contract } from '../../../shared/contract'
import { IPC_METHODS } from '../../../shared/ipc-channels'
import { createTestApp, type TestApp } from '../../helpers/app'
import { dbFingerprint } from './db-snapshot'

const RUNS_PER_METHOD = 25
const SENDER = { url: 'app://lastunit/index.html', isMainFrame: true }

/** The field names a method's request declares, so payloads look like near misses, not only noise. */
const fieldsOf = (schema: unknown): string[] => {
  const shape = (schema as { shape?: Record<string, unknown> }).shape
  return shape ? Object.keys(shape) : []
}

const payloadFor = (method: (typeof IPC_METHODS)[number]): fc.Arbitrary<unknown> => {
  const fields = fieldsOf(contract[method].request)
  const nearMiss =
    fields.length > 0
      ? fc.dictionary(fc.constantFrom(...fields), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1 })
      : fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), {
          minKeys: 1,
        })
  return fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.constantFrom(null, undefined, 0, '', [], 'x', true, { __proto__: null }),
    nearMiss,
    nearMiss.map((o) => ({ ...o, unexpected: 1 })),
  )
}

let app: TestApp
let dispatch: Dispatch
beforeAll(() => {
  app = createTestApp()
  dispatch = createDispatcher(app.handlers, { isTrustedSender: (s) => s.url.startsWith('app://lastunit/') })
})
afterAll(() => app.close())

describe('fuzz: IPC payloads', () => {
  it(`random payloads to every method: an invalid one gets invalid_payload naming the fields, and changes nothing (${IPC_METHODS.length} methods x ${RUNS_PER_METHOD})`, async () => {
    let invalid = 0
    let valid = 0
    for (const method of IPC_METHODS) {
      await fc.assert(
        fc.asyncProperty(payloadFor(method), async (payload) => {
          // Valid payloads run real handlers (some start work or reach the network); they are counted, not sent.
          if (contract[method].request.safeParse(payload ?? {}).success) {
            valid++
            return
          }
          invalid++
          const before = dbFingerprint(app.db)
          const r = await dispatch(method, payload, SENDER)
          expect(r.ok).toBe(false)
          if (r.ok) return
          expect(r.error.code).toBe('invalid_payload')
          expect(r.error.message).toContain(`Invalid request for "${method}"`)
          const issues = (r.error as { issues?: Array<{ path: string; message: string }> }).issues ?? []
          expect(issues.length).toBeGreaterThan(0)
          for (const i of issues) {
            expect(i.path).toMatch(/^\$/)
            expect(i.message.length).toBeGreaterThan(0)
          }
          expect(dbFingerprint(app.db)).toBe(before)
        }),
        { numRuns: RUNS_PER_METHOD, seed: 1215 },
      )
    }
    console.log(
      `IPC payload fuzz: ${IPC_METHODS.length * RUNS_PER_METHOD} cases tried over ${IPC_METHODS.length} methods, ` +
        `${invalid} refused as invalid_payload, ${valid} happened to be valid (not sent)`,
    )
    expect(invalid).toBeGreaterThan((IPC_METHODS.length * RUNS_PER_METHOD) / 2)
  })

  it('unknown methods and untrusted senders are refused whatever the payload', async () => {
    let n = 0
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 20 }),
        fc.jsonValue({ maxDepth: 2 }),
        async (method, payload) => {
          n++
          const before = dbFingerprint(app.db)
          const untrusted = await dispatch(IPC_METHODS[n % IPC_METHODS.length]!, payload, {
            url: `https://evil.example/${method}`,
            isMainFrame: true,
          })
          expect(untrusted).toMatchObject({ ok: false, error: { code: 'untrusted_sender' } })
          if (!(IPC_METHODS as readonly string[]).includes(method)) {
            const r = await dispatch(method, payload, SENDER)
            expect(r).toMatchObject({ ok: false, error: { code: 'unknown_method' } })
          }
          expect(dbFingerprint(app.db)).toBe(before)
        },
      ),
      { numRuns: 100, seed: 1216 },
    )
    console.log(`IPC sender/method fuzz: ${n} cases tried`)
  })
})
