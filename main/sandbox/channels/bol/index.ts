export { startBolSimulator } from './bol-simulator'
export {
  BOL_SIM_CREDENTIALS,
  type BolSimEndpoint,
  type BolSimOffer,
  type BolSimulator,
  type BolSimulatorOptions,
  type BolSimWindow,
} from './types'
