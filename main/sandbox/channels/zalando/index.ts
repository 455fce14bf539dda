export { startZalandoSimulator } from './zalando-simulator'
export type {
  ZalandoReceivedRequest,
  ZalandoSimArticle,
  ZalandoSimLimits,
  ZalandoSimulator,
  ZalandoSimulatorOptions,
} from './types'
