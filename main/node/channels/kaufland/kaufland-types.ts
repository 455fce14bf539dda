// The subset of Kaufland Seller API v2 payloads the adapter reads (spec: kaufland/swagger.json).
export const KAUFLAND_STOREFRONTS = ['de', 'cz', 'sk', 'pl', 'at', 'fr', 'it'] as const
export type KauflandStorefront = (typeof KAUFLAND_STOREFRONTS)[number]

export interface KauflandProduct {
  id_product: number
  title: string
  eans: string[]
}

export interface KauflandUnit {
  id_unit: number
  id_offer: string | null
  id_product: number
  status: 'INCOMPLETE' | 'AVAILABLE' | 'ONHOLD'
  amount: number
  currency: string
  product?: KauflandProduct
}

export interface KauflandPagination {
  offset: number
  limit: number
  total: number
}

export type KauflandOrderUnitStatus =
  | 'cancelled'
  | 'need_to_be_sent'
  | 'open'
  | 'received'
  | 'returned'
  | 'returned_paid'
  | 'sent'
  | 'sent_and_autopaid'

export interface KauflandOrderUnit {
  id_order_unit: number
  id_order: string
  ts_created_iso: string
  ts_updated_iso: string
  status: KauflandOrderUnitStatus
  price: number
  id_offer: string | null
  currency: string
  product: KauflandProduct | null
  /** Who ships the unit; `fulfilled_by_kaufland` ships from Kaufland's stock (deprecated by Kaufland). */
  fulfillment_type?: 'fulfilled_by_merchant' | 'fulfilled_by_kaufland'
}

/** One entry of the 207 body of POST /units/bulk: success, validation error or internal error. */
export interface KauflandBulkEntry {
  id_unit: number
  status_code: number
  unit?: KauflandUnit
  message?: string
  key?: string
  errors?: { field: string; message: string }[]
}
