// Electron's security checklist, checked on the real code with electron mocked: the CSP, the window's
// web preferences, navigation, new windows, file://, permissions and webviews.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'

const electron = vi.hoisted(() => ({
  windows: [] as Array<{ options: Record<string, unknown>; loaded: string[] }>,
  protocols: new Map<string, (req: { url: string }) => Response | Promise<Response>>(),
}))

vi.mock('electron', () => {
  class BrowserWindow {
    loaded: string[] = []
    listeners = new Map<string, (...a: unknown[]) => void>()
    webContents = fakeContents()
    constructor(public options: Record<string, unknown>) {
      electron.windows.push(this)
    }
    loadURL(url: string) {
      this.loaded.push(url)
      return Promise.resolve()
    }
  }
  return {
    BrowserWindow,
    shell: { openExternal: vi.fn() },
    protocol: {
      registerSchemesAsPrivileged: vi.fn(),
      handle: (scheme: string, fn: (req: { url: string }) => Response) => electron.protocols.set(scheme, fn),
    },
  }
})

import { createMainWindow, hardenWebContents } from '../../../main/electron/window'
import {
  CONTENT_SECURITY_POLICY,
  handleAppProtocol,
  resolveAppPath,
  serveAppRequest,
} from '../../../main/electron/protocol'
import { tempDir } from '../../helpers/app'

interface FakeContents {
  handlers: Map<string, (event: { preventDefault(): void }, url: string) => void>
  openHandler: ((d: { url: string }) => { action: string }) | null
  permissionHandler: ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void) | null
  permissionCheck: ((...a: unknown[]) => boolean) | null
  on(event: string, fn: (event: { preventDefault(): void }, url: string) => void): void
  setWindowOpenHandler(fn: (d: { url: string }) => { action: string }): void
  session: {
    setPermissionRequestHandler(fn: FakeContents['permissionHandler']): void
    setPermissionCheckHandler(fn: FakeContents['permissionCheck']): void
  }
}
function fakeContents(): FakeContents {
  const c: FakeContents = {
    handlers: new Map(),
    openHandler: null,
    permissionHandler: null,
    permissionCheck: null,
    on: (event, fn) => void c.handlers.set(event, fn),
    setWindowOpenHandler: (fn) => void (c.openHandler = fn),
    session: {
      setPermissionRequestHandler: (fn) => void (c.permissionHandler = fn),
      setPermissionCheckHandler: (fn) => void (c.permissionCheck = fn),
    },
  }
  return c
}
const fire = (c: FakeContents, event: string, url: string): boolean => {
  let prevented = false
  c.handlers.get(event)!({ preventDefault: () => void (prevented = true) }, url)
  return prevented
}
const directives = (csp: string) =>
  new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!, values]),
  )

describe('content security policy', () => {
  const strict = (csp: string) => {
    const d = directives(csp)
    expect(d.get('default-src')).toEqual(["'none'"])
    expect(d.get('script-src')).toEqual(["'self'"])
    expect(d.get('object-src')).toEqual(["'none'"])
    expect(d.get('base-uri')).toEqual(["'none'"])
    expect(d.get('form-action')).toEqual(["'none'"])
    for (const [name, values] of d) {
      expect(values, name).not.toContain("'unsafe-inline'")
      expect(values, name).not.toContain("'unsafe-eval'")
      expect(values, name).not.toContain('*')
      expect(
        values.some((v) => /^(https?:|ws:|file:|blob:)/.test(v)),
        name,
      ).toBe(false)
    }
  }

  it('is strict: nothing by default, own scripts only, no inline or eval, no remote origins', () => {
    strict(CONTENT_SECURITY_POLICY)
    expect(directives(CONTENT_SECURITY_POLICY).get('frame-ancestors')).toEqual(["'none'"])
  })

  it('is also in the page itself, just as strict', () => {
    const html = readFileSync(join(process.cwd(), 'renderer', 'index.html'), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)
    expect(meta, 'renderer/index.html has a CSP meta tag').not.toBeNull()
    strict(meta![1]!)
  })

  it('travels as a header with every app:// response, and only files of the renderer folder are served', async () => {
    const t = tempDir()
    try {
      const root = join(t.dir, 'renderer')
      mkdirSync(join(root, 'assets'), { recursive: true })
      writeFileSync(join(root, 'index.html'), '<!doctype html>')
      writeFileSync(join(root, 'assets', 'app.js'), 'export {}')
      writeFileSync(join(t.dir, 'secret.txt'), 'password')
      const page = await serveAppRequest(root, 'app://lastunit/index.html')
      expect(page.status).toBe(200)
      expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(page.headers.get('x-content-type-options')).toBe('nosniff')
      expect(await (await serveAppRequest(root, 'app://lastunit/assets/app.js')).text()).toBe('export {}')
      for (const url of [
        'app://lastunit/../secret.txt',
        'app://lastunit/..%2fsecret.txt',
        'app://lastunit/%2e%2e%2fsecret.txt',
        'app://evil/index.html',
        'file:///etc/passwd',
        'app://lastunit/missing.js',
      ])
        expect((await serveAppRequest(root, url)).status, url).toBe(404)
    } finally {
      t.cleanup()
    }
  })
})

describe('file://', () => {
  it('is refused for every request once the app protocol is installed', async () => {
    handleAppProtocol('/opt/lastunit/renderer')
    const file = electron.protocols.get('file')
    expect(file, 'a handler for file:// is installed').toBeDefined()
    const res = await file!({ url: 'file:///etc/passwd' })
    expect(res.status).toBe(403)
    expect(electron.protocols.has('app')).toBe(true)
    expect(resolveAppPath('/opt/lastunit/renderer', 'file:///opt/lastunit/renderer/index.html')).toBeNull()
  })
})

describe('the main window', () => {
  it('runs the page isolated and sandboxed, without Node, from app://', () => {
    createMainWindow('/app/preload/index.cjs', false)
    const win = electron.windows.at(-1)!
    expect(win.options.webPreferences).toMatchObject({
      preload: '/app/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    })
    expect(win.options.show).toBe(false)
    expect(win.loaded).toEqual(['app://lastunit/index.html'])
  })

  it('refuses navigation and redirects away from the app', () => {
    const c = fakeContents()
    hardenWebContents(c as never, vi.fn())
    for (const event of ['will-navigate', 'will-redirect']) {
      expect(fire(c, event, 'https://evil.example/')).toBe(true)
      expect(fire(c, event, 'file:///etc/passwd')).toBe(true)
      expect(fire(c, event, 'app://other/index.html')).toBe(true)
      expect(fire(c, event, 'javascript:alert(1)')).toBe(true)
      expect(fire(c, event, 'app://lastunit/index.html#/log')).toBe(false)
    }
  })

  it('denies every window.open; allow-listed https links open in the browser, nothing else does', () => {
    const c = fakeContents()
    const open = vi.fn()
    hardenWebContents(c as never, open)
    for (const url of [
      'https://partner.bol.com/sdd/preferences',
      'https://evil.example/',
      'http://partner.bol.com/',
      'file:///etc/passwd',
      'app://lastunit/index.html',
      'javascript:alert(1)',
      'https://partner.bol.com.evil.example/',
    ])
      expect(c.openHandler!({ url }), url).toEqual({ action: 'deny' })
    expect(open.mock.calls).toEqual([['https://partner.bol.com/sdd/preferences']])
  })

  it('denies permission requests and checks, and webviews', () => {
    const c = fakeContents()
    hardenWebContents(c as never, vi.fn())
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const cb = vi.fn()
      c.permissionHandler!(null, permission, cb)
      expect(cb).toHaveBeenCalledWith(false)
    }
    expect(c.permissionCheck!(null, 'media')).toBe(false)
    expect(fire(c, 'will-attach-webview', '')).toBe(true)
  })
})
