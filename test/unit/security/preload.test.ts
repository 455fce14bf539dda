// The preload exposes window.api and nothing else: one function per contract method plus the event
// subscription, frozen, with no route to ipcRenderer itself.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'

const bridge = vi.hoisted(() => ({
  exposed: [] as Array<[string, Record<string, unknown>]>,
  invoked: [] as Array<[string, unknown]>,
  listeners: new Map<string, (event: unknown, payload: unknown) => void>(),
}))

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: Record<string, unknown>) => bridge.exposed.push([key, api]),
  },
  ipcRenderer: {
    invoke: (channel: string, payload: unknown) => {
      bridge.invoked.push([channel, payload])
      return Promise.resolve({ ok: true, value: null })
    },
    on: (channel: string, fn: (event: unknown, payload: unknown) => void) =>
      bridge.listeners.set(channel, fn),
    removeListener: (channel: string) => bridge.listeners.delete(channel),
  },
}))

import { IPC_EVENT_CHANNEL, IPC_METHODS } from '../../../shared/ipc-channels'
import { contract } from '../../../shared/contract'

describe('preload', () => {
  it("exposes exactly the contract's methods and onEvents, once, under window.api", async () => {
    await import('../../../preload/index')
    expect(bridge.exposed.map(([k]) => k)).toEqual(['api'])
    const api = bridge.exposed[0]![1]
    expect(Object.keys(api).sort()).toEqual([...IPC_METHODS, 'onEvents'].sort())
    expect(Object.keys(contract).sort()).toEqual([...IPC_METHODS].sort())
    expect(Object.isFrozen(api)).toBe(true)
    for (const v of Object.values(api)) expect(typeof v).toBe('function')
  })

  it('each method invokes only its own channel with the request as data', async () => {
    await import('../../../preload/index')
    const api = bridge.exposed[0]![1] as Record<string, (req?: unknown) => Promise<unknown>>
    bridge.invoked.length = 0
    await api.setCredential!({ owner: 'bol', name: 'clientSecret', value: 's3cret' })
    await api.getStatus!()
    expect(bridge.invoked).toEqual([
      ['lastunit:setCredential', { owner: 'bol', name: 'clientSecret', value: 's3cret' }],
      ['lastunit:getStatus', {}],
    ])
  })

  it('passes only arrays of events to the page and unsubscribes', async () => {
    await import('../../../preload/index')
    const api = bridge.exposed[0]![1] as { onEvents(l: (e: unknown[]) => void): () => void }
    const got: unknown[][] = []
    const off = api.onEvents((e) => got.push(e))
    const deliver = bridge.listeners.get(IPC_EVENT_CHANNEL)!
    deliver({ sender: 'ipc event with internals' }, [{ type: 'status' }])
    deliver({}, 'not an array')
    expect(got).toEqual([[{ type: 'status' }]])
    off()
    expect(bridge.listeners.has(IPC_EVENT_CHANNEL)).toBe(false)
  })

  it('no method to read a credential exists in the contract or the preload', () => {
    expect(IPC_METHODS.filter((m) => /^(get|read|reveal|export)Credential|Secret/i.test(m))).toEqual([])
    const src = readFileSync(join(process.cwd(), 'preload', 'index.ts'), 'utf8')
    expect(src.match(/exposeInMainWorld\(/g)).toHaveLength(1)
    expect(src).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*\)/)
  })
})
