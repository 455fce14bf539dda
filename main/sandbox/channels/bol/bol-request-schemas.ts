// Request bodies the bol.com simulator accepts, written from the Offers API v11 and Shared API v10 docs, so the
// simulator validates without ../shared/specs.
import { compileJsonSchema } from '../spec-validation'

export const checkPatchOffer = compileJsonSchema(
  {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      unknownProductTitle: { type: 'string', maxLength: 500 },
      economicOperatorId: { type: 'string' },
      onHoldByRetailer: { type: 'boolean' },
      reference: { type: 'string', maxLength: 100 },
      countryAvailabilities: { type: 'array' },
      pricing: { type: 'object' },
      fulfilment: { type: 'object' },
      stock: {
        type: 'object',
        additionalProperties: false,
        // The stock figure means nothing without saying who subtracts open orders.
        required: ['amount', 'managedByRetailer'],
        properties: {
          amount: { type: 'integer', minimum: 0, maximum: 999 },
          managedByRetailer: { type: 'boolean' },
        },
      },
    },
  },
  'update-offer body',
)

export const checkBulkProcessStatus = compileJsonSchema(
  {
    type: 'object',
    required: ['processStatusQueries'],
    additionalProperties: false,
    properties: {
      processStatusQueries: {
        type: 'array',
        minItems: 1,
        maxItems: 1000,
        items: {
          type: 'object',
          required: ['processStatusId'],
          properties: { processStatusId: { type: 'string' } },
        },
      },
    },
  },
  'get-process-status-bulk body',
)
