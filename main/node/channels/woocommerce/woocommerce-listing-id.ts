// A WooCommerce listing is a simple product ("123") or one variation of a variable product ("123/456").
export type WooListingRef = { productId: number; variationId?: number }

export const parseWooListingId = (id: string): WooListingRef | undefined => {
  const m = /^([1-9]\d*)(?:\/([1-9]\d*))?$/.exec(id)
  if (!m) return undefined
  return m[2] === undefined
    ? { productId: Number(m[1]) }
    : { productId: Number(m[1]), variationId: Number(m[2]) }
}

export const wooListingId = (productId: number, variationId?: number): string =>
  variationId ? `${productId}/${variationId}` : String(productId)
