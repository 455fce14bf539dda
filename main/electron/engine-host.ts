// What the desktop shell needs from the sync engine, and nothing more. The shell receives a factory of
// this interface, so it runs (tray, window, IPC, notifications) with any engine: the runtime in main.ts
// (runtime-engine.ts), or a fake in tests.
import type { Database } from 'better-sqlite3'
import type { SecretVault } from '../core/ports/secret-vault'
import type { AppServices } from '../node/api/app-services'
import type { EngineEventDto } from '../../shared/dto'

/** Why the engine is asked to catch up: the machine woke from sleep, or the app started at login. */
export type CatchUpReason = 'resume' | 'login'

/** What the API handlers drive: whatever AppServices.engine returns (the sync engine), or null. */
export type EngineHandle = ReturnType<AppServices['engine']>

export interface ShellEngine {
  /** What the API handlers and the tray drive (AppServices.engine); null while no engine runs. */
  control(): EngineHandle
  start(): Promise<void>
  /** Graceful: resolves once the outbox is drained (or the engine's drain timeout passed). */
  stop(): Promise<void>
  /** Reread what changed while the app was not looking (Odoo changes, orders), then recompute. */
  catchUp(reason: CatchUpReason): Promise<void>
  /** Events for the renderer and the notifier, already in the shape the UI sees. */
  subscribe(listener: (event: EngineEventDto) => void): () => void
}

export interface ShellEngineContext {
  db: Database
  /** The safeStorage vault: adapters get their credentials through it. */
  vault: SecretVault
  dataDir: string
  log: (level: 'info' | 'warn' | 'error', message: string) => void
}

export type ShellEngineFactory = (ctx: ShellEngineContext) => ShellEngine
