// Schemas written from the WooCommerce REST API v3 docs (woocommerce-rest-api-docs, _products.md and
// _product-variations.md): the stock fields of a batch update. Woo ignores properties it does not know.
const stockFields = {
  id: { type: 'integer', minimum: 1 },
  manage_stock: { type: 'boolean' },
  stock_quantity: { type: ['integer', 'null'] },
  backorders: { enum: ['no', 'notify', 'yes'] },
}

export const WOO_REQUEST_SCHEMAS: Record<string, object> = {
  ProductBatch: {
    type: 'object',
    properties: {
      create: { type: 'array' },
      delete: { type: 'array', items: { type: 'integer' } },
      update: {
        type: 'array',
        items: {
          type: 'object',
          required: ['id'],
          properties: {
            ...stockFields,
            status: { enum: ['draft', 'pending', 'private', 'publish'] },
            catalog_visibility: { enum: ['visible', 'catalog', 'search', 'hidden'] },
          },
        },
      },
    },
  },
  VariationBatch: {
    type: 'object',
    properties: {
      create: { type: 'array' },
      delete: { type: 'array', items: { type: 'integer' } },
      update: {
        type: 'array',
        items: {
          type: 'object',
          required: ['id'],
          properties: { ...stockFields, status: { enum: ['draft', 'pending', 'private', 'publish'] } },
        },
      },
    },
  },
}
