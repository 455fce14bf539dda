// The shape of each call on the wire: XML-RPC's args and kwargs, and the calls refused before sending.
import { describe, expect, it } from 'vitest'
import { ClassifiedError } from '../../../main/core/errors'
import { checkCallShape, xmlrpcArguments } from '../../../main/node/odoo/call-shape'

describe('XML-RPC arguments', () => {
  it('create takes its list of values positionally, with the context as a keyword', () => {
    const vals = [{ partner_id: 7 }]
    expect(xmlrpcArguments('sale.order', 'create', { vals_list: vals, context: { lang: 'en_US' } })).toEqual({
      args: [vals],
      kwargs: { context: { lang: 'en_US' } },
    })
  })

  it('a record method takes its ids first, then its own parameters in order', () => {
    expect(xmlrpcArguments('sale.order', 'action_confirm', { ids: [4], context: {} })).toEqual({
      args: [[4]],
      kwargs: { context: {} },
    })
    expect(xmlrpcArguments('sale.order', 'write', { ids: [4], vals: { note: 'x' } })).toEqual({
      args: [[4], { note: 'x' }],
      kwargs: {},
    })
    expect(xmlrpcArguments('product.product', 'read', { ids: [1, 2], fields: ['free_qty'] })).toEqual({
      args: [[1, 2], ['free_qty']],
      kwargs: {},
    })
  })

  it('positional as far as the caller gave the parameters without a gap, the rest as keywords', () => {
    expect(
      xmlrpcArguments('stock.quant', 'read_group', {
        domain: [],
        fields: ['quantity:sum'],
        groupby: ['product_id'],
        lazy: false,
      }),
    ).toEqual({ args: [[], ['quantity:sum'], ['product_id']], kwargs: { lazy: false } })
    expect(
      xmlrpcArguments('sale.order', 'search_read', { domain: [], fields: ['id'], limit: 1, order: 'id' }),
    ).toEqual({ args: [[], ['id']], kwargs: { limit: 1, order: 'id' } })
  })
})

describe('calls refused before they are sent', () => {
  const refused = (fn: () => unknown): ClassifiedError => {
    try {
      fn()
    } catch (e) {
      expect(e).toBeInstanceOf(ClassifiedError)
      return e as ClassifiedError
    }
    throw new Error('expected a refusal')
  }

  it('names the method and why', () => {
    const a = refused(() => checkCallShape('sale.order', 'create', { ids: [1], vals_list: [] }))
    expect(a.code).toBe('odoo.bad_call')
    expect(a.message).toBe(
      'LastUnit built a wrong call to sale.order.create: it works on the model, not on records, so it takes no ids',
    )
    expect(refused(() => xmlrpcArguments('sale.order', 'action_confirm', {})).message).toBe(
      'LastUnit built a wrong call to sale.order.action_confirm: it works on records, so it needs the list of their ids',
    )
    expect(
      refused(() =>
        checkCallShape('sale.order', 'search_read', { context: 'en' as unknown as Record<string, unknown> }),
      ).message,
    ).toMatch(/the context must be an object$/)
  })
})
