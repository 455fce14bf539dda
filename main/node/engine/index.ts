// The engine's entry point: `createEngine(deps)` is the one engine every host starts.
import type { Engine, EngineDeps } from './engine-types'
import { applyHeapPolicy } from './heap-policy'
import { SyncEngine } from './sync-engine'

export function createEngine(deps: EngineDeps): Engine {
  applyHeapPolicy()
  return new SyncEngine(deps)
}

export { DEFAULT_ENGINE_OPTIONS } from './defaults'
export type {
  ChannelRunState,
  ChannelStatus,
  Engine,
  EngineDeps,
  EngineEvent,
  EngineLogger,
  EngineOptions,
  EngineStatus,
  FirstPushReview,
  ListingExplanation,
  ResyncProgress,
} from './engine-types'
export { alertEvent } from './engine-types'
