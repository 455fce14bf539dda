// Request schemas written from the Kaufland Seller API v2 documentation (units PATCH and bulk), so the
// simulator validates without the spec files. The official swagger.json is applied on top when present.
const unitPatch = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { enum: ['AVAILABLE', 'ONHOLD'] },
    amount: { type: 'integer', minimum: 0 },
    handling_time: { type: 'integer', minimum: 0, maximum: 100 },
    listing_price: { type: 'integer', minimum: 1 },
    minimum_price: { type: 'integer', minimum: 1 },
    note: { type: 'string' },
    id_shipping_group: { type: 'integer' },
    id_warehouse: { type: 'integer' },
    vat_indicator: { type: 'string' },
  },
}

export const KAUFLAND_REQUEST_SCHEMAS: Record<string, object> = {
  UnitPatchRequest: unitPatch,
  UnitsBulkUpdateRequestList: {
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['id_unit', 'unit_data'],
      properties: { id_unit: { type: 'integer', minimum: 1 }, unit_data: unitPatch },
    },
  },
}
