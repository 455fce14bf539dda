// The GraphQL documents the adapter sends. Every argument goes through variables, so values are never
// spliced into query text. Page sizes keep each query's requested cost under Shopify's 1000-point cap.
export const SHOPIFY_VARIANTS_PAGE = 100
export const SHOPIFY_ORDERS_PAGE = 15
export const SHOPIFY_ORDER_LINES = 50

export const LOCATIONS_QUERY = `query Locations($first: Int!) {
  locations(first: $first) { nodes { id name isActive } }
}`

const variantFields = `id sku barcode title
  product { id title status }
  inventoryItem { id inventoryLevel(locationId: $locationId) { quantities(names: ["available"]) { name quantity } } }`

export const VARIANTS_QUERY = `query Variants($first: Int!, $after: String, $locationId: ID!) {
  productVariants(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { ${variantFields} }
  }
}`

export const VARIANT_NODES_QUERY = `query VariantNodes($ids: [ID!]!, $locationId: ID!) {
  nodes(ids: $ids) { ... on ProductVariant { ${variantFields} } }
}`

export const SHOP_QUERY = `query Shop { shop { name myshopifyDomain } }`

const lineItemFields = `pageInfo { hasNextPage endCursor }
        nodes { id sku quantity currentQuantity variant { id barcode } originalUnitPriceSet { shopMoney { amount } } }`

export const ORDERS_QUERY = `query Orders($first: Int!, $after: String, $query: String!, $lineItemsFirst: Int!) {
  orders(first: $first, after: $after, sortKey: UPDATED_AT, query: $query) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id name createdAt updatedAt cancelledAt displayFulfillmentStatus currencyCode
      lineItems(first: $lineItemsFirst) { ${lineItemFields} }
    }
  }
}`

export const SET_QUANTITIES_MUTATION = `mutation SetQuantities($input: InventorySetQuantitiesInput!, $key: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { id }
    userErrors { code field message }
  }
}`

/** One aliased productUpdate per product, so pausing many products is one request. */
export const productStatusMutation = (count: number) => {
  const vars = Array.from({ length: count }, (_, i) => `$p${i}: ProductUpdateInput!`).join(', ')
  const fields = Array.from(
    { length: count },
    (_, i) => `p${i}: productUpdate(product: $p${i}) { product { id status } userErrors { field message } }`,
  ).join('\n  ')
  return `mutation ProductStatus(${vars}) {\n  ${fields}\n}`
}

/** The rest of an order's line items, when it has more than one page holds. */
export const ORDER_LINES_QUERY = `query OrderLines($id: ID!, $lineItemsFirst: Int!, $after: String) {
  order(id: $id) { id lineItems(first: $lineItemsFirst, after: $after) { ${lineItemFields} } }
}`
