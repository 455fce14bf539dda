export {
  createZalandoAdapter,
  ZALANDO_BASE_URLS,
  ZALANDO_BLOCKERS_MAX,
  ZALANDO_PAUSE_DESCRIPTION,
  ZALANDO_STOCKS_MAX,
  type ZalandoAdapterOptions,
  type ZalandoConfig,
} from './zalando-adapter'
