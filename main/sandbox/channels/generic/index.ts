export { startGenericSimulator } from './generic-simulator'
export type { GenericSimOptions, GenericSimulator, SimListing, StampViolation } from './generic-simulator'
