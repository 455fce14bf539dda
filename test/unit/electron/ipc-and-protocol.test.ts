import { describe, expect, it, vi } from 'vitest'

vi.mock('electron', () => ({
  protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
  net: { fetch: vi.fn() },
  safeStorage: {
    isEncryptionAvailable: vi.fn(() => true),
    getSelectedStorageBackend: vi.fn(() => 'basic_text'),
    encryptString: vi.fn((s: string) => Buffer.from(`enc:${s}`)),
    decryptString: vi.fn((b: Buffer) => b.toString().slice(4)),
  },
  shell: { openExternal: vi.fn() },
  BrowserWindow: vi.fn(),
}))

import { registerIpc, isAppSender, senderInfo } from '../../../main/electron/ipc'
import { resolveAppPath } from '../../../main/electron/protocol'
import { createSafeStorageVault, NoOsEncryptionError } from '../../../main/electron/safe-storage-vault'
import { hardenWebContents, isAllowedExternal } from '../../../main/electron/window'
import { IPC_METHODS } from '../../../shared/ipc-channels'
import { createDispatcher } from '../../../main/node/api/dispatcher'
import { createTestApp } from '../../helpers/app'

describe('Electron IPC registration (electron mocked)', () => {
  it('registers one handler per contract method, routed through the dispatcher with the sender frame', async () => {
    const app = createTestApp()
    try {
      const handlers = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>()
      const ipcMain = {
        handle: vi.fn(
          (ch: string, fn: (event: unknown, payload: unknown) => Promise<unknown>) =>
            void handlers.set(ch, fn),
        ),
        removeHandler: vi.fn((ch: string) => void handlers.delete(ch)),
      }
      const unregister = registerIpc(
        ipcMain,
        createDispatcher(app.handlers, { isTrustedSender: isAppSender }),
      )
      expect([...handlers.keys()].sort()).toEqual(IPC_METHODS.map((m) => `lastunit:${m}`).sort())
      const mainFrame = { url: 'app://lastunit/index.html' }
      const trusted = { senderFrame: mainFrame, sender: { mainFrame } }
      expect(await handlers.get('lastunit:getAppInfo')!(trusted, {})).toMatchObject({ ok: true })
      const evilFrame = { url: 'https://evil.example/x' }
      expect(
        await handlers.get('lastunit:getAppInfo')!(
          { senderFrame: evilFrame, sender: { mainFrame: evilFrame } },
          {},
        ),
      ).toMatchObject({ ok: false, error: { code: 'untrusted_sender' } })
      const sub = { url: 'app://lastunit/index.html' }
      expect(senderInfo({ senderFrame: sub, sender: { mainFrame } } as never)).toEqual({
        url: sub.url,
        isMainFrame: false,
      })
      expect(await handlers.get('lastunit:setPaused')!(trusted, { paused: 'no' })).toMatchObject({
        ok: false,
        error: { code: 'invalid_payload' },
      })
      unregister()
      expect(handlers.size).toBe(0)
    } finally {
      app.close()
    }
  })

  it('serves only files inside the renderer folder from app://', () => {
    const root = '/opt/lastunit/out/renderer'
    expect(resolveAppPath(root, 'app://lastunit/index.html')).toBe(`${root}/index.html`)
    expect(resolveAppPath(root, 'app://lastunit/')).toBe(`${root}/index.html`)
    expect(resolveAppPath(root, 'app://lastunit/assets/x.js')).toBe(`${root}/assets/x.js`)
    // The URL parser folds %2e%2e segments away; what remains stays inside the root.
    expect(resolveAppPath(root, 'app://lastunit/%2e%2e/%2e%2e/etc/passwd')).toBe(`${root}/etc/passwd`)
    expect(resolveAppPath(root, 'app://lastunit/..%2f..%2fsecret')).toBeNull()
    expect(resolveAppPath(root, 'app://other/index.html')).toBeNull()
    expect(resolveAppPath(root, 'file:///etc/passwd')).toBeNull()
  })

  it('refuses to store credentials where the OS has no real encryption (Linux basic_text)', () => {
    const vault = createSafeStorageVault('linux')
    expect(() => vault.encrypt('x')).toThrow(NoOsEncryptionError)
    expect(() => vault.encrypt('x')).toThrow(/no secure storage.*keyring/)
    const mac = createSafeStorageVault('darwin')
    expect(mac.decrypt(mac.encrypt('secret'))).toBe('secret')
  })

  it('denies navigation, new windows and permissions; opens only allow-listed links', () => {
    const listeners: Record<string, (e: { preventDefault: () => void }, url: string) => void> = {}
    let openHandler: ((d: { url: string }) => { action: string }) | undefined
    let permission: ((wc: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined
    const contents = {
      on: (ev: string, fn: (e: { preventDefault: () => void }, url: string) => void) =>
        void (listeners[ev] = fn),
      setWindowOpenHandler: (fn: (d: { url: string }) => { action: string }) => void (openHandler = fn),
      session: {
        setPermissionRequestHandler: (fn: typeof permission) => void (permission = fn),
        setPermissionCheckHandler: vi.fn(),
      },
    }
    const openExternal = vi.fn()
    hardenWebContents(contents as never, openExternal)
    const prevent = vi.fn()
    listeners['will-navigate']!({ preventDefault: prevent }, 'https://evil.example/')
    listeners['will-navigate']!({ preventDefault: prevent }, 'file:///etc/passwd')
    expect(prevent).toHaveBeenCalledTimes(2)
    const ok = vi.fn()
    listeners['will-navigate']!({ preventDefault: ok }, 'app://lastunit/index.html')
    expect(ok).not.toHaveBeenCalled()
    expect(openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' })
    expect(openHandler!({ url: 'https://partner.bol.com/sdd/' })).toEqual({ action: 'deny' })
    expect(openExternal).toHaveBeenCalledTimes(1)
    expect(openExternal).toHaveBeenCalledWith('https://partner.bol.com/sdd/')
    const cb = vi.fn()
    permission!(null, 'media', cb)
    expect(cb).toHaveBeenCalledWith(false)
    expect(isAllowedExternal('http://partner.bol.com/')).toBe(false)
  })
})
