export { runDemo, formatDemoSummary } from './run-demo'
export type { DemoOptions, DemoSummary, DemoChannelSummary } from './run-demo'
export { MemoryOdoo, LOC } from './memory-odoo'
export { CHANNEL_PROFILES } from './channel-profiles'
