// Request bodies the Amazon simulator accepts, written from the SP-API docs (Listings Items 2021-08-01,
// Feeds 2021-06-30, listings feed schema v2), so the simulator validates without ../shared/specs.
import { compileJsonSchema } from '../spec-validation'

const patchOperation = {
  type: 'object',
  required: ['op', 'path'],
  properties: {
    op: { type: 'string', enum: ['add', 'replace', 'merge', 'delete'] },
    path: { type: 'string', pattern: '^/attributes/[a-z0-9_]+$' },
    value: { type: 'array', items: {} },
  },
}

export const checkPatchListingsItem = compileJsonSchema(
  {
    type: 'object',
    required: ['productType', 'patches'],
    additionalProperties: false,
    properties: {
      productType: { type: 'string', minLength: 1 },
      patches: { type: 'array', minItems: 1, items: patchOperation },
    },
  },
  'patchListingsItem body',
)

export const checkCreateFeedDocument = compileJsonSchema(
  {
    type: 'object',
    required: ['contentType'],
    additionalProperties: false,
    properties: { contentType: { type: 'string', minLength: 1 } },
  },
  'createFeedDocument body',
)

export const checkCreateFeed = compileJsonSchema(
  {
    type: 'object',
    required: ['feedType', 'marketplaceIds', 'inputFeedDocumentId'],
    additionalProperties: false,
    properties: {
      feedType: { type: 'string' },
      marketplaceIds: { type: 'array', minItems: 1, maxItems: 25, items: { type: 'string' } },
      inputFeedDocumentId: { type: 'string' },
      feedOptions: { type: 'object', additionalProperties: { type: 'string' } },
    },
  },
  'createFeed body',
)

export const checkListingsFeedDocument = compileJsonSchema(
  {
    type: 'object',
    required: ['header', 'messages'],
    properties: {
      header: {
        type: 'object',
        required: ['sellerId', 'version'],
        properties: {
          sellerId: { type: 'string' },
          version: { const: '2.0' },
          issueLocale: { type: 'string' },
        },
      },
      messages: {
        type: 'array',
        minItems: 1,
        maxItems: 25_000,
        items: {
          type: 'object',
          required: ['messageId', 'sku', 'operationType'],
          properties: {
            messageId: { type: 'integer', minimum: 1 },
            sku: { type: 'string', minLength: 1 },
            operationType: { enum: ['UPDATE', 'PARTIAL_UPDATE', 'PATCH', 'DELETE'] },
            productType: { type: 'string', minLength: 1 },
            patches: { type: 'array', minItems: 1, items: patchOperation },
            attributes: { type: 'object' },
          },
        },
      },
    },
  },
  'listings feed document',
)
