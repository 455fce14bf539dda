export {
  BOL_SIM_CREDENTIALS,
  startBolSimulator,
  type BolSimEndpoint,
  type BolSimOffer,
  type BolSimulator,
  type BolSimulatorOptions,
  type BolSimWindow,
} from './bol-simulator'
