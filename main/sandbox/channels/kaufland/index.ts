export { startKauflandSimulator } from './kaufland-simulator'
export type {
  KauflandReceivedRequest,
  KauflandSimulator,
  KauflandSimulatorOptions,
  KauflandSimUnitInput,
} from './types'
