// main.ts, the real composition, with Electron mocked: what it does with the app, the window, the tray,
// IPC and protocols when it is the first instance, and that it backs off when it is not.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { tempDir } from '../../helpers/app'

const e = vi.hoisted(() => {
  const listeners = new Map<string, Array<(...a: unknown[]) => void>>()
  const state = {
    lock: true,
    paths: new Map<string, string>(),
    quits: 0,
    ipc: new Map<string, (...a: unknown[]) => unknown>(),
    protocols: new Set<string>(),
    windows: [] as Array<{ options: Record<string, unknown>; loaded: string[] }>,
    trays: [] as Array<{ icon: string; menu: unknown; tooltip: string }>,
    listeners,
    ready: null as Promise<void> | null,
    backend: 'gnome_libsecret',
    encrypted: [] as string[],
  }
  return state
})

vi.mock('electron-updater', () => ({ default: { autoUpdater: {} } }))
vi.mock('electron', () => {
  const on = (event: string, fn: (...a: unknown[]) => void) => {
    e.listeners.set(event, [...(e.listeners.get(event) ?? []), fn])
  }
  class BrowserWindow {
    loaded: string[] = []
    webContents = {
      on: vi.fn(),
      send: vi.fn(),
      setWindowOpenHandler: vi.fn(),
      session: { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() },
    }
    constructor(public options: Record<string, unknown>) {
      e.windows.push(this)
    }
    loadURL(url: string) {
      this.loaded.push(url)
      return Promise.resolve()
    }
    on = vi.fn()
    show = vi.fn()
    isDestroyed = () => false
  }
  class Tray {
    menu: unknown = null
    tooltip = ''
    constructor(public icon: string) {
      e.trays.push(this)
    }
    setImage = vi.fn()
    setToolTip(t: string) {
      this.tooltip = t
    }
    setContextMenu(m: unknown) {
      this.menu = m
    }
    on = vi.fn()
    destroy = vi.fn()
  }
  return {
    app: {
      getPath: (name: string) => e.paths.get(name) ?? `/default/${name}`,
      setPath: (name: string, p: string) => void e.paths.set(name, p),
      requestSingleInstanceLock: () => e.lock,
      quit: () => void e.quits++,
      exit: vi.fn(),
      on,
      whenReady: () => (e.ready = Promise.resolve()),
      getAppPath: () => process.cwd(),
      getVersion: () => '0.1.0-test',
      isPackaged: false,
      getLoginItemSettings: () => ({ wasOpenedAtLogin: false }),
      setLoginItemSettings: vi.fn(),
    },
    BrowserWindow,
    Tray,
    Menu: { buildFromTemplate: (t: unknown) => t },
    nativeImage: { createFromPath: (p: string) => p },
    Notification: Object.assign(vi.fn(), { isSupported: () => false }),
    powerMonitor: { on: (event: string, fn: () => void) => on(`power:${event}`, fn) },
    ipcMain: {
      handle: (ch: string, fn: (...a: unknown[]) => unknown) => void e.ipc.set(ch, fn),
      removeHandler: (ch: string) => void e.ipc.delete(ch),
    },
    protocol: {
      registerSchemesAsPrivileged: vi.fn(),
      handle: (scheme: string) => void e.protocols.add(scheme),
    },
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => e.backend,
      encryptString: (s: string) => {
        e.encrypted.push(s)
        return Buffer.from(s).reverse()
      },
      decryptString: (b: Buffer) => Buffer.from(b).reverse().toString(),
    },
    shell: { openExternal: vi.fn() },
  }
})

let tmp: ReturnType<typeof tempDir>
const argv = process.argv
beforeEach(() => {
  vi.resetModules()
  tmp = tempDir('lastunit-main-')
  Object.assign(e, {
    lock: true,
    quits: 0,
    windows: [],
    trays: [],
    ready: null,
    backend: 'gnome_libsecret',
    encrypted: [],
  })
  e.paths.clear()
  e.ipc.clear()
  e.protocols.clear()
  e.listeners.clear()
})
afterEach(async () => {
  // Quit through before-quit so the database is closed before the folder goes.
  const ev = { preventDefault: vi.fn() }
  for (const l of e.listeners.get('before-quit') ?? []) l(ev)
  await new Promise((r) => setTimeout(r, 50))
  process.argv = argv
  tmp.cleanup()
})

const boot = async (flags: string[] = []) => {
  process.argv = [...argv, `--data-dir=${tmp.dir}`, ...flags]
  await import('../../../main/electron')
  // Let startShell run past whenReady, the database and the engine start.
  for (let i = 0; i < 50 && e.trays.length === 0; i++) await new Promise((r) => setTimeout(r, 20))
}

describe('main.ts with Electron mocked', () => {
  it('as the first instance: data dir from the flag, one locked-down window, tray, IPC and protocols', async () => {
    await boot()
    expect(e.paths.get('userData')).toBe(tmp.dir)
    expect(existsSync(join(tmp.dir, 'lastunit.db'))).toBe(true)
    expect(e.windows).toHaveLength(1)
    expect(e.windows[0]!.options).toMatchObject({
      show: true,
      webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false },
    })
    expect(e.windows[0]!.loaded).toEqual(['app://lastunit/index.html'])
    expect([...e.protocols].sort()).toEqual(['app', 'file'])
    expect(e.ipc.size).toBeGreaterThan(10)
    expect(e.trays).toHaveLength(1)
    // No engine is wired: the tray shows the paused icon, which exists on disk.
    expect(e.trays[0]!.icon).toBe(join(process.cwd(), 'assets', 'tray', 'tray-paused.png'))
    expect(existsSync(e.trays[0]!.icon)).toBe(true)
    expect(e.listeners.get('second-instance')).toHaveLength(1)
    expect(e.listeners.get('power:resume')).toHaveLength(1)
    // IPC answers through the dispatcher, from the app's own page only.
    const frame = { url: 'app://lastunit/index.html' }
    const info = await e.ipc.get('lastunit:getAppInfo')!(
      { senderFrame: frame, sender: { mainFrame: frame } },
      {},
    )
    expect(info).toMatchObject({ ok: true, value: { host: 'electron', dataDir: tmp.dir } })
  })

  it('IPC refuses other pages, subframes and invalid payloads', async () => {
    await boot()
    const call = (method: string, frameUrl: string, payload: unknown, sub = false) => {
      const frame = { url: frameUrl }
      const mainFrame = sub ? { url: 'app://lastunit/index.html' } : frame
      return e.ipc.get(`lastunit:${method}`)!({ senderFrame: frame, sender: { mainFrame } }, payload)
    }
    for (const url of [
      'https://evil.example/',
      'file:///tmp/x.html',
      'app://evil/index.html',
      'devtools://x',
      '',
    ])
      expect(await call('getStatus', url, {}), url).toMatchObject({
        ok: false,
        error: { code: 'untrusted_sender' },
      })
    expect(await call('getStatus', 'app://lastunit/index.html', {}, true)).toMatchObject({
      error: { code: 'untrusted_sender' },
    })
    const app = 'app://lastunit/index.html'
    expect(await call('setPaused', app, { paused: 'yes' })).toMatchObject({
      error: { code: 'invalid_payload' },
    })
    expect(await call('getStatus', app, { extra: 1 })).toMatchObject({ error: { code: 'invalid_payload' } })
    expect(
      await call('setCredential', app, { owner: 'odoo', name: 'apiKey', value: 'x'.repeat(10_001) }),
    ).toMatchObject({ error: { code: 'invalid_payload' } })
    expect(await call('getStatus', app, {})).toMatchObject({ ok: true })
  })

  it('stores a credential encrypted by the OS keychain, and refuses where Linux has no keyring', async () => {
    await boot()
    const frame = { url: 'app://lastunit/index.html' }
    const sender = { senderFrame: frame, sender: { mainFrame: frame } }
    const set = (value: string) =>
      e.ipc.get('lastunit:setCredential')!(sender, { owner: 'odoo', name: 'apiKey', value })
    expect(await set('odoo-key-123')).toEqual({
      ok: true,
      value: { owner: 'odoo', name: 'apiKey', set: true },
    })
    const { default: Database } = await import('better-sqlite3')
    const db = new Database(join(tmp.dir, 'lastunit.db'), { readonly: true })
    const dump = JSON.stringify(db.prepare('SELECT * FROM credentials').all(), (_k, v: unknown) =>
      Buffer.isBuffer(v) ? v.toString('latin1') : v,
    )
    db.close()
    expect(dump).not.toContain('odoo-key-123')
    expect(dump).toContain('apiKey')
    expect(e.encrypted).toEqual(['odoo-key-123'])
    e.backend = 'basic_text'
    const refused = (await set('other')) as { ok: boolean; error: { message: string } }
    expect(refused.ok).toBe(false)
    expect(refused.error.message).toContain('no secure storage for passwords')
  })

  it('started at login (--hidden): the window stays hidden', async () => {
    await boot(['--hidden'])
    expect(e.windows[0]!.options.show).toBe(false)
  })

  it('as a second instance: quits without opening a window, a database or a tray', async () => {
    e.lock = false
    await boot()
    expect(e.quits).toBe(1)
    expect(e.windows).toHaveLength(0)
    expect(e.trays).toHaveLength(0)
    expect(existsSync(join(tmp.dir, 'lastunit.db'))).toBe(false)
  })
})
