import { describe, expect, it } from 'vitest'
import { ClassifiedError } from '../../../../main/core/errors'
import type { ChannelAdapter, ChannelOrder, Page } from '../../../../main/core/ports/channel-adapter'
import { guardPages, PageRun } from '../../../../main/node/channels/kit/page-guard'
import { guardAdapter, MAX_QUANTITY } from '../../../../main/node/channels/kit/value-checks'

const owner = { service: 'Testshop', prefix: 'testshop' }

const thrownBy = (f: () => unknown): ClassifiedError => {
  try {
    f()
  } catch (e) {
    if (e instanceof ClassifiedError) return e
    throw e
  }
  throw new Error('no error')
}

describe('PageRun', () => {
  it('follows new cursors and stops on one it already followed, naming channel, work and cursor', () => {
    const run = new PageRun(owner, 'reading the pauses')
    expect(run.follow('a')).toBe('a')
    expect(run.follow('b')).toBe('b')
    const e = thrownBy(() => run.follow('a'))
    expect(e.code).toBe('testshop.paging_loop')
    expect(e.kind).toBe('permanent')
    expect(e.message).toContain('Testshop')
    expect(e.message).toContain('"a"')
    expect(e.message).toContain('reading the pauses')
  })

  it('counts the start cursor of a resumed run as followed', () => {
    const run = new PageRun(owner, 'x', 100, 'start')
    expect(thrownBy(() => run.follow('start')).code).toBe('testshop.paging_loop')
  })

  it('stops at the page cap, with or without cursors', () => {
    const run = new PageRun(owner, 'reading the orders', 3)
    run.follow('1')
    run.follow('2')
    const e = thrownBy(() => run.follow('3'))
    expect(e.code).toBe('testshop.paging_cap')
    expect(e.message).toContain('"3"')
    const numbered = new PageRun(owner, 'listing variations', 2)
    numbered.count()
    numbered.count()
    expect(thrownBy(() => numbered.count()).code).toBe('testshop.paging_cap')
  })
})

describe('guardPages', () => {
  const pager = (answers: Record<string, string | undefined>) =>
    guardPages(owner, 'reading the listings', async (cursor: string | undefined) => ({
      items: [cursor ?? 'first'],
      ...(answers[cursor ?? ''] === undefined ? {} : { next: answers[cursor ?? ''] }),
    }))

  it('follows a run across calls and stops when a cursor comes back', async () => {
    const p = pager({ '': 'a', a: 'b', b: 'a' })
    expect((await p(undefined)).next).toBe('a')
    expect((await p('a')).next).toBe('b')
    await expect(p('b')).rejects.toMatchObject({ code: 'testshop.paging_loop' })
  })

  it('stops a page that answers its own cursor', async () => {
    const p = pager({ '': 'a', a: 'a' })
    await p(undefined)
    await expect(p('a')).rejects.toMatchObject({ code: 'testshop.paging_loop' })
  })

  it('keeps runs apart: two readers of the same pages, and a run started again, do not trip it', async () => {
    const p = pager({ '': 'a', a: 'b', b: undefined })
    await p(undefined)
    await p(undefined)
    expect((await p('a')).next).toBe('b')
    expect((await p('a')).next).toBe('b')
    expect((await p('b')).next).toBeUndefined()
    expect((await p('b')).next).toBeUndefined()
    // A cursor stored before a restart starts a run of its own.
    expect((await p('a')).next).toBe('b')
  })

  it('keeps order runs of different start times apart', async () => {
    const calls: string[] = []
    const p = guardPages(owner, 'reading the orders', async (cursor: string | undefined, since: string) => {
      calls.push(`${since}:${cursor ?? ''}`)
      return { items: [], next: '50' } as Page<never>
    })
    await p(undefined, 'T1')
    await p(undefined, 'T2')
    await expect(p('50', 'T1')).rejects.toMatchObject({ code: 'testshop.paging_loop' })
    await expect(p('50', 'T2')).rejects.toMatchObject({ code: 'testshop.paging_loop' })
  })

  it('stops an endless run of new cursors at the cap', async () => {
    let n = 0
    const p = guardPages(owner, 'reading the orders', async () => ({ items: [], next: String(++n) }), 10)
    let cursor: string | undefined
    const e = await (async () => {
      for (;;) cursor = (await p(cursor)).next
    })().catch((x: unknown) => x)
    expect(e).toMatchObject({ code: 'testshop.paging_cap' })
    expect(n).toBe(10)
  })
})

describe('guardAdapter', () => {
  const order = (over: Partial<ChannelOrder['lines'][number]> = {}): ChannelOrder => ({
    orderId: 'O-1',
    status: 'open',
    updatedAt: '2026-01-01T00:00:00Z',
    createdAt: '2026-01-01T00:00:00Z',
    currency: 'EUR',
    lines: [
      {
        lineId: 'L-1',
        listingId: 'LST-1',
        sku: 'S',
        ean: null,
        externalIds: {},
        quantity: 1,
        cancelledQuantity: 0,
        unitPrice: 9.5,
        ...over,
      },
    ],
  })
  const adapterWith = (quantity: number, line: Partial<ChannelOrder['lines'][number]> = {}) =>
    ({
      type: 'amazon',
      capabilities: {} as ChannelAdapter['capabilities'],
      testConnection: async () => ({ ok: true, message: '' }),
      push: async () => ({ results: [], calls: 0 }),
      readBack: async (ids: string[]) => ids.map((listingId) => ({ listingId, quantity, available: true })),
      listListings: async () => ({
        items: [
          { listingId: 'LST-1', sku: 'S', ean: null, externalIds: {}, title: 't', quantity, paused: false },
        ],
      }),
      fetchOrders: async () => ({ items: [order(line)] }),
    }) as ChannelAdapter

  it('passes values in range through unchanged', async () => {
    const a = guardAdapter(owner, adapterWith(MAX_QUANTITY))
    expect((await a.readBack!(['LST-1']))[0]?.quantity).toBe(MAX_QUANTITY)
    expect((await a.listListings()).items[0]?.quantity).toBe(MAX_QUANTITY)
    expect((await a.fetchOrders('2026-01-01T00:00:00Z')).items[0]?.lines[0]?.unitPrice).toBe(9.5)
  })

  it.each([-2147483648, -1, 2 ** 31, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'refuses a quantity of %s with the field and the listing',
    async (q) => {
      const a = guardAdapter(owner, adapterWith(q))
      for (const call of [a.readBack!(['LST-1']), a.listListings()]) {
        const e = (await call.catch((x: unknown) => x)) as ClassifiedError
        expect(e.code).toBe('testshop.bad_value')
        expect(e.message).toContain('quantity')
        expect(e.message).toContain('listing LST-1')
      }
    },
  )

  it('accepts stock below zero only where the channel reports it, and never below -(2^31-1)', async () => {
    const neg = { ...owner, negativeStock: true }
    expect((await guardAdapter(neg, adapterWith(-3)).readBack!(['LST-1']))[0]?.quantity).toBe(-3)
    await expect(guardAdapter(neg, adapterWith(-2147483648)).readBack!(['LST-1'])).rejects.toMatchObject({
      code: 'testshop.bad_value',
    })
  })

  it.each([
    [{ quantity: -1 }, 'quantity'],
    [{ quantity: 2 ** 31 }, 'quantity'],
    [{ cancelledQuantity: 0.5 }, 'cancelled quantity'],
    [{ unitPrice: Number.NaN }, 'unit price'],
    [{ unitPrice: -4 }, 'unit price'],
    [{ lineId: '' }, 'line id'],
  ])('refuses an order line with %o, naming %s, the line and the order', async (line, field) => {
    const e = (await guardAdapter(owner, adapterWith(1, line))
      .fetchOrders('2026-01-01T00:00:00Z')
      .catch((x: unknown) => x)) as ClassifiedError
    expect(e.code).toBe('testshop.bad_value')
    expect(e.message).toContain(field)
    expect(e.message).toContain('order O-1')
  })
})
