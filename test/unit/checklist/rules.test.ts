import { describe, expect, it } from 'vitest'
import {
  CHECK_IDS,
  STUCK_QUEUE_MS,
  checkConfigHash,
  decideGoLive,
  evaluateCheck,
  evaluateChecklist,
  storedResultsView,
  type CheckId,
  type ChecklistSnapshot,
  type StoredCheckResult,
} from '../../../main/core/checklist'

const NOW = Date.parse('2026-11-20T10:00:00Z')

/** A snapshot of a channel where every check passes; each test breaks one thing. */
function healthy(): ChecklistSnapshot {
  const config: ChecklistSnapshot['config'] = {
    channel: {
      id: 'bol-1',
      type: 'bol',
      baseUrl: 'https://api.bol.com',
      stockBasis: 'free',
      zeroStockAction: 'pause',
      settings: {},
    },
    channelIds: ['amz', 'bol-1'],
    locationIds: [8, 20],
    listingIds: ['L1', 'L2'],
    mappings: [
      ['L1', 1],
      ['L2', 2],
    ],
    bufferRules: [],
  }
  const stored: ChecklistSnapshot['stored'] = {}
  for (const id of ['zero_stock', 'return_restock'] as const)
    stored[id] = {
      checkId: id,
      status: 'pass',
      evidence: `${id} ran`,
      configHash: checkConfigHash(id, config),
      checkedAt: NOW - 60_000,
      overrideReason: null,
    }
  return {
    now: NOW,
    today: '2026-11-20',
    channelId: 'bol-1',
    channelName: 'bol.com',
    config,
    engineRunning: true,
    odoo: { lastPollAt: NOW - 3000, lastError: null, pollIntervalMs: 5000 },
    channels: [
      {
        channelId: 'amz',
        name: 'Amazon',
        type: 'amazon',
        state: 'live',
        run: {
          state: 'running',
          queueDepth: 0,
          lastConfirmedAt: NOW - 20_000,
          lastError: null,
          latencyP99Ms: 4000,
        },
      },
      { channelId: 'bol-1', name: 'bol.com', type: 'bol', state: 'setup', run: null },
    ],
    readBack: { supported: true, method: 'reconcile', checked: 2, drifted: 0, at: NOW - 1000 },
    listings: [
      { listingId: 'L1', sku: 'SKU-1', title: 'One', mapped: true },
      { listingId: 'L2', sku: 'SKU-2', title: 'Two', mapped: true },
    ],
    products: [
      { productId: 1, name: 'Slow mug', salesPerDay: 1, channelCount: 2 },
      { productId: 2, name: 'Fast tee', salesPerDay: 40, channelCount: 2 },
    ],
    locationTree: [
      { id: 7, completeName: 'WH', usage: 'view', parentPath: '1/7/', companyId: 1 },
      { id: 8, completeName: 'WH/Stock', usage: 'internal', parentPath: '1/7/8/', companyId: 1 },
      { id: 9, completeName: 'WH/Stock/Shelf 1', usage: 'internal', parentPath: '1/7/8/9/', companyId: 1 },
      { id: 20, completeName: 'WH2/Stock', usage: 'internal', parentPath: '1/19/20/', companyId: 1 },
      { id: 30, completeName: 'Partners/Customers', usage: 'customer', parentPath: '1/30/', companyId: null },
      { id: 40, completeName: 'Other Co/Stock', usage: 'internal', parentPath: '1/39/40/', companyId: 2 },
    ],
    stored,
  }
}

const check = (id: CheckId, s: ChecklistSnapshot) => evaluateCheck(id, s)

describe('checklist rules', () => {
  it('a healthy setup passes all seven checks, each naming its evidence and the screen that fixes it', () => {
    const results = evaluateChecklist(healthy())
    expect(results.map((r) => r.id)).toEqual([...CHECK_IDS])
    for (const r of results) {
      expect(r.status, `${r.id}: ${r.evidence}`).toBe('pass')
      expect(r.fix).toBeNull()
      expect(r.evidence.length).toBeGreaterThan(10)
      expect(r.why.length).toBeGreaterThan(10)
    }
    expect(results.find((r) => r.id === 'warehouses')!.screen).toBe('warehouses')
    expect(results.find((r) => r.id === 'skus_mapped')!.screen).toBe('mapping')
  })

  describe('single stock source', () => {
    it('fails when read-back finds quantities LastUnit did not publish', () => {
      const s = healthy()
      s.readBack = { supported: true, method: 'reconcile', checked: 10, drifted: 3, at: NOW }
      const r = check('single_source', s)
      expect(r.status).toBe('fail')
      expect(r.evidence).toContain('3 showed a quantity LastUnit did not publish')
      expect(r.fix).toMatch(/switch it off/)
      expect(r.screen).toBe('connections')
    })
    it('on a channel LastUnit does not write yet, fails when listings change between two read-backs', () => {
      const s = healthy()
      s.readBack = { supported: true, method: 'unchanged', checked: 6, drifted: 1, at: NOW }
      expect(check('single_source', s)).toMatchObject({
        status: 'fail',
        evidence: 'Read back 6 listings twice while LastUnit wrote nothing: 1 changed in between.',
      })
      s.readBack = { ...s.readBack, drifted: 0 }
      expect(check('single_source', s).status).toBe('pass')
    })
    it('warns when the channel cannot read back, and has not run without a read-back', () => {
      const s = healthy()
      s.readBack = { supported: false, method: 'unchanged', checked: 0, drifted: 0, at: NOW }
      expect(check('single_source', s).status).toBe('warn')
      s.readBack = null
      expect(check('single_source', s).status).toBe('not_run')
    })
  })

  describe('real-time sync on every channel', () => {
    it('fails when Odoo polling has stopped', () => {
      const s = healthy()
      s.odoo = { lastPollAt: NOW - 10 * 60_000, lastError: null, pollIntervalMs: 5000 }
      const r = check('sync_active', s)
      expect(r.status).toBe('fail')
      expect(r.evidence).toContain('Odoo was last polled 10 min ago')
    })
    it('fails on a live channel with a stuck queue or one that needs the seller', () => {
      const s = healthy()
      s.channels[0]!.run = {
        state: 'running',
        queueDepth: 12,
        lastConfirmedAt: NOW - STUCK_QUEUE_MS - 1,
        lastError: null,
        latencyP99Ms: null,
      }
      expect(check('sync_active', s).evidence).toContain('Amazon has 12 items stuck in its queue')
      s.channels[0]!.run = { ...s.channels[0]!.run, queueDepth: 0, state: 'needs_seller' }
      expect(check('sync_active', s)).toMatchObject({ status: 'fail', screen: 'dashboard' })
    })
    it('fails when sync is not running at all', () => {
      const s = healthy()
      s.engineRunning = false
      expect(check('sync_active', s).status).toBe('fail')
    })
    it('a queue that is moving is not stuck', () => {
      const s = healthy()
      s.channels[0]!.run!.queueDepth = 40
      expect(check('sync_active', s).status).toBe('pass')
    })
    it('names where the status came from when the engine runs in another process', () => {
      const s = healthy()
      s.syncSource = 'the engine of `lastunit run` (process 42), status 2 s old'
      expect(check('sync_active', s).evidence).toMatch(
        /^Odoo polled 3 s ago; 1 live channels running .* \(read from the engine of `lastunit run` \(process 42\), status 2 s old\)\.$/,
      )
    })
    describe('no engine runs anywhere: the check polled Odoo itself', () => {
      const probed = () => {
        const s = healthy()
        s.engineRunning = false
        s.odoo = null
        s.odooProbe = { at: NOW - 1000, error: null }
        return s
      }
      it('passes while no other channel is live, and says how it knows', () => {
        const s = probed()
        s.channels[0]!.state = 'setup'
        s.channels[0]!.run = null
        const r = check('sync_active', s)
        expect(r.status).toBe('pass')
        expect(r.evidence).toBe(
          'No channel is live yet, so no sync has to run for the others; this check polled Odoo itself 1 s ago and it answered. bol.com is synced from the moment it is live, while LastUnit runs (the app, or `lastunit run`).',
        )
        expect(r.next).toBeNull()
      })
      it('fails while another channel is live, since nothing syncs it, and names starting sync', () => {
        const r = check('sync_active', probed())
        expect(r).toMatchObject({
          status: 'fail',
          evidence: 'Sync is not running: Amazon is live but nothing syncs it.',
          next: 'start_sync',
        })
      })
      it('fails when Odoo did not answer, and names fixing the connection', () => {
        const s = probed()
        s.odooProbe = { at: NOW, error: 'Odoo refused the API key.' }
        expect(check('sync_active', s)).toMatchObject({ status: 'fail', next: 'fix_odoo' })
        expect(check('sync_active', s).evidence).toContain('Odoo did not answer the poll this check made')
      })
    })
  })

  describe('the step that moves an open check on', () => {
    it('is named for every open check and absent for a passing one', () => {
      const s = healthy()
      s.listings = []
      s.readBack = null
      s.readBackError = 'the channel answered 401'
      s.stored = {}
      const by = Object.fromEntries(evaluateChecklist(s).map((r) => [r.id, r]))
      expect(by.skus_mapped!.next).toBe('fetch_listings')
      expect(by.single_source).toMatchObject({
        status: 'not_run',
        evidence: 'The channel could not be read back: the channel answered 401.',
        next: 'fix_channel',
      })
      expect(by.zero_stock!.next).toBe('zero_stock_test')
      expect(by.return_restock!.next).toBe('return_test')
      expect(by.warehouses!.next).toBeNull()
      s.listings = [{ listingId: 'L1', sku: 'SKU-1', title: 'One', mapped: false }]
      expect(check('skus_mapped', s).next).toBe('map_listings')
    })
  })

  describe('buffers sized to velocity', () => {
    it('fails when a fast mover has a buffer below the recommended one, and passes once a rule covers it', () => {
      const s = healthy()
      s.config.bufferRules = [{ scope: 'velocity_class', velocityClass: 'fast', buffer: 0 }]
      const r = check('buffers', s)
      expect(r.status).toBe('fail')
      expect(r.evidence).toMatch(/Fast tee has 0, needs \d+/)
      expect(r.screen).toBe('buffers')
      s.config.bufferRules.push({ scope: 'product', productId: 2, buffer: 10 })
      expect(check('buffers', s).status).toBe('pass')
    })
    it('sizes the recommendation by the other channels the product is on (the buffer policy)', () => {
      const s = healthy()
      s.config.bufferRules = [{ scope: 'velocity_class', velocityClass: 'fast', buffer: 0 }]
      // On bol alone nothing else can sell its last unit: no buffer is needed.
      s.products = [
        { productId: 2, name: 'Fast tee', salesPerDay: 40, channelCount: 1, channelIds: ['bol-1'] },
      ]
      expect(check('buffers', s).status).toBe('pass')
      // Beside Amazon (orders seen every 225 s), bol holds units back.
      s.products = [
        { productId: 2, name: 'Fast tee', salesPerDay: 40, channelCount: 2, channelIds: ['amz', 'bol-1'] },
      ]
      expect(check('buffers', s).status).toBe('fail')
    })
    it('has nothing to check before products are mapped', () => {
      const s = healthy()
      s.products = []
      expect(check('buffers', s).status).toBe('not_run')
    })
  })

  describe('zero-stock behaviour', () => {
    it('fails with the failed run, and has not run without one', () => {
      const s = healthy()
      s.stored.zero_stock = { ...s.stored.zero_stock!, status: 'fail', evidence: 'still available' }
      expect(check('zero_stock', s)).toMatchObject({ status: 'fail', evidence: 'still available' })
      delete s.stored.zero_stock
      const r = check('zero_stock', s)
      expect(r.status).toBe('not_run')
      expect(r.fix).toMatch(/pushed to 0/)
    })
    it('goes stale when the zero-stock action changes after the test', () => {
      const s = healthy()
      s.config.channel.zeroStockAction = 'push_zero'
      const r = check('zero_stock', s)
      expect(r.status).toBe('not_run')
      expect(r.evidence).toMatch(/no longer applies/)
    })
  })

  describe('all active SKUs mapped', () => {
    it('fails naming the unmapped listing', () => {
      const s = healthy()
      s.listings.push({ listingId: 'L3', sku: 'NOPE-1', title: 'Ghost', mapped: false })
      const r = check('skus_mapped', s)
      expect(r.status).toBe('fail')
      expect(r.evidence).toBe('1 of 3 listings are not mapped to an Odoo product: NOPE-1.')
      expect(r.screen).toBe('mapping')
    })
    it('fails when no listings were fetched', () => {
      const s = healthy()
      s.listings = []
      expect(check('skus_mapped', s).status).toBe('fail')
    })
  })

  describe('warehouse rules', () => {
    it('fails when a location and its parent are both chosen', () => {
      const s = healthy()
      s.config.locationIds = [8, 9]
      const r = check('warehouses', s)
      expect(r.status).toBe('fail')
      expect(r.evidence).toContain('WH/Stock/Shelf 1 is counted twice (WH/Stock already includes it)')
      expect(r.screen).toBe('warehouses')
    })
    it('fails on non-internal and other-company locations, and on none chosen', () => {
      const s = healthy()
      s.config.locationIds = [8, 30, 40]
      const r = check('warehouses', s)
      expect(r.evidence).toContain('Partners/Customers is not a stock location (customer)')
      expect(r.evidence).toContain('Other Co/Stock belongs to another company')
      s.config.locationIds = []
      expect(check('warehouses', s).status).toBe('fail')
    })
    it('has not run when the location tree was never read', () => {
      const s = healthy()
      s.locationTree = null
      expect(check('warehouses', s).status).toBe('not_run')
    })
  })

  describe('return restock flow', () => {
    it('passes with its run, goes stale when a channel is added', () => {
      const s = healthy()
      expect(check('return_restock', s).status).toBe('pass')
      s.config.channelIds = [...s.config.channelIds, 'shopify-1']
      expect(check('return_restock', s).status).toBe('not_run')
    })
    it('fails with a failed run', () => {
      const s = healthy()
      s.stored.return_restock = {
        ...s.stored.return_restock!,
        status: 'fail',
        evidence: 'not confirmed on Amazon',
      }
      expect(check('return_restock', s)).toMatchObject({ status: 'fail', screen: 'checklist' })
    })
  })

  describe('staleness', () => {
    const storedFrom = (s: ChecklistSnapshot): Partial<Record<CheckId, StoredCheckResult>> =>
      Object.fromEntries(
        evaluateChecklist(s).map((r) => [
          r.id,
          {
            checkId: r.id,
            status: r.status,
            evidence: r.evidence,
            configHash: r.configHash,
            checkedAt: r.checkedAt,
            overrideReason: r.overrideReason,
          },
        ]),
      )
    const hashes = (s: ChecklistSnapshot) =>
      Object.fromEntries(CHECK_IDS.map((id) => [id, checkConfigHash(id, s.config)])) as Record<
        CheckId,
        string
      >

    it('a stored result stays valid while its configuration is unchanged, whatever the key order', () => {
      const s = healthy()
      const stored = storedFrom(s)
      s.config.channel = { ...s.config.channel, settings: {} }
      expect(storedResultsView(stored, hashes(s)).every((r) => !r.stale && r.status === 'pass')).toBe(true)
    })

    it('changing a mapping makes exactly the checks that covered mappings stale', () => {
      const s = healthy()
      const stored = storedFrom(s)
      s.config.mappings = [
        ['L1', 1],
        ['L2', 3],
      ]
      const view = storedResultsView(stored, hashes(s))
      const stale = view.filter((r) => r.stale).map((r) => r.id)
      expect(stale.sort()).toEqual(['buffers', 'skus_mapped'])
      const r = view.find((x) => x.id === 'skus_mapped')!
      expect(r.status).toBe('not_run')
      expect(r.evidence).toMatch(/^Stale: the configuration this check covered changed/)
    })

    it('adding a channel makes the sync check of every channel stale', () => {
      const s = healthy()
      const stored = storedFrom(s)
      s.config.channelIds.push('new-shop')
      const stale = storedResultsView(stored, hashes(s)).filter((r) => r.stale)
      expect(stale.map((r) => r.id).sort()).toEqual(['return_restock', 'sync_active'])
    })

    it('changing the chosen locations makes the warehouse check stale', () => {
      const s = healthy()
      const stored = storedFrom(s)
      s.config.locationIds = [8, 9]
      const stale = storedResultsView(stored, hashes(s)).filter((r) => r.stale)
      expect(stale.map((r) => r.id).sort()).toEqual(['return_restock', 'warehouses'])
    })
  })

  describe('go-live decision', () => {
    it('allows going live only when all pass, or with a reason for the rest', () => {
      const s = healthy()
      s.listings.push({ listingId: 'L3', sku: 'X', title: 'X', mapped: false })
      const results = evaluateChecklist(s)
      expect(decideGoLive(results)).toMatchObject({ allowed: false })
      expect(decideGoLive(results).blocking.map((r) => r.id)).toEqual(['skus_mapped'])
      expect(decideGoLive(results, '   ').allowed).toBe(false)
      const o = decideGoLive(results, 'L3 is a discontinued bundle, delisted tomorrow')
      expect(o.allowed).toBe(true)
      expect(o.overriding.map((r) => r.id)).toEqual(['skus_mapped'])
      expect(decideGoLive(evaluateChecklist(healthy()))).toEqual({
        allowed: true,
        blocking: [],
        overriding: [],
      })
    })

    it('an override holds until the configuration it covered changes', () => {
      const s = healthy()
      s.listings.push({ listingId: 'L3', sku: 'X', title: 'X', mapped: false })
      s.stored.skus_mapped = {
        checkId: 'skus_mapped',
        status: 'overridden',
        evidence: '',
        configHash: checkConfigHash('skus_mapped', s.config),
        checkedAt: NOW,
        overrideReason: 'bundle delisted tomorrow',
      }
      expect(check('skus_mapped', s)).toMatchObject({
        status: 'overridden',
        overrideReason: 'bundle delisted tomorrow',
      })
      s.config.listingIds = [...s.config.listingIds, 'L3']
      expect(check('skus_mapped', s).status).toBe('fail')
    })
  })
})
