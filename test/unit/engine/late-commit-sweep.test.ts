// The sweep's arithmetic: rows per product and location summed per scope exactly as Odoo's child_of
// counts them (each location once, children included), and the change test against the stored figures.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { OdooLocation } from '../../../main/core/ports/odoo-gateway'
import {
  changedProducts,
  scopesByLocation,
  sumByScope,
  unknownLocations,
} from '../../../main/node/engine/late-commit-sweep'

// WH (1) > Stock (2) > Shelf (3) > Bin (4); WH2 (5) > Stock (6)
const loc = (id: number, parentPath: string): OdooLocation => ({
  id,
  name: `L${id}`,
  completeName: `L${id}`,
  usage: 'internal',
  parentId: null,
  parentPath,
  warehouseId: null,
  companyId: 1,
  active: true,
})
const TREE = [
  loc(1, '1/'),
  loc(2, '1/2/'),
  loc(3, '1/2/3/'),
  loc(4, '1/2/3/4/'),
  loc(5, '5/'),
  loc(6, '5/6/'),
]
const stored = (onHand: number, reserved: number) => ({ onHand, reserved, forecast: null, computedAt: 0 })

describe('late-commit sweep', () => {
  it('counts a location for every scope whose subtree holds it, once even when a parent and child are both chosen', () => {
    const m = scopesByLocation(
      TREE,
      new Map([
        ['a', [2]],
        ['b', [2, 3]],
        ['c', [6]],
        ['d', [1, 5]],
      ]),
    )
    expect(m.get(1)).toEqual(['d'])
    expect(m.get(2)).toEqual(['a', 'b', 'd'])
    expect(m.get(4)).toEqual(['a', 'b', 'd'])
    expect(m.get(6)).toEqual(['c', 'd'])
    const sums = sumByScope(
      [
        { productId: 7, locationId: 2, onHand: 3, reserved: 1 },
        { productId: 7, locationId: 4, onHand: 2, reserved: 0 },
        { productId: 7, locationId: 6, onHand: 10, reserved: 0 },
      ],
      m,
    )
    expect(sums.get('b')?.get(7)).toMatchObject({ onHand: 5, reserved: 1 })
    expect(sums.get('c')?.get(7)).toMatchObject({ onHand: 10, reserved: 0 })
    expect(sums.get('d')?.get(7)).toMatchObject({ onHand: 15, reserved: 1 })
  })

  it('property: per-scope sums equal the direct sum over the locations in the scope subtrees', () => {
    const row = fc.record({
      productId: fc.integer({ min: 1, max: 4 }),
      locationId: fc.constantFrom(1, 2, 3, 4, 5, 6),
      onHand: fc.integer({ min: -5, max: 50 }),
      reserved: fc.integer({ min: 0, max: 5 }),
    })
    const scope = fc.uniqueArray(fc.constantFrom(1, 2, 3, 4, 5, 6), { minLength: 1, maxLength: 3 })
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 30 }),
        fc.array(scope, { minLength: 1, maxLength: 3 }),
        (rows, roots) => {
          const scopes = new Map(roots.map((r, i) => [`s${i}`, r]))
          const sums = sumByScope(rows, scopesByLocation(TREE, scopes))
          for (const [name, ids] of scopes) {
            const paths = ids.map((id) => TREE.find((l) => l.id === id)!.parentPath)
            const inScope = (locationId: number) =>
              paths.some((p) => TREE.find((l) => l.id === locationId)!.parentPath.startsWith(p))
            for (const p of [1, 2, 3, 4]) {
              const want = rows
                .filter((r) => r.productId === p && inScope(r.locationId))
                .reduce((a, r) => ({ onHand: a.onHand + r.onHand, reserved: a.reserved + r.reserved }), {
                  onHand: 0,
                  reserved: 0,
                })
              const got = sums.get(name)?.get(p) ?? { onHand: 0, reserved: 0 }
              expect([got.onHand, got.reserved]).toEqual([want.onHand, want.reserved])
            }
          }
        },
      ),
      { numRuns: 300 },
    )
  })

  it('a product differs when any scope differs, when its last quant is gone, or when it was never read', () => {
    const swept = new Map([
      ['a', new Map([[1, { productId: 1, onHand: 5, reserved: 0, forecast: null }]])],
      ['b', new Map([[1, { productId: 1, onHand: 2, reserved: 1, forecast: null }]])],
    ])
    const st = new Map([
      [
        'a',
        new Map([
          [1, stored(5, 0)],
          [2, stored(3, 0)],
          [3, stored(0, 0)],
        ]),
      ],
      [
        'b',
        new Map([
          [1, stored(2, 0)],
          [2, stored(0, 0)],
          [3, stored(0, 0)],
        ]),
      ],
    ])
    // 1: reserved changed in b; 2: its last quant in a is gone (stored 3, now none); 3: unchanged at 0;
    // 4: never read.
    expect(changedProducts([1, 2, 3, 4], ['a', 'b'], swept, st)).toEqual([1, 2, 4])
    expect(changedProducts([3], ['a', 'b'], swept, st)).toEqual([])
  })

  it('names the locations the tree does not know yet', () => {
    expect(unknownLocations([{ productId: 1, locationId: 9, onHand: 1, reserved: 0 }], TREE)).toEqual([9])
  })
})
