import { describe, expect, it } from 'vitest'
import { scanOperation } from '../../../../main/sandbox/channels/shopify/graphql-scan'
import {
  productStatusMutation,
  SET_QUANTITIES_MUTATION,
  ORDERS_QUERY,
} from '../../../../main/node/channels/shopify/shopify-queries'

describe('simulator GraphQL scan', () => {
  it('finds the mutation, its variable arguments and the @idempotent directive', () => {
    const op = scanOperation(SET_QUANTITIES_MUTATION)
    expect(op.type).toBe('mutation')
    expect(op.name).toBe('SetQuantities')
    expect(op.fields).toEqual([
      {
        alias: 'inventorySetQuantities',
        name: 'inventorySetQuantities',
        args: { input: { variable: 'input' } },
        directives: [{ name: 'idempotent', args: { key: { variable: 'key' } } }],
      },
    ])
  })

  it('reads aliased root fields', () => {
    const op = scanOperation(productStatusMutation(3))
    expect(op.fields.map((f) => `${f.alias}:${f.name}`)).toEqual([
      'p0:productUpdate',
      'p1:productUpdate',
      'p2:productUpdate',
    ])
  })

  it('reads literal arguments, strings with braces, and nested connection sizes', () => {
    const op = scanOperation(
      `{ orders(first: 5, query: "updated_at:>'2026-01-01' {x}", sortKey: UPDATED_AT) { nodes { lineItems(first: 7) { nodes { id } } } } shop { name } }`,
    )
    expect(op.type).toBe('query')
    expect(op.fields.map((f) => f.name)).toEqual(['orders', 'shop'])
    expect(op.fields[0]?.args).toEqual({
      first: { literal: 5 },
      query: { literal: "updated_at:>'2026-01-01' {x}" },
      sortKey: { literal: 'UPDATED_AT' },
    })
    expect(op.nestedFirst['lineItems']).toEqual({ literal: 7 })
    expect(scanOperation(ORDERS_QUERY).nestedFirst['lineItems']).toEqual({ variable: 'lineItemsFirst' })
  })

  it('refuses documents it cannot read, saying why', () => {
    expect(() => scanOperation('query { shop { name }')).toThrow(/unbalanced/)
    expect(() => scanOperation('subscription { x }')).toThrow(/subscriptions/)
  })
})
