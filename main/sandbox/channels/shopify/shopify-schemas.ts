// Variable schemas written from the Shopify Admin GraphQL reference (InventorySetQuantitiesInput,
// ProductUpdateInput), applied to the variables of the mutations the simulator serves.
const gid = (type: string) => ({ type: 'string', pattern: `^gid://shopify/${type}/\\d+$` })

export const SHOPIFY_INVENTORY_REASONS = [
  'correction',
  'cycle_count_available',
  'damaged',
  'movement_canceled',
  'movement_created',
  'movement_received',
  'movement_updated',
  'other',
  'promotion',
  'quality_control',
  'received',
  'reservation_created',
  'reservation_deleted',
  'reservation_updated',
  'restock',
  'safety_stock',
  'shrinkage',
]

export const shopifyVariableSchemas = (requireChangeFrom: boolean): Record<string, object> => ({
  InventorySetQuantitiesInput: {
    type: 'object',
    required: ['name', 'reason', 'quantities'],
    additionalProperties: false,
    properties: {
      name: { enum: ['available', 'on_hand'] },
      reason: { enum: SHOPIFY_INVENTORY_REASONS },
      referenceDocumentUri: { type: 'string' },
      quantities: {
        type: 'array',
        minItems: 1,
        maxItems: 250,
        items: {
          type: 'object',
          required: [
            'inventoryItemId',
            'locationId',
            'quantity',
            ...(requireChangeFrom ? ['changeFromQuantity'] : []),
          ],
          additionalProperties: false,
          properties: {
            inventoryItemId: gid('InventoryItem'),
            locationId: gid('Location'),
            quantity: { type: 'integer' },
            changeFromQuantity: { type: ['integer', 'null'] },
          },
        },
      },
    },
  },
  ProductUpdateInput: {
    type: 'object',
    required: ['id'],
    properties: {
      id: gid('Product'),
      status: { enum: ['ACTIVE', 'ARCHIVED', 'DRAFT', 'UNLISTED'] },
      title: { type: 'string' },
    },
  },
})
