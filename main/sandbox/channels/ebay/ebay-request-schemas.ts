// Request bodies the eBay simulator accepts, written from the Sell Inventory API docs (BulkPriceQuantity), so
// the simulator validates without ../shared/specs.
import { compileJsonSchema } from '../spec-validation'

export const checkBulkPriceQuantity = compileJsonSchema(
  {
    type: 'object',
    required: ['requests'],
    additionalProperties: false,
    properties: {
      requests: {
        type: 'array',
        minItems: 1,
        maxItems: 25,
        items: {
          type: 'object',
          required: ['sku'],
          additionalProperties: false,
          properties: {
            sku: { type: 'string', minLength: 1, maxLength: 50 },
            shipToLocationAvailability: {
              type: 'object',
              properties: {
                quantity: { type: 'integer', minimum: 0 },
                availabilityDistributions: { type: 'array' },
              },
            },
            offers: {
              type: 'array',
              maxItems: 25,
              items: {
                type: 'object',
                required: ['offerId'],
                additionalProperties: false,
                properties: {
                  offerId: { type: 'string', minLength: 1 },
                  availableQuantity: { type: 'integer', minimum: 0 },
                  price: { type: 'object' },
                },
              },
            },
          },
        },
      },
    },
  },
  'bulkUpdatePriceQuantity body',
)
