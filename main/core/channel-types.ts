// Channel types live in shared/ (the UI needs them too); core re-exports them for its own modules.
export {
  CHANNEL_TYPES,
  CHANNEL_LABELS,
  CHANNEL_ZERO_STOCK_ACTIONS,
  CHANNEL_CREDENTIAL_FIELDS,
  ZERO_STOCK_ACTIONS,
  type ChannelType,
  type ZeroStockAction,
  type StockBasis,
} from '../../shared/channel-types'
