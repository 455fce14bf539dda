import type { ChannelRow } from '../../main/node/db/repos/channels'

/**
 * A live channel as the tests set one up: what identifies it and where it answers, with the defaults a new
 * channel gets (free stock, zero pushed at zero, orders imported, no Odoo partner or warehouse, no caps).
 */
export function channelRow(
  base: Pick<ChannelRow, 'id' | 'type' | 'name' | 'baseUrl' | 'settings'> & Partial<ChannelRow>,
): ChannelRow {
  return {
    environment: 'custom',
    stockBasis: 'free',
    zeroStockAction: 'push_zero',
    orderImport: true,
    odooPartnerId: null,
    odooWarehouseId: null,
    maxPublished: null,
    zeroBelow: null,
    state: 'live',
    ordersWatermark: null,
    ...base,
  }
}
