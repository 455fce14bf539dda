export {
  startKauflandSimulator,
  type KauflandSimulator,
  type KauflandSimulatorOptions,
  type KauflandSimUnitInput,
} from './kaufland-simulator'
