export {
  startZalandoSimulator,
  type ZalandoSimArticle,
  type ZalandoSimLimits,
  type ZalandoSimulator,
  type ZalandoSimulatorOptions,
} from './zalando-simulator'
