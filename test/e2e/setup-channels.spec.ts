// A new seller sets up each channel type from an empty data folder, in the app only: Odoo and the
// channel's settings and credentials in Connections (tested, then saved), warehouses, listings fetched
// and mapped, every pre-launch check for real (no override), go-live, the first push reviewed where the
// guard holds it; then the channel's simulator shows Odoo's figures.
import type { Locator, Page } from '@playwright/test'
import { startAmazonSimulator, AMAZON_SIM_CREDENTIALS } from '../../main/sandbox/channels/amazon'
import { startBolSimulator, BOL_SIM_CREDENTIALS } from '../../main/sandbox/channels/bol'
import { startEbaySimulator, EBAY_SIM_CREDENTIALS } from '../../main/sandbox/channels/ebay'
import { startKauflandSimulator } from '../../main/sandbox/channels/kaufland'
import { startZalandoSimulator } from '../../main/sandbox/channels/zalando'
import { startShopifySimulator } from '../../main/sandbox/channels/shopify'
import { startWooCommerceSimulator } from '../../main/sandbox/channels/woocommerce'
import type { ChannelSimProbe } from '../../main/sandbox/kit'
import type { ChannelType } from '../../shared/channel-types'
import type { OdooSim } from '../../main/sandbox/odoo/odoo-sim'
import {
  chooseStock,
  connectOdoo,
  expect,
  expectChannelShowsOdoo,
  fetchAndMap,
  openScreen,
  pickOdooChoices,
  reviewFirstPush,
  runChecklist,
  startChannel,
  startOdoo,
  test,
  testThenSave,
  TIME_SCALE,
  type SimProduct,
} from './setup-helpers'

test.use({ viewport: { width: 1360, height: 900 } })
test.setTimeout(300_000)

interface ChannelSim {
  probe: ChannelSimProbe
  stop(): Promise<void>
  /** Fills the channel's own settings and credentials, as the seller types them. */
  fill(form: Locator, page: Page): Promise<void>
}

interface Case {
  type: ChannelType
  odooVersion: 17 | 18 | 19
  /** The channel cannot read stock back: the seller confirms the single stock source. */
  confirmSingleSource?: boolean
  /** The first push is held for review (the channel's current figures are known and change a lot). */
  guardHolds: boolean
  start(products: SimProduct[]): Promise<ChannelSim>
}

/** A custom address (the simulator) instead of the marketplace's own. */
const customAddress = async (form: Locator, url: string) => {
  await form.getByLabel('Environment').selectOption('custom')
  await form.getByLabel('Custom address', { exact: true }).fill(url)
}

const CASES: Case[] = [
  {
    type: 'amazon',
    odooVersion: 19,
    guardHolds: true,
    async start(products) {
      const sim = await startAmazonSimulator({ timeScale: TIME_SCALE })
      sim.setListings(products.map((p) => ({ sku: p.sku, quantity: 1, title: p.name })))
      return {
        probe: sim.probe,
        stop: () => sim.stop(),
        async fill(form) {
          await customAddress(form, sim.url)
          await form.getByLabel('Login address (token URL)').fill(`${sim.url}/auth/o2/token`)
          await form.getByRole('checkbox', { name: 'Amazon.de', exact: true }).check()
          await form.getByLabel('Seller ID (merchant token)').fill(sim.sellerId)
          await form.getByLabel('LWA client ID').fill(AMAZON_SIM_CREDENTIALS.clientId)
          await form.getByLabel('LWA client secret').fill(AMAZON_SIM_CREDENTIALS.clientSecret)
          await form.getByLabel('Refresh token').fill(AMAZON_SIM_CREDENTIALS.refreshToken)
        },
      }
    },
  },
  {
    type: 'bol',
    odooVersion: 18,
    guardHolds: true,
    async start(products) {
      const sim = await startBolSimulator({ timeScale: TIME_SCALE })
      sim.setOffers(products.map((p) => ({ ean: p.ean, reference: p.sku, amount: 1 })))
      return {
        probe: sim.probe,
        stop: () => sim.stop(),
        async fill(form) {
          await customAddress(form, sim.baseUrl)
          await form.getByLabel('Login address (token URL)').fill(sim.tokenUrl)
          await form.getByLabel('Check for orders every (seconds)').fill('30')
          await form.getByLabel('Client ID').fill(BOL_SIM_CREDENTIALS.clientId)
          await form.getByLabel('Client secret').fill(BOL_SIM_CREDENTIALS.clientSecret)
        },
      }
    },
  },
  {
    type: 'zalando',
    odooVersion: 17,
    confirmSingleSource: true,
    // zDirect cannot read stock back: the channel's figures are unknown, nothing "changes drastically".
    guardHolds: false,
    async start(products) {
      const sim = await startZalandoSimulator({
        specsDir: null,
        limits: { windowMs: Math.round(60_000 / TIME_SCALE) },
      })
      sim.setArticles(products.map((p) => ({ ean: p.ean, external_id: p.sku, onboarded: true, quantity: 1 })))
      return {
        probe: sim.probe,
        stop: () => sim.stop(),
        async fill(form) {
          await customAddress(form, sim.url)
          await form.getByLabel('Merchant ID').fill(sim.merchantId)
          // The simulator's merchant sells in Sweden and France.
          await form.getByRole('checkbox', { name: 'Sweden (zalando.se)' }).check()
          await form.getByRole('checkbox', { name: 'France (zalando.fr)' }).check()
          expect([...sim.salesChannelIds].sort()).toEqual(
            ['091dcbdd-7839-4f39-aa05-324eb4599df0', '733af55a-4133-4d7c-b5f3-d64d42c135fe'].sort(),
          )
          await form.getByLabel('Client ID').fill(sim.clientId)
          await form.getByLabel('Client secret').fill(sim.clientSecret)
        },
      }
    },
  },
  {
    type: 'kaufland',
    odooVersion: 19,
    guardHolds: true,
    async start(products) {
      const sim = await startKauflandSimulator({ specsDir: null })
      sim.setUnits(
        products.map((p, i) => ({
          id_unit: 700_000 + i,
          id_offer: p.sku,
          ean: p.ean,
          title: p.name,
          amount: 1,
        })),
      )
      return {
        probe: sim.probe,
        stop: () => sim.stop(),
        async fill(form) {
          await customAddress(form, sim.url)
          await form.getByLabel('Storefront').selectOption('de')
          await form.getByLabel('Client key').fill(sim.clientKey)
          await form.getByLabel('Secret key').fill(sim.secretKey)
        },
      }
    },
  },
  {
    type: 'ebay',
    odooVersion: 18,
    guardHolds: true,
    async start(products) {
      const sim = await startEbaySimulator({ timeScale: TIME_SCALE })
      sim.setListings(products.map((p) => ({ sku: p.sku, ean: p.ean, quantity: 1, title: p.name })))
      return {
        probe: sim.probe,
        stop: () => sim.stop(),
        async fill(form) {
          await customAddress(form, sim.url)
          await form.getByLabel('eBay site').selectOption(sim.marketplaceId)
          await form.getByLabel('App ID (client ID)').fill(EBAY_SIM_CREDENTIALS.clientId)
          await form.getByLabel('Cert ID (client secret)').fill(EBAY_SIM_CREDENTIALS.clientSecret)
          await form.getByLabel('User refresh token').fill(EBAY_SIM_CREDENTIALS.refreshToken)
        },
      }
    },
  },
  {
    type: 'shopify',
    odooVersion: 19,
    guardHolds: true,
    async start(products) {
      const sim = await startShopifySimulator({})
      sim.setProducts(
        products.map((p) => ({ title: p.name, variants: [{ sku: p.sku, barcode: p.ean, available: 1 }] })),
      )
      return {
        probe: sim.probe,
        stop: () => sim.stop(),
        async fill(form) {
          await form.getByLabel('Shop address').fill(sim.url)
          await form.getByLabel('Admin API access token').fill(sim.accessToken)
          // The stock location, picked from the shop's own list.
          await form.getByRole('button', { name: 'Load locations' }).click()
          const location = form.getByLabel('Stock location')
          await expect(location.locator(`option[value="${sim.locationId}"]`)).toHaveCount(1, {
            timeout: 20_000,
          })
          await location.selectOption(sim.locationId)
        },
      }
    },
  },
  {
    type: 'woocommerce',
    odooVersion: 17,
    guardHolds: true,
    async start(products) {
      const sim = await startWooCommerceSimulator({})
      sim.setProducts(
        products.map((p) => ({ name: p.name, sku: p.sku, gtin: p.ean, stock: 1, manageStock: true })),
      )
      return {
        probe: sim.probe,
        stop: () => sim.stop(),
        async fill(form) {
          await form.getByLabel('Shop address').fill(sim.url)
          await form.getByLabel('How the key is sent').selectOption('basic')
          await form.getByLabel('Consumer key').fill(sim.consumerKey)
          await form.getByLabel('Consumer secret').fill(sim.consumerSecret)
        },
      }
    },
  },
]

interface Started {
  c: Case
  odoo: OdooSim
  products: SimProduct[]
  sim: ChannelSim
}

/** The test's simulators: Odoo and the channel its title names, started before and stopped after it. */
const setup = test.extend<{ sims: Started }>({
  // eslint-disable-next-line no-empty-pattern
  sims: async ({}, use, testInfo) => {
    const type = /^sets up (\w+) from scratch$/.exec(testInfo.title)?.[1]
    const c = CASES.find((x) => x.type === type)
    if (!c) throw new Error(`no simulators for "${testInfo.title}"`)
    const { odoo, products } = await startOdoo(c.odooVersion)
    let sim: ChannelSim
    try {
      sim = await c.start(products)
    } catch (e) {
      await odoo.stop()
      throw e
    }
    await use({ c, odoo, products, sim })
    await sim.stop()
    await odoo.stop()
  },
})

for (const { type } of CASES) {
  setup(`sets up ${type} from scratch`, async ({ page, preview, sims }) => {
    const { c, odoo, products, sim } = sims
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    const channelId = `${c.type}-shop`
    const channelName = `My ${c.type} channel`
    await page.goto(preview.host.openUrl)
    await expect(page.getByRole('heading', { name: 'Welcome to LastUnit' })).toBeVisible()
    await connectOdoo(page, odoo)

    const form = await startChannel(page, { type: c.type, id: channelId, name: channelName })
    await sim.fill(form, page)
    await pickOdooChoices(form)
    await testThenSave(page, form, channelId, c.type === 'amazon' ? 'connections-channel' : undefined)

    await chooseStock(page, channelName)
    await fetchAndMap(page, products.length)
    await runChecklist(page, preview, odoo, {
      channelId,
      channelName,
      ...(c.confirmSingleSource ? { confirmSingleSource: true } : {}),
    })
    await reviewFirstPush(page, channelName, c.guardHolds)
    await expectChannelShowsOdoo(sim.probe, odoo, products)
    if (c.type === 'bol') {
      // The order interval typed in the form is stored with the channel (this preview's engine reads
      // orders every 2 s whatever the channel says, and its dashboard says so).
      const row = preview.db.prepare('SELECT settings FROM channels WHERE id = ?').get(channelId) as {
        settings: string
      }
      expect(JSON.parse(row.settings)).toMatchObject({ orderPollSeconds: '30' })
      await openScreen(page, 'Dashboard')
      await expect(page.getByTestId(`channel-${channelId}`).getByTestId('orders-seen')).toHaveText('2 s')
    }
    expect(errors).toEqual([])
  })
}
