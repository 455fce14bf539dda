// ShellSync: sync as the desktop shell drives it (start, stop with a drain, catch up after sleep, events in
// the shape the window sees), and nothing more. The shell receives a factory of this interface, so it runs
// (tray, window, IPC, notifications) with any implementation: the runtime's (runtime-shell-sync.ts, wired in
// main.ts), or a fake in tests.
import type { Database } from 'better-sqlite3'
import type { SecretVault } from '../core/ports/secret-vault'
import type { Engine } from '../node/engine'
import type { EngineEventDto } from '../../shared/dto'

/** Why the engine is asked to catch up: the machine woke from sleep, or the app started at login. */
export type CatchUpReason = 'resume' | 'login'

export interface ShellSync {
  /** The engine the API handlers and the tray drive (HandlerContext.engine); null while none runs. */
  control(): Engine | null
  start(): Promise<void>
  /** Graceful: resolves once the outbox is drained (or the engine's drain timeout passed). */
  stop(): Promise<void>
  /** Reread what changed while the app was not looking (Odoo changes, orders), then recompute. */
  catchUp(reason: CatchUpReason): Promise<void>
  /** Events for the renderer and the notifier, already in the shape the UI sees. */
  subscribe(listener: (event: EngineEventDto) => void): () => void
}

export interface ShellSyncContext {
  db: Database
  /** The safeStorage vault: adapters get their credentials through it. */
  vault: SecretVault
  dataDir: string
  log: (level: 'info' | 'warn' | 'error', message: string) => void
}

export type ShellSyncFactory = (ctx: ShellSyncContext) => ShellSync
