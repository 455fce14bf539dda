// Request schemas written from the zDirect documentation (stocks) and the Offer Blocking API file, so the
// simulator validates without ../shared/specs; the official file is applied on top when present.
const uuid = {
  type: 'string',
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
}
const ean = { type: 'string', pattern: '^\\d{8,14}$' }

export const ZALANDO_REQUEST_SCHEMAS: Record<string, object> = {
  StockUpdateRequest: {
    type: 'object',
    required: ['items'],
    additionalProperties: false,
    properties: {
      items: {
        type: 'array',
        minItems: 1,
        maxItems: 1000,
        items: {
          type: 'object',
          required: ['sales_channel_id', 'ean', 'quantity'],
          additionalProperties: false,
          properties: { sales_channel_id: uuid, ean, quantity: { type: 'integer', minimum: 0 } },
        },
      },
    },
  },
  CreateOfferBlockersRequest: {
    type: 'object',
    required: ['items'],
    properties: {
      items: {
        type: 'array',
        maxItems: 5,
        items: {
          type: 'object',
          required: ['reason', 'criteria'],
          properties: {
            reason: {
              enum: [
                'PAUSE_01',
                'PAUSE_02',
                'PAUSE_03',
                'PAUSE_04',
                'PAUSE_05',
                'PAUSE_06',
                'PABLO_01',
                'PABLO_02',
                'PABLO_03',
                'PABLO_04',
              ],
            },
            description: { type: 'string' },
            criteria: {
              type: 'object',
              required: ['ean', 'sales_channel_id'],
              properties: { ean, sales_channel_id: uuid },
            },
          },
        },
      },
    },
  },
  DeleteOfferBlockersRequest: {
    type: 'object',
    required: ['items'],
    properties: { items: { type: 'array', maxItems: 5, items: uuid } },
  },
}
