// The steps a new seller takes in the app to set up a channel, against the simulators: Odoo in
// Connections, the channel's settings and credentials, warehouses, listings and mapping, the checklist's
// real checks (zero-stock test, a return processed in Odoo, go-live) and the first-push review. Every
// wait is on visible state (or on what the simulators and the store show), never a fixed sleep.
import type { Locator, Page } from '@playwright/test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test as base, expect, rendererDir, type DemoPreview } from './fixtures'
import { startPreview } from '../../main/node/preview/preview-host'
import { startDemoEnvironment } from '../../main/sandbox/demo-env'
import { startOdooSim, type OdooSim } from '../../main/sandbox/odoo/odoo-sim'
import type { ChannelSimProbe } from '../../main/sandbox/channels/sim-probe'
import { suggestReturnProduct } from '../../main/node/checklist/return-test'
import { shot } from './ui-helpers'

/**
 * The app behind the browser host on an empty data folder. Adapters run the declared rate limits faster
 * (rateScale), as the demo does, because the simulators run on a clock 20 times faster.
 */
export const test = base.extend<{ preview: DemoPreview }>({
  // eslint-disable-next-line no-empty-pattern
  preview: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lastunit-e2e-setup-'))
    const preview = await startPreview({
      dataDir,
      rendererDir,
      passphrase: 'e2e-test-passphrase-0123456789',
      runtime: { adapterOptions: { rateScale: 20, timeoutMs: 15_000 } },
      demo: startDemoEnvironment,
    })
    await use(preview)
    await preview.stop()
    rmSync(dataDir, { recursive: true, force: true })
  },
})
export { expect }

export const TIME_SCALE = 20

export interface SimProduct {
  id: number
  sku: string
  ean: string
  name: string
}

/** Odoo with a small catalogue and no sales history (no fast movers: the buffer check passes). */
export async function startOdoo(version: 17 | 18 | 19): Promise<{ odoo: OdooSim; products: SimProduct[] }> {
  const odoo = await startOdooSim({ version, catalogue: { products: 8, historyDays: 0 } })
  const wh = odoo.catalogue!.warehouses[0]!
  const products = odoo
    .catalogue!.productIds.map((id) => odoo.store.products.get(id)!)
    .filter((p) => p.active && p.defaultCode && p.barcode)
    .map((p) => ({ id: p.id, sku: p.defaultCode!, ean: p.barcode!, name: p.name }))
  // A known stock in the first warehouse: every listing's first push changes it a lot (the channels
  // show 1), so the first-push guard holds the push for the seller's review.
  products.forEach((p, i) => odoo.store.applyInventory(p.id, wh.lotStockId, 12 + i))
  return { odoo, products }
}

/** What Odoo says is free for a product in the first warehouse's stock (and below): the published figure. */
export const odooFigure = (odoo: OdooSim, productId: number): number =>
  Math.max(0, Math.floor(odoo.store.stockOf(productId, [odoo.catalogue!.warehouses[0]!.lotStockId]).free))

export async function connectOdoo(page: Page, odoo: OdooSim): Promise<void> {
  await page.getByRole('button', { name: /Connect Odoo/ }).click()
  await expect(page.getByRole('heading', { name: 'Connections', level: 1 })).toBeVisible()
  const form = page.getByRole('form', { name: 'Odoo' })
  await form.getByLabel('Odoo address').fill(odoo.url)
  await form.getByLabel('Database').fill(odoo.database)
  await form.getByLabel('User (login e-mail)').fill(odoo.login)
  await form.getByLabel('API key').fill(odoo.apiKey)
  // Changes reach the channels within a second (the default is five).
  await form.getByText('Advanced').click()
  await form.getByLabel('Check Odoo for changes every (seconds)').fill('1')
  await form.getByRole('button', { name: 'Save and test' }).click()
  await expect(page.getByTestId('odoo-test-result')).toContainText('Saved and tested', { timeout: 30_000 })
  await expect(page.getByTestId('odoo-test-result')).toContainText(`Connected to Odoo ${odoo.version}`)
}

/** Opens the form to add a channel and fills what every channel has. */
export async function startChannel(
  page: Page,
  o: { type: string; id: string; name: string },
): Promise<Locator> {
  await page.getByRole('button', { name: 'Add a channel' }).click()
  const form = page.getByRole('form', { name: 'Add a channel' })
  await form.getByLabel('Channel type').selectOption(o.type)
  await form.getByLabel('Short id').fill(o.id)
  await form.getByLabel('Name shown in LastUnit').fill(o.name)
  return form
}

/** The Odoo customer and warehouse of imported orders, picked from what Odoo lists. */
export async function pickOdooChoices(form: Locator): Promise<void> {
  const customer = form.getByLabel('Odoo customer for imported orders')
  await expect(customer.locator('option', { hasText: 'Marketplace customers' })).toHaveCount(1, {
    timeout: 20_000,
  })
  await customer.selectOption({ label: 'Marketplace customers' })
  await form.getByLabel('Odoo warehouse for imported orders').selectOption({ label: 'Main Warehouse (WH)' })
}

/** Tests the typed values (nothing saved), then saves them with a test. */
export async function testThenSave(
  page: Page,
  form: Locator,
  channelId: string,
  screenshot?: string,
): Promise<void> {
  await form.getByRole('button', { name: 'Test connection' }).click()
  const result = form.getByTestId('channel-test-result')
  await expect(result).toContainText('Connected', { timeout: 30_000 })
  if (screenshot) await shot(page, screenshot)
  // A test saves nothing: the channel does not exist yet.
  await expect(page.getByTestId(`channel-row-${channelId}`)).toHaveCount(0)
  await form.getByRole('button', { name: 'Save and test' }).click()
  const row = page.getByTestId(`channel-row-${channelId}`)
  await expect(row.getByTestId('channel-test-result')).toContainText('Saved and tested', { timeout: 30_000 })
  await expect(row.locator('summary')).toContainText('Being set up')
  await expect(row.locator('summary').getByTestId('last-test')).toContainText('connected')
}

/**
 * Warehouses: the first warehouse's stock location counts for the channel. The ticks are checked before
 * they are saved (nothing counted twice), then saved without a question.
 */
export async function chooseStock(page: Page, channelName: string): Promise<void> {
  await openScreen(page, 'Warehouses')
  await page.getByRole('combobox', { name: 'Channel', exact: true }).selectOption({ label: channelName })
  await expect(page.getByRole('group', { name: `Channel: ${channelName}` })).toBeVisible({ timeout: 20_000 })
  const stock = page.getByRole('checkbox', { name: /^Stock/ }).first()
  await expect(stock).toBeVisible({ timeout: 20_000 })
  await stock.check()
  await expect(page.getByText('Not saved yet.')).toBeVisible()
  await expect(page.getByTestId('warehouse-ok')).toHaveText(
    'No problems with these ticks: no location is counted twice.',
  )
  await page.getByRole('button', { name: 'Save locations' }).click()
  await expect(page.getByRole('dialog')).toHaveCount(0)
  await expect(page.getByText('Saved. Stock is being recomputed.')).toBeVisible()
  await expect(page.getByTestId('warehouse-ok')).toHaveText('No problems: no location is counted twice.')
  await expect(page.getByTestId('warehouse-problems')).toHaveCount(0)
}

/** SKU mapping: fetch the channel's listings; auto-match maps each by its SKU or EAN. */
export async function fetchAndMap(page: Page, listings: number): Promise<void> {
  await openScreen(page, 'SKU mapping')
  // The engine restarts with the new channel after the save; fetch until its listings arrive.
  await expect(async () => {
    await page.getByRole('button', { name: 'Fetch listings from the channels' }).click()
    await expect(page.getByRole('status').filter({ hasText: 'fetched from the channels' })).toContainText(
      `${listings} listings fetched`,
      { timeout: 10_000 },
    )
  }).toPass({ timeout: 60_000 })
  await page.getByRole('button', { name: 'Auto-match by SKU, EAN and channel ids' }).click()
  await expect(page.getByTestId('automatch-result')).toContainText('0 still unmapped')
  await expect(page.getByTestId('mapping-count')).toContainText(
    `${listings} of ${listings} listings shown · 0 unmapped listings`,
  )
}

export async function openScreen(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name, exact: true }).click()
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
}

const step = (page: Page, title: string) =>
  page.getByRole('list', { name: 'Steps' }).getByRole('button', { name: new RegExp(title) })

/** Delivers one unit of a product in Odoo, so a return of it can be processed later; answers the picking. */
export function deliverOne(odoo: OdooSim, productId: number): number {
  const store = odoo.store
  const wh = odoo.catalogue!.warehouses[0]!
  const so = store.createSaleOrder({
    partnerId: odoo.catalogue!.customerPartnerId,
    warehouseId: wh.id,
    clientOrderRef: false,
    lines: [{ productId, qty: 1, price: 10 }],
  })
  store.confirmSaleOrder(so.id)
  const picking = [...store.pickings.values()].find((p) => p.saleId === so.id && p.kind === 'outgoing')!
  expect(store.validatePicking(picking.id, {})).toBe(true)
  return picking.id
}

/**
 * The checklist, every check for real: the zero-stock test on a listing the seller picks (asked before it
 * is set to 0), the return test started on the screen while a return is processed in Odoo, a re-run of
 * the checks, and go-live. `confirmSingleSource`: the channel's API cannot read stock back (Zalando), so
 * the seller confirms nothing else writes its stock.
 */
export async function runChecklist(
  page: Page,
  preview: DemoPreview,
  odoo: OdooSim,
  o: { channelId: string; channelName: string; confirmSingleSource?: boolean },
): Promise<void> {
  await openScreen(page, 'Checklist')
  await expect(page.getByRole('combobox', { name: 'Channel', exact: true })).toHaveValue(o.channelId)
  const detail = page.getByTestId('check-detail')
  const steps = page.getByRole('list', { name: 'Steps' }).getByRole('button')
  await expect(steps).toHaveCount(7)
  await expect(step(page, 'All active SKUs mapped').locator('.check-badge')).toHaveText('Not run yet')
  await page.getByRole('button', { name: 'Run checks' }).click()
  // Every check the run makes has a verdict once it answers (the mapping one passes: all are mapped).
  await expect(step(page, 'All active SKUs mapped').locator('.check-badge')).toHaveText('Passed', {
    timeout: 60_000,
  })
  await expect(page.getByRole('button', { name: 'Run checks' })).toBeEnabled()

  if (o.confirmSingleSource) {
    await step(page, 'Single stock source').click()
    await expect(detail).toContainText('cannot read quantities back')
    await page.getByRole('button', { name: /I confirm: nothing but LastUnit writes stock/ }).click()
    await expect(detail).toContainText('Confirmed by you')
    await expect(detail.locator('h2')).toContainText('Passed')
  }

  // The zero-stock test: on the listing picked (the first one offered), after the seller says yes.
  await step(page, 'Zero-stock behaviour verified').click()
  const listing = detail.getByRole('combobox', { name: 'Listing to test' })
  await expect(listing.locator('option')).not.toHaveCount(0)
  await expect(listing).not.toHaveValue('')
  await detail.getByRole('button', { name: 'Test this listing' }).click()
  const ask = page.getByRole('dialog', { name: 'Set this listing to 0 for a moment?' })
  await expect(ask).toBeVisible()
  await expect(ask).toContainText(`on ${o.channelName} to 0`)
  // The harmless answer has the focus.
  await expect(ask.getByRole('button', { name: 'Cancel' })).toBeFocused()
  await ask.getByRole('button', { name: 'Set it to 0 and restore it' }).click()
  await expect(ask).toHaveCount(0)
  await expect(detail.locator('h2')).toContainText('Passed', { timeout: 90_000 })
  await expect(detail.locator('.test-steps')).toContainText('restored listing')

  // The return test: one unit delivered earlier comes back in Odoo while the test waits for it.
  const productId = suggestReturnProduct(preview.db, o.channelId)!
  expect(productId).not.toBeNull()
  const product = odoo.store.products.get(productId)!
  const named = `${product.defaultCode} ${product.name}`
  const picking = deliverOne(odoo, productId)
  await step(page, 'Return restock flow tested').click()
  await detail.getByRole('button', { name: 'Start the return test' }).click()
  // The screen names the product to return, and waits for it.
  const waiting = detail.getByTestId('return-waiting')
  await expect(waiting).toContainText(`Waiting for your return of one unit of ${named} in Odoo`)
  await expect(waiting.getByRole('button', { name: 'Stop waiting' })).toBeVisible()
  // The test has read its starting figures before the seller processes the return (sync log).
  await expect
    .poll(
      () =>
        preview.db
          .prepare(
            "SELECT COUNT(*) AS n FROM sync_log WHERE channel_id = ? AND status = 'return_restock' AND message LIKE ?",
          )
          .get(o.channelId, `return test: waiting for a return of % (Odoo product ${productId}) processed%`) as {
          n: number
        },
      { timeout: 60_000 },
    )
    .toEqual({ n: 1 })
  odoo.store.validateIncoming(odoo.store.returnPicking(picking, new Map([[productId, 1]])))
  await expect(detail.locator('h2')).toContainText('Passed', { timeout: 120_000 })
  await expect(waiting).toHaveCount(0)
  await expect(detail.getByRole('status')).toContainText('The return reached every live channel.')
  await expect(detail).toContainText(`A return of ${named} (Odoo product ${productId}) in Odoo was seen`)

  // Every check passes: go live, no override.
  await page.getByRole('button', { name: 'Run checks' }).click()
  await expect(async () => {
    const badges = await steps.locator('.check-badge').allInnerTexts()
    expect(badges).toEqual(Array(7).fill('Passed'))
  }).toPass({ timeout: 60_000 })
  await expect(page.getByLabel('Why may this channel go live anyway? (logged)')).toHaveCount(0)
  await page.getByRole('button', { name: 'Go live', exact: true }).click()
  await expect(page.getByRole('status').filter({ hasText: /is live: / })).toHaveText(
    `${o.channelName} is live: every check passes.`,
  )
  await expect(page.getByRole('region', { name: 'Go live' })).toContainText('This channel is live.')
}

/** The first push after go-live: reviewed and confirmed where the guard holds it. */
export async function reviewFirstPush(page: Page, channelName: string, holds: boolean): Promise<void> {
  await openScreen(page, 'Full resync')
  const held = page.getByRole('region', { name: `Waiting for your confirmation: ${channelName}` })
  if (!holds) {
    // The screen has loaded the channels (the dry run offers this one) and holds nothing for it.
    await expect(
      page.getByRole('combobox', { name: 'Channel', exact: true }).getByRole('option', { name: channelName }),
    ).toHaveCount(1, { timeout: 30_000 })
    await expect(held).toHaveCount(0)
    return
  }
  await expect(held).toBeVisible({ timeout: 60_000 })
  await held.getByRole('button', { name: 'Review the changes' }).click()
  await expect(held.getByRole('table')).toBeVisible()
  await expect(held).toContainText('would change drastically')
  await held.getByRole('button', { name: 'Confirm and send' }).click()
  await expect(held).toHaveCount(0, { timeout: 30_000 })
}

/** Every listing on the channel's simulator shows what Odoo says is free (no buffer, nothing pending). */
export async function expectChannelShowsOdoo(
  probe: ChannelSimProbe,
  odoo: OdooSim,
  products: SimProduct[],
): Promise<void> {
  const bySku = new Map(probe.listingIndex().map((l) => [l.sku, l.listingId]))
  const want = () => Object.fromEntries(products.map((p) => [p.sku, odooFigure(odoo, p.id)]))
  const shown = () =>
    Object.fromEntries(products.map((p) => [p.sku, probe.listingState(bySku.get(p.sku) ?? p.ean)?.quantity]))
  await expect.poll(shown, { timeout: 90_000 }).toEqual(want())
  // Not the figures the channel started with.
  expect(Object.values(shown()).every((q) => q !== 1)).toBe(true)
}
