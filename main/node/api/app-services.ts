import type { Database } from 'better-sqlite3'
import type { SecretVault } from '../../core/ports/secret-vault'
import type { ConnectionTestDto, StatusDto } from '../../../shared/dto'

/** What the engine offers the UI and the CLI. Implemented by the sync engine. */
export interface EngineControl {
  status(): StatusDto
  setPaused(paused: boolean): void
  setPeakMode(enabled: boolean): void
  startResync(channels?: string[]): { runId: number; total: number; etaMs: number | null }
}

/** Everything the API handlers work with; each host (Electron, browser preview, CLI) builds one. */
export interface AppServices {
  db: Database
  vault: SecretVault
  dataDir: string
  host: 'electron' | 'browser' | 'cli'
  version: string
  /** The running engine, or null when none runs (nothing configured yet). */
  engine: () => EngineControl | null
  testOdoo?: () => Promise<ConnectionTestDto>
  testChannel?: (channelId: string) => Promise<ConnectionTestDto>
  startDemo?: () => Promise<{ started: boolean; message: string }>
  /** True while the demo (simulators) runs. */
  demoRunning?: () => boolean
}
