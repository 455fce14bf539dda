// The demo as the runtime sees it. The host (the desktop app, the browser preview, `lastunit demo`) hands
// the runtime a factory (RuntimeOptions.demo) that starts the simulators and writes their configuration
// into the demo's own database, as a seller's setup would be stored; the runtime then runs that
// configuration through the same path as a seller's. Product code never imports the simulators.
import type { Database } from 'better-sqlite3'
import type { SecretVault } from '../../core/ports/secret-vault'
import type { EngineOptions } from '../engine'
import type { AdapterFactoryOptions } from './channel-registry'

export interface RuntimeDemo {
  /** How the engine runs against the demo (faster polls, no first-push guard). */
  readonly engineOptions: Partial<EngineOptions>
  /** How the adapters call the simulators (their clock runs `rateScale` times faster). */
  readonly adapterOptions: AdapterFactoryOptions
  /** Starts the demo's market (stock moves, buyers' orders) once the engine runs. */
  startMarket(): void
  stop(): Promise<void>
}

export interface DemoStartOptions {
  /** The demo's own database: the demo writes its configuration there, never into the seller's. */
  db: Database
  /** A throwaway vault for the simulators' credentials. */
  vault: SecretVault
}

export type DemoFactory<D extends RuntimeDemo = RuntimeDemo> = (opts: DemoStartOptions) => Promise<D>
