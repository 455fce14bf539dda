// The parts of zDirect payloads the adapter reads: stocks 207 results, offer blockers
// (spec: zalando/zalando-offer-blocking-openapi.yml) and JSON:API orders (Orders API 1.1.1).
export type ZalandoResultStatus = 'ACCEPTED' | 'REJECTED' | 'FAILED'

export interface ZalandoStockItem {
  sales_channel_id: string
  ean: string
  quantity: number
}

export interface ZalandoStockResult {
  item: ZalandoStockItem
  result: { status: ZalandoResultStatus; code?: number; description?: string }
}

export interface ZalandoOfferBlocker {
  id: string
  reason: string
  description?: string
  criteria: { ean?: string; sales_channel_id?: string }
}

export interface JsonApiResource<A> {
  type: string
  id: string
  attributes: A
  relationships?: Record<string, { data?: { type: string; id: string }[] }>
}

export interface ZalandoOrderAttributes {
  order_number: string
  order_date: string
  status: 'initial' | 'approved' | 'fulfilled'
  sales_channel_id: string
  created_at?: string
  modified_at?: string
  order_lines_price_currency?: string
}

export interface ZalandoOrderItemAttributes {
  article_id: string
  external_id?: string
  quantity_initial: number
  quantity_reserved: number
  quantity_shipped: number
  quantity_returned: number
  quantity_canceled: number
}

export interface ZalandoOrderLineAttributes {
  status: 'initial' | 'reserved' | 'shipped' | 'returned' | 'canceled'
  price: { amount: number; currency: string }
}

export interface ZalandoOrdersDocument {
  data: JsonApiResource<ZalandoOrderAttributes>[]
  included?: JsonApiResource<ZalandoOrderItemAttributes | ZalandoOrderLineAttributes>[]
  links?: { self?: string; next?: string }
}
