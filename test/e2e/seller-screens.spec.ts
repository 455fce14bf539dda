// The seller's screens against the demo (the Odoo simulator and every channel simulator behind the
// browser host), driven in Chromium: an order placed on a simulated marketplace on its way into Odoo,
// the live log after a burst, a full resync bar by bar, and every screen checked with axe and pictured.
import type { Page } from '@playwright/test'
import { browseLog } from '../../main/node/db/repos/log-view'
import type { DemoEnvironment } from '../../main/sandbox/demo-env'
import { test, expect, type DemoPreview as Preview } from './fixtures'
import { expectAccessible, openScreen, shot } from './ui-helpers'

// axe is injected as a script, which the page's strict CSP would refuse; the app's own code never needs this.
test.use({ bypassCSP: true, viewport: { width: 1280, height: 720 } })
test.setTimeout(240_000)

async function startDemo(page: Page, preview: Preview): Promise<DemoEnvironment> {
  await page.goto(preview.host.openUrl)
  await page.getByRole('button', { name: /Try the demo/ }).click()
  await expect(page.getByTestId('status-pill')).not.toContainText('Not syncing', { timeout: 90_000 })
  const env = preview.runtime.demoEnvironment()
  expect(env).not.toBeNull()
  // A quiet market: what happens next is the test's own.
  env!.stopMarket()
  await expect(page.locator('.channel-cards > li')).toHaveCount(7, { timeout: 30_000 })
  await preview.runtime.engine()!.idle(30_000)
  return env!
}

/** The listing of a product on a channel, as mapped. */
const listingOf = (preview: Preview, channelId: string, productId: number): string =>
  (
    preview.runtime.db
      .prepare('SELECT listing_id AS l FROM sku_mappings WHERE channel_id = ? AND product_id = ?')
      .get(channelId, productId) as { l: string }
  ).l

test('an order placed on a marketplace lowers the other channels and reaches Odoo, named as Odoo names it', async ({
  page,
  preview,
}) => {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  const env = await startDemo(page, preview)
  const engine = preview.runtime.engine()!
  // A product every channel shows at least 3 of: one order leaves it in stock everywhere.
  const p = env.products.find(
    (x) => (engine.explain('demo-amazon', listingOf(preview, 'demo-amazon', x.id))?.quantity ?? 0) >= 3,
  )!
  expect(p).toBeDefined()
  const amazonListing = listingOf(preview, 'demo-amazon', p.id)
  const before = engine.explain('demo-amazon', amazonListing)!.quantity

  const { orderId } = env.placeOrder('bol', p.sku, 1)
  await openScreen(page, 'Orders')
  await page.getByLabel('Search orders').fill(p.sku)
  const row = page.getByTestId('order-row').filter({ hasText: orderId })
  await expect(row).toHaveCount(1, { timeout: 30_000 })
  await expect(row).toContainText('Demo bol.com')
  await expect(row).toContainText(p.sku)
  await expect(row).toContainText(p.name)
  // Every other channel drops at once: Amazon shows one unit less before Odoo has the sale.
  await expect
    .poll(() => engine.explain('demo-amazon', amazonListing)!.quantity, { timeout: 20_000 })
    .toBe(before - 1)
  // Then it is a confirmed sale order in Odoo, shown by the name Odoo gives it.
  await expect(row.getByTestId('order-state')).toHaveText('In Odoo', { timeout: 60_000 })
  const so = [...env.sims.odoo.store.saleOrders.values()].find(
    (o) => typeof o.clientOrderRef === 'string' && o.clientOrderRef.includes(orderId),
  )
  expect(so, 'the sale order in the Odoo simulator').toBeDefined()
  expect(so!.state).toBe('sale')
  await expect(row.getByTestId('odoo-order')).toHaveText(so!.name, { timeout: 60_000 })
  await expect(row).toContainText(`In Odoo as sale order ${so!.name}, confirmed.`)
  // Still one unit less on Amazon, now from Odoo's own reservation.
  await expect
    .poll(() => engine.explain('demo-amazon', amazonListing)!.quantity, { timeout: 20_000 })
    .toBe(before - 1)

  await openScreen(page, 'Dashboard')
  await expect(page.getByTestId('figure-orders')).toHaveText(/^[1-9]\d*$/)
  expect(errors).toEqual([])
})

test('after a burst the live log shows exactly the matching rows, none drawn over another', async ({
  page,
  preview,
}) => {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  const env = await startDemo(page, preview)
  const engine = preview.runtime.engine()!
  const db = preview.runtime.db
  await openScreen(page, 'Live log')
  // The burst: peak mode, a full resync and warehouses saved twice, while the log screen is open.
  await page.getByRole('button', { name: 'Peak mode off' }).click()
  await expect(page.getByRole('button', { name: 'Peak mode on' })).toBeVisible()
  const run = await engine.resync()
  await engine.waitForResync(run.id)
  await openScreen(page, 'Warehouses')
  const shelf = page.getByRole('checkbox', { name: /Shelf 1/ }).first()
  await shelf.check()
  await expect(page.getByTestId('warehouse-problems')).toContainText('counted twice')
  await page.getByRole('button', { name: 'Save locations' }).click()
  await page.getByRole('button', { name: 'Save anyway' }).click()
  await shelf.uncheck()
  await page.getByRole('button', { name: 'Save locations' }).click()
  await expect(page.getByTestId('warehouse-ok')).toBeVisible()
  await page.getByRole('button', { name: 'Peak mode on' }).click()
  await openScreen(page, 'Live log')
  await engine.idle(30_000)

  // One product on one channel: few enough rows that every one of them is drawn.
  const p = env.products[2]!
  await page.getByLabel('Channel', { exact: true }).selectOption('demo-amazon')
  await page.getByLabel('Level').selectOption('info')
  await page.getByLabel('Search', { exact: true }).fill(p.sku)
  const expected = () =>
    browseLog(db, { channelId: 'demo-amazon', level: 'info', search: p.sku, limit: 5000 }).rows.length
  await expect.poll(expected, { timeout: 20_000 }).toBeGreaterThan(0)
  const n = expected()
  expect(n).toBeLessThanOrEqual(20)
  await expect(page.getByTestId('log-count')).toContainText(`${n} ${n === 1 ? 'line' : 'lines'} shown`, {
    timeout: 10_000,
  })
  const rows = page.getByTestId('log-row')
  await expect(rows).toHaveCount(n)
  for (const text of await rows.allInnerTexts()) expect(text).toContain(p.sku)
  // No two rows overlap: each starts where the one above ends, or below it.
  const boxes = (await rows.evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect()
      return { top: r.top, bottom: r.bottom, height: r.height }
    }),
  )) as Array<{ top: number; bottom: number; height: number }>
  boxes.sort((a, b) => a.top - b.top)
  for (let i = 1; i < boxes.length; i++)
    expect(boxes[i]!.top).toBeGreaterThanOrEqual(boxes[i - 1]!.bottom - 0.5)
  expect(new Set(boxes.map((b) => Math.round(b.top))).size).toBe(boxes.length)

  // A filter nothing matches: no row is left behind.
  await page.getByLabel('Search', { exact: true }).fill('no-such-line-anywhere')
  await expect(page.getByTestId('log-count')).toContainText('0 lines shown')
  await expect(page.getByTestId('log-empty')).toHaveText('No log lines match.')
  await expect(rows).toHaveCount(0)

  // A throttled or busy burst never wrote a warning per poll.
  expect(browseLog(db, { level: 'warn', search: 'fetching orders failed', limit: 100 }).rows.length).toBe(0)
  expect(errors).toEqual([])
})

test('a full resync shows one bar per channel that never goes back, and a summary at the end', async ({
  page,
  preview,
}) => {
  await startDemo(page, preview)
  await openScreen(page, 'Full resync')
  await expect(page.getByText(/First estimate/)).toBeVisible()
  await page.getByRole('button', { name: 'Start full resync' }).click()
  const bars = page.getByTestId('resync-bar')
  await expect(bars).toHaveCount(7, { timeout: 20_000 })
  // Sampled while it runs: the overall bar and each channel's bar only move forward.
  const seen: number[][] = []
  const deadline = Date.now() + 120_000
  for (;;) {
    const values = await page
      .locator('[data-testid="resync-progress"], [data-testid="resync-bar"] progress')
      .evaluateAll((els) => els.map((e) => Number((e as HTMLProgressElement).value)))
    seen.push(values)
    const state = await page.getByTestId('resync-state').innerText()
    if (state.startsWith('Done') || Date.now() > deadline) break
    await page.waitForTimeout(150)
  }
  for (let i = 1; i < seen.length; i++)
    seen[i]!.forEach((v, j) =>
      expect(v, `bar ${j} at sample ${i}`).toBeGreaterThanOrEqual(seen[i - 1]![j] ?? 0),
    )
  await expect(page.getByTestId('resync-state')).toContainText('Done')
  await expect(page.getByTestId('resync-progress')).toHaveAttribute('value', '100')
  const summary = page.getByTestId('resync-summary')
  await expect(summary).toBeVisible({ timeout: 10_000 })
  await expect(summary).toContainText(/\d+ listings? changed, \d+ already right, \d+ failed\./)
  await expect(summary.locator('tbody tr')).toHaveCount(7)
  // The first-push guard's dry run is one click away, named by SKU and product.
  await page.getByLabel('Channel', { exact: true }).selectOption('demo-ebay')
  await page.getByRole('button', { name: 'Show the dry run' }).click()
  await expect(page.getByTestId('dry-run-summary')).toContainText(/\d+ listings; \d+ would be set to 0\./)
  await expect(
    page
      .getByRole('rowheader')
      .filter({ hasText: /LU-\d+/ })
      .first(),
  ).toBeVisible()
})

test('every screen: pictured at 1280 x 720, no serious or critical axe finding, and usable at 1024 x 640', async ({
  page,
  preview,
}) => {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto(preview.host.openUrl)
  await expect(page.getByRole('heading', { name: 'Welcome to LastUnit' })).toBeVisible()
  await expectAccessible(page, 'welcome')
  const env = await startDemo(page, preview)
  const engine = preview.runtime.engine()!
  // Orders to show: three that reach Odoo, and one blocked (no Odoo customer chosen for the shop). One of
  // them buys every unit eBay shows of a product: the other channels drop to 0 before Odoo has the sale.
  env.placeOrder('amazon', env.products[0]!.sku, 1)
  env.placeOrder('ebay', env.products[1]!.sku, 2)
  const last = env.products[5]!
  const all = engine.explain('demo-ebay', listingOf(preview, 'demo-ebay', last.id))!.quantity
  expect(all).toBeGreaterThan(0)
  env.placeOrder('ebay', last.sku, all)
  preview.runtime.db.prepare("UPDATE channels SET odoo_partner_id = NULL WHERE id = 'demo-shopify'").run()
  await preview.runtime.checkConfigNow()
  env.placeOrder('shopify', env.products[4]!.sku, 1)
  await engine.pollOrders('demo-amazon')
  await engine.pollOrders('demo-ebay')
  await engine.pollOrders('demo-shopify')

  await openScreen(page, 'Orders')
  await expect(page.getByTestId('order-row')).toHaveCount(4, { timeout: 30_000 })
  await expect(page.getByTestId('order-state').filter({ hasText: 'In Odoo' })).toHaveCount(3, {
    timeout: 60_000,
  })
  await expect(page.getByTestId('order-state').filter({ hasText: 'Blocked' })).toHaveCount(1, {
    timeout: 30_000,
  })
  await expect(page.getByTestId('odoo-order').filter({ hasText: /^S\d+$/ })).toHaveCount(3, {
    timeout: 30_000,
  })
  await expectAccessible(page, 'orders')
  await shot(page, 'orders')

  await openScreen(page, 'Dashboard')
  await expect(page.getByTestId('figure-orders')).toHaveText('4', { timeout: 30_000 })
  await expect(page.getByTestId('figure-prevented')).toHaveText('1')
  await expect(page.getByTestId('alert').first()).toContainText('Orders of Demo Shopify cannot reach Odoo')
  await expect(page.getByTestId('chart-summary')).toContainText('updates in the chart', { timeout: 20_000 })
  // Each channel card says how soon an order placed there is seen (the demo reads orders every 2 s).
  await expect(page.getByTestId('orders-seen')).toHaveText(Array(7).fill('2 s'))
  await expectAccessible(page, 'dashboard')
  await shot(page, 'dashboard')

  await openScreen(page, 'Connections')
  await expectAccessible(page, 'connections')

  await openScreen(page, 'SKU mapping')
  await expect(page.getByTestId('mapping-count')).toContainText(/[1-9]\d* of [1-9]\d* listings shown/, {
    timeout: 30_000,
  })
  await expectAccessible(page, 'mapping')
  await shot(page, 'mapping')
  await page.getByLabel('Search listings').fill('no-such-listing')
  await expect(page.getByTestId('mapping-empty')).toHaveText('No listing matches “no-such-listing”.')
  await page.getByLabel('Search listings').fill('')

  await openScreen(page, 'Buffers')
  await page.getByRole('button', { name: 'Explain', exact: true }).click()
  await expect(page.getByTestId('explanation')).toContainText('Free in Odoo')
  await expectAccessible(page, 'buffers')
  await shot(page, 'buffers')
  // A medium seller (default 1) whose recommendation gives a listing 0: Apply asks first, and only a
  // confirmed Apply saves the per-listing rules.
  await page.getByLabel('Search products').fill('LU-00001')
  const applyFirst = page.getByRole('button', { name: 'Apply → LU-00001', exact: true })
  await applyFirst.click()
  const ask = page.getByRole('dialog', { name: 'Lower the buffer below the default?' })
  await expect(ask).toContainText('below the medium seller default of 1')
  await ask.getByRole('button', { name: 'Keep the current buffers' }).click()
  await expect(ask).toBeHidden()
  await expect(page.getByTestId('rules')).not.toContainText('One product on one channel')
  await applyFirst.click()
  await ask.getByRole('button', { name: 'Apply anyway' }).click()
  await expect(ask).toBeHidden()
  await expect(page.getByTestId('rules')).toContainText('One product on one channel (LU-00001')
  await page.getByLabel('Search products').fill('')

  await openScreen(page, 'Warehouses')
  const shelf = page.getByRole('checkbox', { name: /Shelf 1/ }).first()
  await shelf.check()
  await expect(page.getByTestId('warehouse-problems')).toContainText('counted twice')
  await expectAccessible(page, 'warehouses')
  await shot(page, 'warehouses')
  await shelf.uncheck()

  await openScreen(page, 'Live log')
  await expect(page.getByTestId('log-row').first()).toBeVisible()
  await expectAccessible(page, 'log')
  await shot(page, 'live-log')

  await openScreen(page, 'Full resync')
  await page.getByRole('button', { name: 'Start full resync' }).click()
  await expect(page.getByTestId('resync-state')).toContainText('Done', { timeout: 120_000 })
  await expect(page.getByTestId('resync-summary')).toBeVisible()
  await expectAccessible(page, 'resync')
  await shot(page, 'resync')

  await openScreen(page, 'Checklist')
  await page.getByRole('button', { name: 'Run checks' }).click()
  // While they run, the steps show with their progress (the demo's channels answer within seconds).
  await expect(page.getByRole('button', { name: 'Run checks' })).toBeEnabled({ timeout: 90_000 })
  await expect(page.getByTestId('check-detail')).not.toContainText('Not checked yet')
  await page.getByRole('button', { name: /Zero-stock behaviour verified/ }).click()
  await expect(page.getByLabel('Listing to test')).toBeVisible()
  await expectAccessible(page, 'checklist')
  await shot(page, 'checklist')

  // 1024 x 640: the sidebar folds into a menu, and no table is cut off.
  await page.setViewportSize({ width: 1024, height: 640 })
  await expect(page.getByRole('navigation', { name: 'Screens' })).toBeHidden()
  const menu = page.getByRole('button', { name: 'Screens', exact: true })
  for (const screen of [
    'Dashboard',
    'Orders',
    'SKU mapping',
    'Buffers',
    'Live log',
    'Full resync',
    'Checklist',
  ]) {
    await menu.click()
    await openScreen(page, screen)
    await expect(page.getByRole('navigation', { name: 'Screens' })).toBeHidden()
    // Nothing wider than the window: a table either fits or scrolls inside itself.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow, `${screen} is wider than the window`).toBeLessThanOrEqual(0)
    await expectAccessible(page, `${screen} at 1024`)
  }
  await menu.click()
  await openScreen(page, 'SKU mapping')
  // Every column of the mapping table is on screen, its actions included.
  const scroller = await page.getByTestId('mapping-rows').boundingBox()
  const unmap = await page
    .getByTestId('mapping-row')
    .first()
    .getByRole('button', { name: /^Unmap / })
    .boundingBox()
  expect(unmap!.x + unmap!.width).toBeLessThanOrEqual(scroller!.x + scroller!.width)
  const heads = await page
    .getByRole('columnheader')
    .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().left))
  const cells = await page
    .getByTestId('mapping-row')
    .first()
    .getByRole('cell')
    .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().left))
  heads.forEach((h, i) => expect(Math.abs(h - (cells[i] ?? 0)), `column ${i} lines up`).toBeLessThan(1))
  expect(errors).toEqual([])
})
