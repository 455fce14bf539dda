export {
  BOL_SIM_CREDENTIALS,
  BOL_SIM_LIMITS,
  startBolSimulator,
  type BolSimEndpoint,
  type BolSimOffer,
  type BolSimulator,
  type BolSimulatorOptions,
  type BolSimWindow,
} from './bol-simulator'
