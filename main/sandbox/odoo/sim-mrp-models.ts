// The ORM view of the simulated mrp module and of the small models kits need: mrp.bom and mrp.bom.line
// (only while mrp is installed; otherwise they do not exist, as on a database without mrp),
// ir.module.module, uom.uom (fields as each version names them), product.template, and the variant
// attribute models (empty: the simulated catalogue has no variants with attributes).
import type { SimBom, SimBomLine, SimUom } from './sim-mrp'
import { SIM_UOMS } from './sim-mrp'
import type { SimEnv, SimField, SimModel, SimVersion } from './sim-models'
import type { SimProduct } from './sim-store'

const f = <R>(
  type: SimField['type'],
  get: (rec: R, env: SimEnv) => unknown,
  relation?: string,
  stored = true,
): SimField => ({ type, stored, get: get as SimField['get'], ...(relation ? { relation } : {}) })

const m2o = <R>(relation: string, get: (rec: R, env: SimEnv) => number | null | undefined): SimField =>
  f<R>('many2one', (r, e) => get(r, e) ?? false, relation)

const mrpInstalled = (e: SimEnv) => e.store.mrp.installed

const bomModel: SimModel = {
  name: 'mrp.bom',
  installed: mrpInstalled,
  all: (e) => e.store.mrp.boms.values(),
  byId: (e, id) => e.store.mrp.boms.get(id),
  display: (b: SimBom, e: SimEnv) => e.store.products.get(b.productId ?? b.templateId)?.name ?? `BoM ${b.id}`,
  fields: () => ({
    id: f<SimBom>('integer', (b) => b.id),
    product_tmpl_id: m2o<SimBom>('product.template', (b) => b.templateId),
    product_id: m2o<SimBom>('product.product', (b) => b.productId),
    type: f<SimBom>('selection', (b) => b.type),
    product_qty: f<SimBom>('float', (b) => b.productQty),
    product_uom_id: m2o<SimBom>('uom.uom', (b) => b.uomId),
    active: f<SimBom>('boolean', (b) => b.active),
    sequence: f<SimBom>('integer', (b) => b.sequence),
    company_id: m2o<SimBom>('res.company', (b) => b.companyId),
    picking_type_id: f<SimBom>('many2one', (b) => b.pickingTypeId ?? false, 'stock.picking.type'),
    bom_line_ids: f<SimBom>('one2many', (b) => [...b.lineIds], 'mrp.bom.line', false),
    write_date: f<SimBom>('datetime', (b) => b.writeDate),
  }),
}

const bomLineModel: SimModel = {
  name: 'mrp.bom.line',
  installed: mrpInstalled,
  all: (e) => e.store.mrp.lines.values(),
  byId: (e, id) => e.store.mrp.lines.get(id),
  display: (l: SimBomLine, e: SimEnv) => e.store.products.get(l.productId)?.name ?? `Line ${l.id}`,
  fields: () => ({
    id: f<SimBomLine>('integer', (l) => l.id),
    bom_id: m2o<SimBomLine>('mrp.bom', (l) => l.bomId),
    product_id: m2o<SimBomLine>('product.product', (l) => l.productId),
    product_tmpl_id: m2o<SimBomLine>(
      'product.template',
      (l, e) => e.store.products.get(l.productId)?.templateId ?? l.productId,
    ),
    product_qty: f<SimBomLine>('float', (l) => l.productQty),
    product_uom_id: m2o<SimBomLine>('uom.uom', (l) => l.uomId),
    sequence: f<SimBomLine>('integer', (l) => l.sequence),
    bom_product_template_attribute_value_ids: f<SimBomLine>(
      'one2many',
      () => [],
      'product.template.attribute.value',
      false,
    ),
    write_date: f<SimBomLine>('datetime', (l) => l.writeDate),
  }),
}

const uomModel: SimModel = {
  name: 'uom.uom',
  all: () => SIM_UOMS.values(),
  byId: (_e, id) => SIM_UOMS.get(id),
  display: (u: SimUom) => u.name,
  fields: (v: SimVersion) => {
    const base: Record<string, SimField> = {
      id: f<SimUom>('integer', (u) => u.id),
      name: f<SimUom>('char', (u) => u.name),
      factor: f<SimUom>('float', (u, e) => e.store.mrp.uomFactor(u)),
      rounding: f<SimUom>('float', (u, e) => e.store.mrp.rounding(u), undefined, v < 19),
      active: f<SimUom>('boolean', () => true),
    }
    if (v < 19) base.category_id = f<SimUom>('many2one', (u) => u.categoryId, 'uom.category')
    else base.relative_factor = f<SimUom>('float', (u) => u.size)
    return base
  },
}

interface Template {
  id: number
  product: SimProduct
}

const templatesOf = (e: SimEnv): Template[] => {
  const out = new Map<number, Template>()
  for (const p of e.store.products.values()) {
    const id = p.templateId ?? p.id
    if (!out.has(id)) out.set(id, { id, product: p })
  }
  return [...out.values()].sort((a, b) => a.id - b.id)
}

const templateModel: SimModel = {
  name: 'product.template',
  all: (e) => templatesOf(e),
  byId: (e, id) => templatesOf(e).find((t) => t.id === id),
  display: (t: Template) => t.product.name,
  fields: () => ({
    id: f<Template>('integer', (t) => t.id),
    name: f<Template>('char', (t) => t.product.name),
    active: f<Template>('boolean', (t) => t.product.active),
  }),
}

interface Module {
  id: number
  name: string
}

const MODULES: Module[] = [
  { id: 1, name: 'base' },
  { id: 2, name: 'stock' },
  { id: 3, name: 'sale_management' },
  { id: 4, name: 'sale_stock' },
  { id: 5, name: 'mrp' },
]

const moduleModel: SimModel = {
  name: 'ir.module.module',
  all: () => MODULES,
  byId: (_e, id) => MODULES.find((m) => m.id === id),
  display: (m: Module) => m.name,
  fields: () => ({
    id: f<Module>('integer', (m) => m.id),
    name: f<Module>('char', (m) => m.name),
    state: f<Module>('selection', (m, e) =>
      m.name !== 'mrp' || e.store.mrp.installed ? 'installed' : 'uninstalled',
    ),
  }),
}

const UOM_CATEGORIES = [
  { id: 1, name: 'Unit' },
  { id: 2, name: 'Weight' },
]

const uomCategoryModel: SimModel = {
  name: 'uom.category',
  all: () => UOM_CATEGORIES,
  byId: (_e, id) => UOM_CATEGORIES.find((c) => c.id === id),
  display: (c: { name: string }) => c.name,
  fields: () => ({
    id: f<{ id: number }>('integer', (c) => c.id),
    name: f<{ name: string }>('char', (c) => c.name),
  }),
}

const empty = (name: string, fields: Record<string, SimField>): SimModel => ({
  name,
  all: () => [],
  byId: () => undefined,
  display: () => '',
  fields: () => fields,
})

export const MRP_MODELS: SimModel[] = [
  bomModel,
  bomLineModel,
  uomModel,
  uomCategoryModel,
  templateModel,
  moduleModel,
  empty('product.template.attribute.value', {
    id: f<{ id: number }>('integer', (r) => r.id),
    attribute_id: f<{ id: number }>('many2one', () => false, 'product.attribute'),
  }),
  empty('product.attribute', {
    id: f<{ id: number }>('integer', (r) => r.id),
    create_variant: f<{ id: number }>('selection', () => 'always'),
  }),
]
