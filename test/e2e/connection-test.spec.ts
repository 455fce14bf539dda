// Testing never saves: with the demo syncing, a wrong secret typed into a channel and tested, and a wrong
// Odoo key in "Save and test", change nothing stored, and every channel keeps syncing. What was typed
// stays in the form so a typo can be fixed; leaving with it unsaved asks first.
import type { Database } from 'better-sqlite3'
import { readConfigRevision } from '../../main/node/db/repos/config-revision'
import { test, expect, type DemoPreview as Preview } from './fixtures'
import { expectAccessible, openScreen, shot } from './ui-helpers'

test.use({ bypassCSP: true, viewport: { width: 1360, height: 900 } })
test.setTimeout(180_000)

const stored = (db: Database) =>
  db
    .prepare(
      'SELECT owner, name, hex(ciphertext) AS c, updated_at AS at FROM credentials ORDER BY owner, name',
    )
    .all()

/** Raises a product's stock in Odoo and waits until the channel's simulator shows the new figure. */
async function expectSyncGoesOn(preview: Preview, channelId: string): Promise<void> {
  const env = preview.runtime.demoEnvironment()!
  const db = preview.runtime.db
  const engine = preview.runtime.engine()!
  const row = db
    .prepare(
      `SELECT m.listing_id AS listing, m.product_id AS product FROM sku_mappings m
       WHERE m.channel_id = ? ORDER BY m.listing_id LIMIT 1`,
    )
    .get(channelId) as { listing: string; product: number }
  await expect.poll(() => engine.explain(channelId, row.listing)?.quantity ?? null).not.toBeNull()
  const before = engine.explain(channelId, row.listing)!.quantity
  const store = env.sims.odoo.store
  const loc = env.locationIds[0]!
  const freeBefore = store.stockOf(row.product, env.locationIds).free
  store.applyInventory(row.product, loc, store.stockOf(row.product, [loc]).onHand + 30)
  const expected = before + store.stockOf(row.product, env.locationIds).free - freeBefore
  expect(expected).toBeGreaterThan(before)
  await expect
    .poll(() => env.sims.bol.probe.listingState(row.listing)?.quantity, { timeout: 30_000 })
    .toBe(expected)
  expect(engine.status().channels.find((c) => c.channelId === channelId)?.state).toBe('running')
}

test('testing wrong credentials changes nothing stored and sync goes on', async ({ page, preview }) => {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto(preview.host.openUrl)
  await page.getByRole('button', { name: /Try the demo/ }).click()
  await expect(page.getByTestId('status-pill')).not.toContainText('Not syncing', { timeout: 90_000 })
  const env = preview.runtime.demoEnvironment()!
  env.stopMarket()
  const db = preview.runtime.db
  const bol = env.channelIds.bol
  const credentialsBefore = stored(db)
  const revisionBefore = readConfigRevision(db)

  await openScreen(page, 'Connections')
  const row = page.getByTestId(`channel-row-${bol}`)
  await expect(row.locator('summary').getByTestId('last-test')).toContainText('Not tested yet')
  await row.locator('summary').click()
  const form = row.getByRole('form', { name: 'Demo bol.com', exact: true })
  // Plain labels, write-only secrets: a saved one is never shown, only that it is saved.
  const secret = form.getByLabel('Client secret')
  await expect(secret).toHaveValue('')
  await expect(secret).toHaveAttribute('placeholder', 'Saved. Type a new one only to replace it')
  await expect(form).toContainText('bol.com partner platform > Settings > API settings')

  await secret.fill('not-the-right-secret')
  await form.getByRole('button', { name: 'Test connection' }).click()
  const result = form.getByTestId('channel-test-result')
  await expect(result).toContainText('Could not connect', { timeout: 30_000 })
  await expect(result).toContainText('"Client secret"')
  await expect(result).not.toContainText('in Connections')
  // What was typed stays, to fix the typo; the row shows the failed test with its time.
  await expect(secret).toHaveValue('not-the-right-secret')
  await expect(form).toContainText('Changes not saved yet.')
  await expect(row.locator('summary').getByTestId('last-test')).toContainText(
    /Last test \d+ s ago: failed \(on values not saved\)/,
  )
  await expectAccessible(page, 'connections-failed-test')
  await shot(page, 'connections-failed-test')

  // Nothing stored changed: not the credential, not the configuration; the engine was not restarted.
  expect(stored(db)).toEqual(credentialsBefore)
  expect(readConfigRevision(db)).toEqual(revisionBefore)
  await expectSyncGoesOn(preview, bol)

  // A wrong Odoo key in "Save and test": nothing is saved, "Save anyway" is offered, sync goes on.
  const odoo = page.getByRole('form', { name: 'Odoo' })
  await odoo.getByLabel('API key').fill('wrong-odoo-key')
  await odoo.getByRole('button', { name: 'Save and test' }).click()
  const odooResult = page.getByTestId('odoo-test-result')
  await expect(odooResult).toContainText('Could not connect', { timeout: 30_000 })
  await expect(odooResult).toContainText('Nothing was saved: sync goes on with the settings that were there.')
  await expect(odoo.getByRole('button', { name: 'Save anyway' })).toBeVisible()
  await expect(odoo.getByLabel('API key')).toHaveValue('wrong-odoo-key')
  expect(stored(db)).toEqual(credentialsBefore)
  expect(readConfigRevision(db)).toEqual(revisionBefore)
  await expect(page.getByTestId('status-pill')).not.toContainText('Not syncing')
  await expectSyncGoesOn(preview, bol)

  // Leaving with the typed values unsaved asks; staying keeps them.
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Dashboard' }).click()
  const dialog = page.getByRole('alertdialog', { name: 'Leave without saving?' })
  await expect(dialog).toBeVisible()
  await dialog.getByRole('button', { name: 'Stay and save' }).click()
  await expect(dialog).toHaveCount(0)
  await expect(page.getByRole('heading', { name: 'Connections', level: 1 })).toBeVisible()
  await expect(secret).toHaveValue('not-the-right-secret')
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Dashboard' }).click()
  await dialog.getByRole('button', { name: 'Leave without saving' }).click()
  await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible()
  expect(stored(db)).toEqual(credentialsBefore)
  expect(errors).toEqual([])
})
