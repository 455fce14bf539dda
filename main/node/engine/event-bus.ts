// The live event stream the UI and the CLI subscribe to. A listener that throws is reported and kept
// out of the engine's way: one broken window must not stop the sync.
import type { EngineEvent } from './engine-types'

export type EngineListener = (event: EngineEvent) => void

export class EventBus {
  private readonly listeners = new Set<EngineListener>()

  constructor(private readonly onListenerError: (e: unknown) => void) {}

  subscribe(listener: EngineListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  emit(event: EngineEvent): void {
    for (const l of this.listeners) {
      try {
        l(event)
      } catch (e) {
        this.onListenerError(e)
      }
    }
  }

  get size(): number {
    return this.listeners.size
  }
}
