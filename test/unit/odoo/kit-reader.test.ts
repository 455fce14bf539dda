import { describe, expect, it } from 'vitest'
import { ClassifiedError } from '../../../main/core/errors'
import { versionProfile } from '../../../main/core/odoo/odoo-version'
import { BOM_ORDER, readKitSnapshot, type KitReaderRpc } from '../../../main/node/odoo/kit-reader'
import type { RpcParams } from '../../../main/node/odoo/odoo-rpc'

type Answer = (params: RpcParams) => unknown

/** A fake gateway answering canned rows per model and method, recording every call. */
function fakeRpc(major: number, answers: Record<string, Answer>) {
  const calls: Array<{ key: string; params: RpcParams }> = []
  const rpc: KitReaderRpc = {
    versionProfile: versionProfile(major),
    async execute<T>(model: string, method: string, params: RpcParams): Promise<T> {
      const key = `${model}/${method}`
      calls.push({ key, params })
      const a = answers[key]
      if (!a) throw new ClassifiedError('permanent', 'odoo.fault', `Object ${model} doesn't exist`)
      return a(params) as T
    },
  }
  return { rpc, calls }
}

const MRP: Record<string, Answer> = {
  'ir.module.module/search_read': () => [{ id: 5, name: 'mrp' }],
  'mrp.bom/search_read': () => [
    {
      id: 7,
      product_tmpl_id: [30, 'Gift set'],
      product_id: false,
      product_qty: 2,
      product_uom_id: [1, 'Units'],
      company_id: [1, 'My Company'],
      picking_type_id: false,
    },
  ],
  'mrp.bom.line/search_read': () => [
    {
      id: 70,
      bom_id: [7, 'Gift set'],
      product_id: [1, 'Mug'],
      product_qty: 3,
      product_uom_id: [1, 'Units'],
      bom_product_template_attribute_value_ids: [],
    },
    {
      id: 71,
      bom_id: [7, 'Gift set'],
      product_id: [2, 'Card'],
      product_qty: 1,
      product_uom_id: [1, 'Units'],
      bom_product_template_attribute_value_ids: [501],
    },
  ],
  'uom.uom/search_read': () => [{ id: 1, factor: 1, rounding: 0.01, category_id: [1, 'Unit'] }],
  'product.product/search_read': () => [
    {
      id: 1,
      name: 'Mug',
      product_tmpl_id: [10, 'Mug'],
      type: 'consu',
      is_storable: true,
      uom_id: [1, 'Units'],
      product_template_attribute_value_ids: [],
      active: true,
      default_code: 'MUG',
      barcode: false,
      company_id: false,
    },
    {
      id: 2,
      name: 'Card',
      product_tmpl_id: [20, 'Card'],
      type: 'consu',
      is_storable: false,
      uom_id: [1, 'Units'],
      product_template_attribute_value_ids: [],
      active: true,
      default_code: false,
      barcode: false,
      company_id: false,
    },
    {
      id: 31,
      name: 'Gift set (red)',
      product_tmpl_id: [30, 'Gift set'],
      type: 'consu',
      is_storable: true,
      uom_id: [1, 'Units'],
      product_template_attribute_value_ids: [501],
      active: true,
      default_code: 'GIFT-R',
      barcode: '4000000000017',
      company_id: [1, 'My Company'],
    },
  ],
  'product.template.attribute.value/read': () => [{ id: 501, attribute_id: [50, 'Colour'] }],
  'product.attribute/read': () => [{ id: 50, create_variant: 'always' }],
}

describe('readKitSnapshot', () => {
  it('reads the phantom BoMs in Odoo order, with lines, units, products and variant values', async () => {
    const { rpc, calls } = fakeRpc(18, MRP)
    const snap = (await readKitSnapshot(rpc))!
    expect(calls.map((c) => c.key)).toEqual([
      'ir.module.module/search_read',
      'mrp.bom/search_read',
      'mrp.bom.line/search_read',
      'uom.uom/search_read',
      'product.product/search_read',
      'product.template.attribute.value/read',
      'product.attribute/read',
    ])
    expect(calls[1]!.params).toMatchObject({ domain: [['type', '=', 'phantom']], order: BOM_ORDER })
    // Every variant of a template BoM is read, besides the products BoMs and lines name.
    expect(calls[4]!.params.domain).toEqual(['|', ['id', 'in', [1, 2]], ['product_tmpl_id', 'in', [30]]])
    expect(calls[4]!.params.fields).toContain('is_storable')
    expect(snap.boms).toEqual([
      {
        id: 7,
        templateId: 30,
        productId: null,
        quantity: 2,
        uomId: 1,
        companyId: 1,
        pickingTypeId: null,
        lines: [
          { id: 70, productId: 1, quantity: 3, uomId: 1, attributeValueIds: [] },
          { id: 71, productId: 2, quantity: 1, uomId: 1, attributeValueIds: [501] },
        ],
      },
    ])
    expect(snap.products.find((p) => p.id === 31)).toMatchObject({
      templateId: 30,
      storable: true,
      defaultCode: 'GIFT-R',
      attributeValueIds: [501],
    })
    expect(snap.products.find((p) => p.id === 2)!.storable).toBe(false)
    expect(snap.attributeValues).toEqual([{ id: 501, attributeId: 50, noVariant: false }])
  })

  it('names storable products the 17 way, and units without categories on 19', async () => {
    const v17 = fakeRpc(17, {
      ...MRP,
      'product.product/search_read': () => [
        { id: 1, name: 'Mug', product_tmpl_id: [10, 'Mug'], type: 'product', uom_id: [1, 'Units'] },
      ],
    })
    const s17 = (await readKitSnapshot(v17.rpc))!
    expect(v17.calls[4]!.params.fields).not.toContain('is_storable')
    expect(s17.products[0]!.storable).toBe(true)
    const v19 = fakeRpc(19, { ...MRP, 'uom.uom/search_read': () => [{ id: 1, factor: 1, rounding: 0.01 }] })
    const s19 = (await readKitSnapshot(v19.rpc))!
    expect(v19.calls[3]!.params.fields).not.toContain('category_id')
    expect(s19.uoms).toEqual([{ id: 1, factor: 1, rounding: 0.01, categoryId: null }])
  })

  it('stops after one call where mrp is not installed', async () => {
    const { rpc, calls } = fakeRpc(18, { 'ir.module.module/search_read': () => [] })
    expect(await readKitSnapshot(rpc)).toBeNull()
    expect(calls).toHaveLength(1)
  })

  it('asks the BoM model itself when the module list may not be read', async () => {
    const denied: Answer = () => {
      throw new ClassifiedError('needs_seller', 'odoo.access', 'Access to ir.module.module denied')
    }
    const without = fakeRpc(18, { 'ir.module.module/search_read': denied })
    expect(await readKitSnapshot(without.rpc)).toBeNull()
    const withMrp = fakeRpc(18, { ...MRP, 'ir.module.module/search_read': denied })
    expect((await readKitSnapshot(withMrp.rpc))!.boms).toHaveLength(1)
  })

  it('lets Odoo being unreachable through, for the caller to retry', async () => {
    const { rpc } = fakeRpc(18, {
      'ir.module.module/search_read': () => {
        throw new ClassifiedError('retryable', 'odoo.network', 'Odoo did not answer')
      },
    })
    await expect(readKitSnapshot(rpc)).rejects.toThrow('Odoo did not answer')
  })
})
