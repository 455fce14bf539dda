// Shopify orders updated after a time, by cursor, sorted by updated_at; an order with more lines than one
// page holds is completed line page by line page. Units removed by cancellation, refund or edit count as
// cancelled (currentQuantity drops).
import { ClassifiedError } from '../../../core/errors'
import type { ChannelOrder, Page } from '../../../core/ports/channel-adapter'
import { PageRun } from '../kit/page-guard'
import { SHOPIFY_SERVICE, type ShopifyClient } from './shopify-client'
import { ORDER_LINES_QUERY, ORDERS_QUERY, SHOPIFY_ORDER_LINES, SHOPIFY_ORDERS_PAGE } from './shopify-queries'

interface OrderNode {
  id: string
  name: string
  createdAt: string
  updatedAt: string
  cancelledAt: string | null
  displayFulfillmentStatus: string
  currencyCode: string
  lineItems: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null }
    nodes: {
      id: string
      sku: string | null
      quantity: number
      currentQuantity: number
      variant: { id: string; barcode: string | null } | null
      originalUnitPriceSet: { shopMoney: { amount: string } }
    }[]
  }
}

const toOrder = (o: OrderNode): ChannelOrder => {
  const lines = o.lineItems.nodes.map((l) => ({
    lineId: l.id,
    listingId: l.variant?.id ?? null,
    sku: l.sku || null,
    ean: l.variant?.barcode || null,
    externalIds: { lineItemId: l.id, ...(l.variant ? { variantId: l.variant.id } : {}) },
    quantity: l.quantity,
    // currentQuantity drops when units are removed by cancellation, refund or order edit.
    cancelledQuantity: o.cancelledAt ? l.quantity : Math.max(0, l.quantity - l.currentQuantity),
    unitPrice: Number(l.originalUnitPriceSet.shopMoney.amount),
  }))
  const cancelled = lines.reduce((s, l) => s + l.cancelledQuantity, 0)
  const status = o.cancelledAt
    ? 'cancelled'
    : cancelled > 0
      ? 'partially_cancelled'
      : o.displayFulfillmentStatus === 'FULFILLED'
        ? 'shipped'
        : 'open'
  return {
    orderId: o.id,
    status,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    currency: o.currencyCode,
    lines,
  }
}

export function shopifyOrders(shopify: ShopifyClient) {
  return async function fetchOrders(sinceIso: string, cursor?: string): Promise<Page<ChannelOrder>> {
    if (Number.isNaN(Date.parse(sinceIso)))
      throw new ClassifiedError(
        'permanent',
        'shopify.bad_since',
        `fetchOrders: "${sinceIso}" is not an ISO timestamp`,
      )
    const data = await shopify.graphql<{
      orders: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: OrderNode[] }
    }>(
      ORDERS_QUERY,
      {
        first: SHOPIFY_ORDERS_PAGE,
        after: cursor ?? null,
        query: `updated_at:>'${new Date(sinceIso).toISOString()}'`,
        lineItemsFirst: SHOPIFY_ORDER_LINES,
      },
      `fetching orders updated after ${sinceIso}`,
      2 + SHOPIFY_ORDERS_PAGE * (2 + SHOPIFY_ORDER_LINES),
    )
    // Orders with more lines than one page holds are completed line page by line page.
    for (const o of data.orders.nodes) {
      let page = o.lineItems.pageInfo
      const run = new PageRun(
        { service: SHOPIFY_SERVICE, prefix: 'shopify' },
        `reading the lines of order ${o.name}`,
      )
      while (page.hasNextPage && page.endCursor) {
        const more = await shopify.graphql<{ order: { lineItems: OrderNode['lineItems'] } | null }>(
          ORDER_LINES_QUERY,
          { id: o.id, lineItemsFirst: SHOPIFY_ORDER_LINES, after: run.follow(page.endCursor) },
          `reading more lines of order ${o.name}`,
          2 + SHOPIFY_ORDER_LINES,
        )
        if (!more.order) break
        o.lineItems.nodes.push(...more.order.lineItems.nodes)
        page = more.order.lineItems.pageInfo
      }
    }
    const { hasNextPage, endCursor } = data.orders.pageInfo
    return { items: data.orders.nodes.map(toOrder), ...(hasNextPage && endCursor ? { next: endCursor } : {}) }
  }
}
