// "Faster orders" set up from the app only, against the simulators (issue #23, must show 3): the demo runs with
// an SQS simulator that Amazon's simulator publishes to, but nothing of it is set up in LastUnit. The seller
// opens Connections > Demo Amazon > Faster orders, sees the policies with the queue's ARN read from the URL
// typed, tries a wrong access key (the reason is shown, nothing stored changes), then the right one: Check
// passes (the queue answers, Amazon's subscription is created) and saves. An order placed on the Amazon
// simulator then reaches LastUnit through the queue, and the dashboard card shows the measured time. Then
// bol.com's Check on the same queue: its test event arrives while the engine reads the queue for Amazon.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Database } from 'better-sqlite3'
import { test as base } from '@playwright/test'
import { startPreview } from '../../main/node/preview/preview-host'
import { startDemoEnvironment } from '../../main/sandbox/demo-env'
import { readConfigRevision } from '../../main/node/db/repos/config-revision'
import { expect, rendererDir, type DemoPreview } from './fixtures'
import { expectAccessible, openScreen, shot } from './ui-helpers'

const test = base.extend<{ preview: DemoPreview }>({
  // eslint-disable-next-line no-empty-pattern
  preview: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lastunit-e2e-faster-'))
    const preview = await startPreview({
      dataDir,
      rendererDir,
      passphrase: 'e2e-test-passphrase-0123456789',
      demo: (o) => startDemoEnvironment({ ...o, fasterOrders: 'offered' }),
    })
    await use(preview)
    await preview.stop()
    rmSync(dataDir, { recursive: true, force: true })
  },
})

test.use({ bypassCSP: true, viewport: { width: 1360, height: 900 } })
test.setTimeout(180_000)

const stored = (db: Database) =>
  db
    .prepare(
      'SELECT owner, name, hex(ciphertext) AS c, updated_at AS at FROM credentials ORDER BY owner, name',
    )
    .all()

test('Faster orders on Amazon, set up in the app: a wrong key is refused with its reason, the right one brings orders in seconds', async ({
  page,
  preview,
}) => {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto(preview.host.openUrl)
  await page.getByRole('button', { name: /Try the demo/ }).click()
  await expect(page.getByTestId('status-pill')).not.toContainText('Not syncing', { timeout: 90_000 })
  const env = preview.runtime.demoEnvironment()!
  // Only the order this test places: the market stays still.
  env.stopMarket()
  const queue = env.queue!
  const amazon = env.channelIds.amazon
  const db = preview.runtime.db

  await openScreen(page, 'Connections')
  const row = page.getByTestId(`channel-row-${amazon}`)
  await row.locator('summary').click()
  const step = row.getByTestId(`faster-orders-${amazon}`)
  await expect(step.getByRole('heading', { name: 'Faster orders' })).toBeVisible()
  await expect(step.getByTestId('faster-orders-status')).toHaveText('Not set up: orders are polled.')
  await expect(step.getByTestId('faster-orders-arn')).toContainText('Type the queue URL below')

  // A URL that is not an SQS queue URL is refused with the reason, as it is typed.
  const url = step.getByLabel('Queue URL')
  await url.fill('https://example.com/123456789012/lastunit-orders')
  await expect(step.getByTestId('field-error')).toContainText('"example.com" is not an Amazon SQS address')
  // The simulator's URL: the policies show the queue's ARN, its region from the channel's simulator setting.
  await url.fill(queue.url)
  const arn = 'arn:aws:sqs:eu-west-1:000000000000:lastunit-demo-orders'
  await expect(step.getByTestId('faster-orders-arn')).toContainText(arn)
  await expect(step.locator('pre').first()).toContainText(`"Resource": "${arn}"`)
  await expect(step.locator('pre').nth(1)).toContainText('arn:aws:iam::437568002678:root')

  // A wrong key: the reason in plain words, and nothing stored changes.
  const credentialsBefore = stored(db)
  const revisionBefore = readConfigRevision(db)
  await step.getByLabel(/^Access key ID/).fill('AKIAWRONGWRONGWRONG1')
  await step.getByLabel(/^Secret access key/).fill('not-the-right-secret')
  await step.getByRole('button', { name: 'Check and save' }).click()
  const result = step.getByTestId('faster-orders-result')
  await expect(result).toContainText('A check failed', { timeout: 30_000 })
  await expect(result.getByTestId('faster-step-values')).toHaveAttribute('data-state', 'ok')
  await expect(result.getByTestId('faster-step-queue')).toHaveAttribute('data-state', 'failed')
  await expect(result.getByTestId('faster-step-queue')).toContainText('the access key id is not valid')
  await expect(result.getByTestId('faster-step-subscription')).toHaveAttribute('data-state', 'skipped')
  await expect(result).toContainText('Nothing was saved.')
  expect(stored(db)).toEqual(credentialsBefore)
  expect(readConfigRevision(db).connection).toBe(revisionBefore.connection)
  await expect(step.getByTestId('faster-orders-status')).toHaveText('Not set up: orders are polled.')
  await expectAccessible(page, 'faster-orders-failed')

  // The right key: the queue answers, Amazon's subscription is created, and the values are saved.
  await step.getByLabel(/^Access key ID/).fill(queue.accessKeyId)
  await step.getByLabel(/^Secret access key/).fill(queue.secretAccessKey)
  await step.getByRole('button', { name: 'Check and save' }).click()
  await expect(result).toContainText('Every check passed and the settings are saved', { timeout: 30_000 })
  await expect(result.getByTestId('faster-step-queue')).toContainText(
    `The queue answers with this key: ${arn}`,
  )
  await expect(result.getByTestId('faster-step-subscription')).toHaveAttribute('data-state', 'ok')
  await expect(result.getByTestId('faster-step-subscription')).toContainText(
    'Amazon sends order events to the queue',
  )
  // Honest about what was not checked.
  await expect(result.getByTestId('faster-step-event')).toHaveAttribute('data-state', 'skipped')
  await expect(result.getByTestId('faster-step-event')).toContainText('Amazon sends no test event on request')
  await expect(step.getByTestId('faster-orders-status')).toHaveText('Set up: orders come through your queue.')
  // Write-only: the fields are empty again, each saying it is saved.
  await expect(url).toHaveValue('')
  await expect(url).toHaveAttribute('placeholder', 'saved; type to replace')
  await expectAccessible(page, 'faster-orders')
  await step.scrollIntoViewIfNeeded()
  await shot(page, 'connections-faster-orders')

  // The engine now reads the queue: the dashboard card says so.
  await openScreen(page, 'Dashboard')
  const card = page.getByTestId(`channel-${amazon}`)
  await expect(card.getByTestId('orders-seen')).toContainText('(queue', { timeout: 60_000 })

  // An order placed on the Amazon simulator: pending in LastUnit through the queue, with its measured time.
  const listing = env.sims.amazon.probe
    .listingIndex()
    .find((l) => (env.sims.amazon.probe.listingState(l.listingId)?.quantity ?? 0) >= 1)!
  const sku = listing.sku!
  const { orderId } = env.placeOrder('amazon', sku, 1)
  await expect(card.getByTestId('orders-seen')).toHaveText(/^\d+(\.\d)? s \(queue\)$/, { timeout: 60_000 })
  const notified = db
    .prepare(`SELECT outcome FROM queue_messages WHERE order_id = ? AND channel_id = ?`)
    .all(orderId, amazon) as Array<{ outcome: string }>
  expect(notified.length).toBeGreaterThan(0)
  await openScreen(page, 'Orders')
  await page.getByLabel('Search orders').fill(orderId)
  await expect(page.getByTestId('order-row')).toHaveCount(1, { timeout: 30_000 })
  await expect(page.getByTestId('order-row')).toContainText(sku)

  // bol.com on the same queue, checked (not saved) while the engine reads it for Amazon: bol.com's test push
  // reaches the queue, the engine's reader recognises it, and the step says how long it took.
  const bol = env.channelIds.bol
  await openScreen(page, 'Connections')
  const bolRow = page.getByTestId(`channel-row-${bol}`)
  await bolRow.locator('summary').click()
  const bolStep = bolRow.getByTestId(`faster-orders-${bol}`)
  await bolStep.getByLabel('Queue URL').fill(queue.url)
  await bolStep.getByLabel(/^Access key ID/).fill(queue.accessKeyId)
  await bolStep.getByLabel(/^Secret access key/).fill(queue.secretAccessKey)
  await bolStep.getByLabel(/^IAM role for bol.com/).fill('arn:aws:iam::000000000000:role/bol-orders')
  await bolStep.getByRole('button', { name: 'Check', exact: true }).click()
  const bolResult = bolStep.getByTestId('faster-orders-result')
  await expect(bolResult).toContainText('Every check passed', { timeout: 60_000 })
  await expect(bolResult.getByTestId('faster-step-event')).toHaveAttribute('data-state', 'ok')
  await expect(bolResult.getByTestId('faster-step-event')).toContainText(
    /bol\.com's test event arrived in \d+\.\d s\./,
  )
  expect(errors).toEqual([])
})
