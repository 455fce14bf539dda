export { startDemoEnvironment } from './demo-environment'
export type {
  DemoEnvironment,
  DemoEnvironmentOptions,
  DemoProduct,
  DemoSimulators,
  MarketEvent,
} from './demo-environment'
export { watchDemo, formatDemoSummary } from './demo-watch'
export type { DemoWatch, DemoSummary, DemoChannelSummary } from './demo-watch'
