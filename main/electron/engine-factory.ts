// The engine the desktop app starts. One place to wire the sync engine (main/node/engine's createEngine,
// adapted to ShellEngine) into the shell; until then the shell runs with the idle engine: the UI and the
// configuration work, sync does not run.
import { idleEngineFactory, type ShellEngineFactory } from './engine-host'

export const desktopEngineFactory: ShellEngineFactory = idleEngineFactory
