import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import type { z } from 'zod'
import { contract } from '../../../shared/contract'
import { IPC_METHODS } from '../../../shared/ipc-channels'
import { buildApi } from '../../../preload/build-api'
import { createTestApp } from '../../helpers/app'

describe('IPC contract', () => {
  it('has a schema for every method name and no schema without a name', () => {
    expect(Object.keys(contract).sort()).toEqual([...IPC_METHODS].sort())
  })

  it('has a handler for every method', () => {
    const app = createTestApp()
    try {
      for (const m of IPC_METHODS) expect(typeof app.handlers[m], m).toBe('function')
      expect(Object.keys(app.handlers).sort()).toEqual([...IPC_METHODS].sort())
    } finally {
      app.close()
    }
  })

  it('the preload exposes exactly one method per operation plus the event subscription', async () => {
    const calls: [string, unknown][] = []
    const api = buildApi(
      async (channel, payload) => {
        calls.push([channel, payload])
        return { ok: true, value: null }
      },
      () => () => undefined,
    )
    expect(Object.keys(api).sort()).toEqual([...IPC_METHODS, 'onEvents'].sort())
    expect(Object.isFrozen(api)).toBe(true)
    await (api.getStatus as (r: unknown) => Promise<unknown>)({})
    expect(calls).toEqual([['lastunit:getStatus', {}]])
  })

  it('the preload source imports nothing but electron and the method names', () => {
    const src = readFileSync(new URL('../../../preload/index.ts', import.meta.url), 'utf8')
    const imports = [...src.matchAll(/from '([^']+)'/g)].map((m) => m[1])
    expect(imports.sort()).toEqual(['../shared/ipc-channels', './build-api', 'electron'].sort())
    const built = readFileSync(new URL('../../../preload/build-api.ts', import.meta.url), 'utf8')
    expect([...built.matchAll(/from '([^']+)'/g)].map((m) => m[1])).toEqual(['../shared/ipc-channels'])
  })

  it('no response schema declares a field that could carry a secret', () => {
    const secretish = /secret|token|password|apikey|api_key|private|signature|ciphertext/i
    let visited = 0
    const walk = (schema: z.ZodType, path: string, out: string[]) => {
      visited++
      const def = (schema as unknown as { _zod: { def: Record<string, unknown> } })._zod.def
      if (def.type === 'object') {
        const shape = def.shape as Record<string, z.ZodType>
        for (const [k, v] of Object.entries(shape)) {
          if (secretish.test(k) && !/Set$/.test(k)) out.push(`${path}.${k}`)
          walk(v, `${path}.${k}`, out)
        }
      } else if (def.type === 'array') walk(def.element as z.ZodType, `${path}[]`, out)
      else if (def.type === 'nullable' || def.type === 'optional' || def.type === 'default')
        walk(def.innerType as z.ZodType, path, out)
      else if (def.type === 'union') for (const o of def.options as z.ZodType[]) walk(o, path, out)
    }
    const found: string[] = []
    for (const [m, op] of Object.entries(contract)) walk(op.response, m, found)
    expect(found).toEqual([])
    expect(visited).toBeGreaterThan(50)
  })
})
