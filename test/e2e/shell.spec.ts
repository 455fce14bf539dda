import { mkdirSync } from 'node:fs'
import { test, expect } from './fixtures'

test('the built renderer shows the app shell and the welcome', async ({ page, preview }) => {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  await page.goto(preview.host.openUrl)
  await expect(page.getByTestId('app-shell')).toBeVisible()
  await expect(page.getByRole('navigation', { name: 'Screens' })).toBeVisible()
  await expect(page.getByRole('heading', { name: 'Welcome to LastUnit' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Try the demo' })).toBeVisible()
  await expect(page.getByTestId('status-pill')).toContainText('Not syncing')
  // The token left the address bar once read.
  expect(page.url()).not.toContain('token=')
  await page.getByRole('button', { name: 'Dashboard' }).click()
  mkdirSync('test-results/screens', { recursive: true })
  await page.screenshot({ path: 'test-results/screens/shell.png', fullPage: true })
  expect(errors).toEqual([])
})

test('the page without the token is refused by the engine bridge', async ({ page, preview }) => {
  await page.goto(preview.host.url)
  await expect(page.getByText('This page is not connected to a LastUnit engine.')).toBeVisible()
  const r = await page.evaluate(async () => {
    const res = await fetch('/api/getAppInfo', {
      method: 'POST',
      body: '{}',
      headers: { 'x-lastunit-token': 'guess' },
    })
    return (await res.json()) as { ok: boolean; error?: { code: string } }
  })
  expect(r).toEqual({ ok: false, error: expect.objectContaining({ code: 'untrusted_sender' }) })
})

test('the served page carries a strict Content-Security-Policy', async ({ page, preview }) => {
  const res = await page.goto(preview.host.url)
  const csp = res?.headers()['content-security-policy'] ?? ''
  expect(csp).toContain("default-src 'none'")
  expect(csp).toContain("script-src 'self'")
  expect(csp).not.toContain('unsafe-inline')
  expect(csp).not.toContain('unsafe-eval')
})
