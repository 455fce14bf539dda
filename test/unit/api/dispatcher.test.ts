import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createDispatcher, type Dispatch } from '../../../main/node/api/dispatcher'
import { createTestApp, type TestApp } from '../../helpers/app'

const TRUSTED = { url: 'app://lastunit/index.html', isMainFrame: true }

let app: TestApp
let dispatch: Dispatch
beforeEach(() => {
  app = createTestApp()
  dispatch = createDispatcher(app.handlers, { isTrustedSender: (s) => s.url.startsWith('app://lastunit/') })
})
afterEach(() => app.close())

describe('IPC dispatcher', () => {
  it('answers a valid call from the app', async () => {
    const r = await dispatch('getAppInfo', {}, TRUSTED)
    expect(r).toMatchObject({ ok: true, value: { name: 'LastUnit', mode: 'empty' } })
  })

  it('refuses an unknown sender with a typed error, without running the handler', async () => {
    const r = await dispatch('saveChannel', { id: 'x' }, { url: 'https://evil.example/', isMainFrame: true })
    expect(r).toEqual({
      ok: false,
      error: { code: 'untrusted_sender', message: expect.stringContaining('https://evil.example') },
    })
  })

  it('refuses a subframe of the app', async () => {
    const r = await dispatch('getStatus', {}, { url: 'app://lastunit/index.html', isMainFrame: false })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.code).toBe('untrusted_sender')
  })

  it('refuses an invalid payload, naming each wrong field by its path', async () => {
    const r = await dispatch(
      'saveChannel',
      {
        id: 'Bad Id',
        type: 'amazonx',
        name: '',
        environment: 'production',
        stockBasis: 'free',
        zeroStockAction: 'push_zero',
        orderImport: 'yes',
        settings: {},
      },
      TRUSTED,
    )
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.code).toBe('invalid_payload')
    const paths = r.error.issues?.map((i) => i.path)
    expect(paths).toEqual(expect.arrayContaining(['$.id', '$.type', '$.name', '$.orderImport']))
    expect(app.db.prepare('SELECT COUNT(*) AS n FROM channels').get()).toEqual({ n: 0 })
  })

  it('refuses unknown fields (strict payloads)', async () => {
    const r = await dispatch('getStatus', { sneaky: true }, TRUSTED)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.code).toBe('invalid_payload')
  })

  it('refuses an unknown method', async () => {
    const r = await dispatch('dropTables', {}, TRUSTED)
    expect(r).toMatchObject({ ok: false, error: { code: 'unknown_method' } })
  })

  it('turns handler errors into typed errors', async () => {
    const r = await dispatch('setCredential', { owner: 'nope', name: 'clientId', value: 'x' }, TRUSTED)
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: 'There is no channel "nope".' },
    })
    const paused = await dispatch('setPaused', { paused: true }, TRUSTED)
    expect(paused).toMatchObject({ ok: false, error: { code: 'unavailable' } })
  })

  it('withholds a response that does not match the contract', async () => {
    const bad = createDispatcher(
      { ...app.handlers, getAppInfo: async () => ({ name: 'x', secretToken: 'leak' }) as never },
      { isTrustedSender: () => true },
    )
    const r = await bad('getAppInfo', {}, TRUSTED)
    expect(r).toMatchObject({ ok: false, error: { code: 'failed' } })
    expect(JSON.stringify(r)).not.toContain('leak')
  })
})
