export { startDemoEnvironment } from './demo-environment'
export type { DemoEnvironment, DemoEnvironmentOptions, DemoProduct, DemoSimulators } from './demo-environment'
