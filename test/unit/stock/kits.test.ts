import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { floatIsZero, floatRound } from '../../../main/core/odoo/float-round'
import { KitBook } from '../../../main/core/stock/kit-book'
import { publishedQuantity } from '../../../main/core/stock/published-quantity'
import {
  kitFigure,
  KitResolver,
  resolveKits,
  spreadPending,
  type KitBom,
  type KitProduct,
  type KitSnapshot,
  type KitUom,
} from '../../../main/core/stock/kits'

const UNITS: KitUom = { id: 1, factor: 1, rounding: 0.01, categoryId: 1 }
// 17 and 18 store a dozen's factor as 1/12 (units per dozen inverted); 19 as 12.
const DOZEN_18: KitUom = { id: 2, factor: 1 / 12, rounding: 0.01, categoryId: 1 }
const DOZEN_19: KitUom = { id: 2, factor: 12, rounding: 0.01, categoryId: null }

const product = (id: number, extra: Partial<KitProduct> = {}): KitProduct => ({
  id,
  templateId: id,
  service: false,
  storable: true,
  uomId: 1,
  attributeValueIds: [],
  name: `P${id}`,
  defaultCode: `SKU-${id}`,
  barcode: null,
  active: true,
  companyId: null,
  ...extra,
})

let nextLine = 1
const bom = (
  id: number,
  kit: { productId?: number; templateId?: number },
  lines: Array<[number, number] | [number, number, number]>,
  extra: Partial<KitBom> = {},
): KitBom => ({
  id,
  templateId: kit.templateId ?? kit.productId ?? 0,
  productId: kit.templateId !== undefined ? null : (kit.productId ?? null),
  quantity: 1,
  uomId: 1,
  companyId: null,
  pickingTypeId: null,
  lines: lines.map(([productId, quantity, uomId]) => ({
    id: nextLine++,
    productId,
    quantity,
    uomId: uomId ?? 1,
    attributeValueIds: [],
  })),
  ...extra,
})

const snap = (
  boms: KitBom[],
  products: KitProduct[],
  major = 18,
  uoms: KitUom[] = [UNITS, major >= 19 ? DOZEN_19 : DOZEN_18],
): KitSnapshot => ({ major, boms, products, uoms, attributeValues: [] })

const figureOf = (s: KitSnapshot, kitId: number, stock: Record<number, number>) => {
  const def = resolveKits(s).get(kitId)
  if (!def) throw new Error(`${kitId} is not a kit`)
  return kitFigure(def, (id) => stock[id] ?? 0, s.major)
}

describe('floatRound (Odoo float_utils)', () => {
  it('rounds like Odoo, epsilon included', () => {
    expect(floatRound(2.675, 0.01)).toBe(2.68)
    expect(floatRound(0.6666666666666666, 0.01)).toBe(0.67)
    expect(floatRound(0.6666666666666666, 0.01, 'DOWN')).toBe(0.66)
    expect(floatRound(1.001, 0.01, 'UP')).toBe(1.01)
    expect(floatRound(1.0, 0.01, 'UP')).toBe(1)
    expect(floatRound(-2.5, 1)).toBe(-3)
    expect(floatRound(1.3, 0.5)).toBe(1.5)
    expect(floatIsZero(0.004, 0.01)).toBe(true)
    expect(floatIsZero(0.005, 0.01)).toBe(false)
  })
})

describe('kits (Odoo mrp phantom BoMs)', () => {
  const base = [product(10, { defaultCode: 'KIT' }), product(1), product(2)]

  it('is the minimum over components of free / quantity per kit, rounded down', () => {
    const s = snap(
      [
        bom(100, { productId: 10 }, [
          [1, 2],
          [2, 1],
        ]),
      ],
      base,
    )
    expect(figureOf(s, 10, { 1: 9, 2: 7 })).toEqual({
      quantity: 4,
      limiting: { productId: 1, figure: 9, perKit: 2 },
    })
    expect(figureOf(s, 10, { 1: 9, 2: 3 })!.quantity).toBe(3)
    expect(figureOf(s, 10, { 1: -1, 2: 3 })!.quantity).toBe(-1)
  })

  it('sums a component named on several lines', () => {
    const s = snap(
      [
        bom(100, { productId: 10 }, [
          [1, 1],
          [2, 1],
          [1, 2],
        ]),
      ],
      base,
    )
    expect(
      resolveKits(s)
        .get(10)!
        .components.map((c) => [c.productId, c.perBatch]),
    ).toEqual([
      [1, 3],
      [2, 1],
    ])
    expect(figureOf(s, 10, { 1: 9, 2: 100 })!.quantity).toBe(3)
  })

  it('skips components that are not storable and optional lines of 0; all-consumable kits have 0', () => {
    const products = [...base, product(3, { storable: false })]
    const s = snap(
      [
        bom(100, { productId: 10 }, [
          [1, 1],
          [3, 5],
          [2, 0],
        ]),
      ],
      products,
    )
    const def = resolveKits(s).get(10)!
    expect(def.components.map((c) => c.productId)).toEqual([1])
    expect(def.uncounted).toEqual([3, 2])
    expect(figureOf(s, 10, { 1: 4, 3: 0, 2: 0 })!.quantity).toBe(4)
    const only = snap([bom(100, { productId: 10 }, [[3, 1]])], products)
    expect(figureOf(only, 10, {})).toEqual({ quantity: 0, limiting: null })
  })

  it('multiplies by the BoM quantity, with each version rounding the ratio its own way', () => {
    // One batch of 3 kits takes 3 units; 2 units in stock.
    const boms = [bom(100, { productId: 10 }, [[1, 3]], { quantity: 3 })]
    expect(figureOf(snap(boms, base, 17), 10, { 1: 2 })!.quantity).toBe(2)
    // 18.0 rounds the ratio half-up: 0.67 * 3 = 2.01.
    expect(figureOf(snap(boms, base, 18), 10, { 1: 2 })!.quantity).toBe(2)
    // 19.0 rounds it down: 0.66 * 3 = 1.98.
    expect(figureOf(snap(boms, base, 19), 10, { 1: 2 })!.quantity).toBe(1)
  })

  it('converts units of measure: a line in dozens of a component kept in units', () => {
    for (const major of [17, 18, 19]) {
      const s = snap([bom(100, { productId: 10 }, [[1, 1, 2]])], base, major)
      expect(figureOf(s, 10, { 1: 30 })!.quantity).toBe(2)
      expect(resolveKits(s).get(10)!.components[0]!.perBatch).toBeCloseTo(12, 9)
    }
  })

  it('explodes nested kits into their components (the sub-kit stock never counts)', () => {
    const products = [...base, product(20), product(3)]
    // Kit 10 = 2 x kit 20 + 1 x product 1; kit 20 = 3 x product 2 + 1 x product 1.
    const s = snap(
      [
        bom(100, { productId: 10 }, [
          [20, 2],
          [1, 1],
        ]),
        bom(200, { productId: 20 }, [
          [2, 3],
          [1, 1],
        ]),
      ],
      products,
    )
    const def = resolveKits(s).get(10)!
    expect(def.subKits).toEqual([20])
    expect(def.components.map((c) => [c.productId, c.perBatch])).toEqual([
      [1, 3],
      [2, 6],
    ])
    expect(figureOf(s, 10, { 1: 10, 2: 13, 20: 999 })!.quantity).toBe(2)
  })

  it('picks the BoM Odoo picks: a variant BoM before the template one in its order, never a service', () => {
    const products = [
      product(10, { templateId: 5 }),
      product(11, { templateId: 5 }),
      product(1),
      product(2),
      product(12, { service: true }),
    ]
    // Odoo's order (sequence, product_id, id) puts the variant BoM first.
    const s = snap(
      [
        bom(101, { productId: 10 }, [[2, 1]]),
        bom(100, { templateId: 5 }, [[1, 1]]),
        bom(102, { productId: 12 }, [[1, 1]]),
      ],
      products,
    )
    const kits = resolveKits(s)
    expect(kits.get(10)!.bomId).toBe(101)
    expect(kits.get(11)!.bomId).toBe(100)
    expect(kits.has(12)).toBe(false)
    // The first BoM in Odoo's order wins.
    const r = new KitResolver(
      snap([bom(300, { templateId: 5 }, [[2, 1]]), bom(101, { productId: 10 }, [[1, 1]])], products),
    )
    expect(r.bomFor(10)!.id).toBe(300)
  })

  it("explodes sub-kits with the top BoM's company only", () => {
    const products = [...base, product(20), product(3)]
    const s = snap(
      [
        bom(100, { productId: 10 }, [[20, 1]], { companyId: 1 }),
        bom(200, { productId: 20 }, [[2, 2]], { companyId: 2 }),
      ],
      products,
    )
    const def = resolveKits(s).get(10)!
    // Kit 20 belongs to another company: Odoo does not explode it, and counts its own kit figure.
    expect(def.components).toEqual([{ productId: 20, perBatch: 1, rounding: 0.01, kit: true }])
  })

  it('skips lines for other variants and lines with values that make no variant', () => {
    const products = [
      product(10, { templateId: 5, attributeValueIds: [501] }),
      product(11, { templateId: 5, attributeValueIds: [502] }),
      product(1),
      product(2),
      product(3),
    ]
    const b = bom(100, { templateId: 5 }, [
      [1, 1],
      [2, 1],
      [3, 1],
    ])
    b.lines[1]!.attributeValueIds = [501]
    b.lines[2]!.attributeValueIds = [601]
    const s: KitSnapshot = {
      ...snap([b], products),
      attributeValues: [
        { id: 501, attributeId: 50, noVariant: false },
        { id: 502, attributeId: 50, noVariant: false },
        { id: 601, attributeId: 60, noVariant: true },
      ],
    }
    const kits = resolveKits(s)
    expect(kits.get(10)!.components.map((c) => c.productId)).toEqual([1, 2])
    expect(kits.get(11)!.components.map((c) => c.productId)).toEqual([1])
  })

  it("spreads a kit order's pending units over its components", () => {
    const products = [...base, product(20)]
    const s = snap(
      [
        bom(100, { productId: 10 }, [
          [20, 2],
          [1, 1],
        ]),
        bom(200, { productId: 20 }, [[2, 3]]),
      ],
      products,
    )
    const kits = resolveKits(s)
    const spread = spreadPending(
      new Map([
        [10, 2],
        [1, 1],
        [20, 1],
      ]),
      kits,
    )
    expect(Object.fromEntries(spread)).toEqual({ 10: 2, 1: 3, 2: 15, 20: 1 })
  })
})

// ---- properties ----

interface World {
  snap: KitSnapshot
  stock: Record<number, number>
}

/** A random kit 10 over components 1..n (integer stock, integer quantities per kit). */
const kitWorld = (major: number) =>
  fc
    .record({
      lines: fc.array(fc.record({ c: fc.integer({ min: 1, max: 5 }), q: fc.integer({ min: 1, max: 12 }) }), {
        minLength: 1,
        maxLength: 6,
      }),
      stock: fc.array(fc.integer({ min: -5, max: 400 }), { minLength: 5, maxLength: 5 }),
    })
    .map(({ lines, stock }): World => ({
      snap: snap(
        [
          bom(
            100,
            { productId: 10 },
            lines.map((l) => [l.c, l.q] as [number, number]),
          ),
        ],
        [product(10), ...[1, 2, 3, 4, 5].map((i) => product(i))],
        major,
      ),
      stock: Object.fromEntries(stock.map((v, i) => [i + 1, v])),
    }))

describe('kit figure properties', () => {
  it('never exceeds any component: figure / units per kit, rounded down', () => {
    for (const major of [17, 18, 19])
      fc.assert(
        fc.property(kitWorld(major), (w) => {
          const def = resolveKits(w.snap).get(10)!
          const f = kitFigure(def, (id) => w.stock[id]!, major)!
          for (const c of def.components)
            expect(f.quantity).toBeLessThanOrEqual(Math.floor(w.stock[c.productId]! / c.perBatch))
        }),
      )
  })

  it('is monotonic in every component', () => {
    for (const major of [17, 18, 19])
      fc.assert(
        fc.property(
          kitWorld(major),
          fc.integer({ min: 1, max: 5 }),
          fc.integer({ min: 1, max: 50 }),
          (w, c, more) => {
            const def = resolveKits(w.snap).get(10)!
            const before = kitFigure(def, (id) => w.stock[id]!, major)!.quantity
            const after = kitFigure(def, (id) => w.stock[id]! + (id === c ? more : 0), major)!.quantity
            expect(after).toBeGreaterThanOrEqual(before)
          },
        ),
      )
  })

  it('nested kits equal the flattened computation', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(17, 18, 19),
        fc.array(fc.record({ c: fc.integer({ min: 1, max: 4 }), q: fc.integer({ min: 1, max: 4 }) }), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.array(fc.record({ c: fc.integer({ min: 1, max: 4 }), q: fc.integer({ min: 1, max: 4 }) }), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 4, maxLength: 4 }),
        (major, top, sub, subQty, stock) => {
          const products = [product(10), product(20), product(11), ...[1, 2, 3, 4].map((i) => product(i))]
          // Kit 10 holds subQty x kit 20 besides its own lines; kit 11 is kit 10 written out flat.
          const nested = bom(100, { productId: 10 }, [
            [20, subQty],
            ...top.map((l) => [l.c, l.q] as [number, number]),
          ])
          const inner = bom(
            200,
            { productId: 20 },
            sub.map((l) => [l.c, l.q] as [number, number]),
          )
          const flat = bom(110, { productId: 11 }, [
            ...sub.map((l) => [l.c, l.q * subQty] as [number, number]),
            ...top.map((l) => [l.c, l.q] as [number, number]),
          ])
          const kits = resolveKits(snap([nested, inner, flat], products, major))
          const get = (id: number) => stock[id - 1] ?? 0
          expect(kitFigure(kits.get(10)!, get, major)!.quantity).toBe(
            kitFigure(kits.get(11)!, get, major)!.quantity,
          )
        },
      ),
    )
  })
})

describe('KitBook (what the engine asks of the kits)', () => {
  // Kit 10 = 2 x 1 + 1 x 2; kit 20 = 1 x kit 10 + 1 x 3; kit 30 = 1 x 3.
  const products = [product(10), product(20), product(30), product(1), product(2), product(3)]
  const book = new KitBook(
    snap(
      [
        bom(100, { productId: 10 }, [
          [1, 2],
          [2, 1],
        ]),
        bom(200, { productId: 20 }, [
          [10, 1],
          [3, 1],
        ]),
        bom(300, { productId: 30 }, [[3, 1]]),
      ],
      products,
    ),
  )
  const stock: Record<number, { onHand: number; reserved: number }> = {
    1: { onHand: 10, reserved: 1 },
    2: { onHand: 7, reserved: 0 },
    3: { onHand: 3, reserved: 0 },
  }

  it('knows which products a kit reads and which kits a product touches', () => {
    expect(book.leaves(20)).toEqual([1, 2, 3])
    expect(book.kitsUsing(3).sort()).toEqual([20, 30])
    expect(book.toRead([10, 3, 99])).toEqual([1, 2, 3, 99])
    expect([...book.withKits([1])].sort()).toEqual([1, 10, 20])
    // An order of kit 30 moves product 3, and so kit 20 too.
    expect([...book.withKits([30])].sort()).toEqual([20, 30])
  })

  it("derives a kit's stock and its listing's pending units from its components", () => {
    expect(book.stock(10, (id) => stock[id])).toMatchObject({ onHand: 5, free: 4 })
    expect(book.stock(10, () => null)).toBeNull()
    const pending = book.spread(
      new Map([
        [30, 1],
        [1, 2],
      ]),
    )
    expect(Object.fromEntries(pending)).toEqual({ 30: 1, 1: 2, 3: 1 })
    expect(book.pendingNote(3, pending)).toBe('1 for kit orders: 1 x SKU-30')
    expect(book.pendingNote(1, pending)).toBeUndefined()
    const f = book.listingFigures(20, (id) => stock[id], pending)!
    // Free: min(9 / 2, 7, 3) = 3; after pending: min(7 / 2, 7, 2) = 2.
    expect(f.stock).toEqual({ onHand: 3, reserved: 0, forecast: null })
    expect(f.pending).toEqual({ free: 1, onHand: 1 })
    const pub = publishedQuantity({
      stock: f.stock,
      basis: 'free',
      pending: f.pending.free,
      buffer: 0,
      describe: f.describe.free,
    })
    expect(pub.explanation).toBe(
      'published 2 = kit free 3 (limited by SKU-3: free 3 / 1 per kit) - pending 1 (components pending: SKU-1 2, SKU-3 1) - buffer 0',
    )
  })
})

describe('kits that Odoo would refuse', () => {
  it('does not explode a BoM cycle for ever', () => {
    const s = snap(
      [
        bom(100, { productId: 10 }, [
          [20, 1],
          [20, 1],
        ]),
        bom(200, { productId: 20 }, [
          [10, 1],
          [10, 1],
        ]),
      ],
      [product(10), product(20)],
    )
    expect(new KitResolver(s).resolve(10)).toBeNull()
  })
})
