// The real desktop app under Playwright's Electron driver: launch, the window without the tray, a
// credential set and tested, and a full resync started from the tray menu.
import { expect, test } from '@playwright/test'
import { IPC_METHODS } from '../../shared/ipc-channels'
import { electronBinary, launchApp, SKIP_REASON, type LaunchedApp } from './electron-app'

test.skip(electronBinary() === null, SKIP_REASON)

interface TrayItem {
  id?: string
  label?: string
  enabled?: boolean
  checked?: boolean
}
type Hooks = { trayMenu(): Array<TrayItem & { click?: () => void }>; trayState(): string }
type Api = Record<
  string,
  (req?: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>
>

let launched: LaunchedApp
test.beforeEach(async () => {
  launched = await launchApp()
})
test.afterEach(async () => {
  await launched.close()
})

const trayMenu = (l: LaunchedApp) =>
  l.app.evaluate(() => {
    const hooks = (globalThis as unknown as { lastunitTestHooks: Hooks }).lastunitTestHooks
    return hooks.trayMenu().map(({ id, label, enabled, checked }) => ({ id, label, enabled, checked }))
  })

test('launches one secure window on app:// exposing only the contract', async () => {
  const { page, app } = launched
  expect(page.url()).toBe('app://lastunit/index.html')
  await expect(page).toHaveTitle('LastUnit')
  const exposed = await page.evaluate(() => ({
    api: Object.keys((window as unknown as { api: object }).api).sort(),
    require: typeof (window as unknown as { require?: unknown }).require,
    process: typeof (window as unknown as { process?: unknown }).process,
  }))
  expect(exposed).toEqual({
    api: [...IPC_METHODS, 'onEvents'].sort(),
    require: 'undefined',
    process: 'undefined',
  })
  expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1)
  // Navigation away and window.open are refused.
  await page.evaluate(() => window.open('https://example.com/'))
  await page.evaluate(() => {
    location.href = 'file:///etc/hosts'
  })
  await page.waitForTimeout(500)
  expect(page.url()).toBe('app://lastunit/index.html')
  expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1)
})

test('closing the window hides it: the app keeps running and the window comes back', async () => {
  const { app, page } = launched
  await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.close())
  await expect
    .poll(() => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.isVisible()))
    .toBe(false)
  expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1)
  // "Open" from the tray menu shows the same window again.
  await app.evaluate(() => {
    const hooks = (globalThis as unknown as { lastunitTestHooks: Hooks }).lastunitTestHooks
    hooks.trayMenu().find((i) => i.id === 'open')!.click!()
  })
  await expect
    .poll(() => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.isVisible()))
    .toBe(true)
  expect(await page.evaluate(() => document.readyState)).toBe('complete')
})

test('a credential is set and tested; the page never gets it back', async () => {
  const { app, page } = launched
  const backend = await app.evaluate(({ safeStorage }) =>
    process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os',
  )
  const r = await page.evaluate(async () => {
    const api = (window as unknown as { api: Api }).api
    const saved = await api.saveChannel!({
      id: 'bol-nl',
      type: 'bol',
      name: 'bol.com NL',
      environment: 'sandbox',
      stockBasis: 'free',
      zeroStockAction: 'push_zero',
      orderImport: false,
      settings: {},
    })
    const set = await api.setCredential!({ owner: 'bol-nl', name: 'clientSecret', value: 'super-secret-123' })
    const test = await api.testConnection!({ target: 'bol-nl' })
    const channels = await api.listChannels!()
    return { saved, set, test, channels: JSON.stringify(channels) }
  })
  expect(r.saved.ok, JSON.stringify(r.saved)).toBe(true)
  if (backend === 'basic_text' || backend === 'unknown') {
    // No keyring on this Linux: refused, with words the seller can act on.
    expect(r.set).toMatchObject({ ok: false })
    expect(r.set.error!.message).toContain('no secure storage for passwords')
  } else {
    expect(r.set).toEqual({ ok: true, value: { owner: 'bol-nl', name: 'clientSecret', set: true } })
    expect(r.channels).toContain('"set":true')
  }
  expect(r.test).toMatchObject({ ok: true, value: { ok: expect.any(Boolean), message: expect.any(String) } })
  expect(JSON.stringify(r)).not.toContain('super-secret-123')
})

test('Full resync now from the tray menu starts a resync the window hears about', async () => {
  const { app, page } = launched
  const demo = await page.evaluate(async () => {
    const api = (window as unknown as { api: Api }).api
    const w = window as unknown as { resyncEvents: unknown[] }
    w.resyncEvents = []
    ;(window as unknown as { api: { onEvents(l: (e: Array<{ type: string }>) => void): void } }).api.onEvents(
      (events) => w.resyncEvents.push(...events.filter((e) => e.type === 'resync')),
    )
    return api.startDemo!()
  })
  expect(demo.ok, JSON.stringify(demo)).toBe(true)
  await expect
    .poll(async () => (await trayMenu(launched)).find((i) => i.id === 'resync')?.enabled, { timeout: 30_000 })
    .toBe(true)
  await app.evaluate(() => {
    const hooks = (globalThis as unknown as { lastunitTestHooks: Hooks }).lastunitTestHooks
    hooks.trayMenu().find((i) => i.id === 'resync')!.click!()
  })
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { resyncEvents: unknown[] }).resyncEvents.length), {
      timeout: 30_000,
    })
    .toBeGreaterThan(0)
  const labels = (await trayMenu(launched)).map((i) => i.label)
  expect(labels).toEqual(expect.arrayContaining(['Open LastUnit', 'Full resync now', 'Quit LastUnit']))
})
