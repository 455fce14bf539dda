// The runtime (main/node/runtime: stored configuration -> Odoo gateway, adapters, engine, demo) as the
// shell drives it (ShellSync), and the engine's events as the renderer sees them
// (EngineEventDto). Status is recomputed from the handlers at most every `statusDelayMs`, since a push
// burst emits an event per listing and computing the status reads the database.
import type { EngineEvent } from '../node/engine'
import type { Engine } from '../node/engine'
import type { EngineEventDto, StatusDto } from '../../shared/dto'
import type { CatchUpReason, ShellSync } from './shell-sync'
import { toEventDto } from '../node/api/engine-events'

export { toEventDto }

/** The part of Runtime the shell uses. */
export interface RuntimeLike {
  engine(): Engine | null
  start(): Promise<void>
  /** Stops the engine with a drain of its outbox, and the demo if it runs. */
  stop(): Promise<void>
  subscribe(listener: (event: EngineEvent) => void): () => void
}

export interface RuntimeShellOptions {
  /** The status as the UI sees it (handlers.getStatus). */
  status: () => Promise<StatusDto>
  statusDelayMs?: number
  now?: () => number
  log?: (level: 'warn', message: string) => void
}

const STATUS_EVENTS = new Set<EngineEvent['type']>([
  'channel',
  'push',
  'poll',
  'resync',
  'alert',
  'stopped',
  'guard',
])

export function runtimeShellSync(runtime: RuntimeLike, opts: RuntimeShellOptions): ShellSync {
  const now = opts.now ?? Date.now
  const delay = opts.statusDelayMs ?? 250
  const listeners = new Set<(e: EngineEventDto) => void>()
  let seq = 0
  let statusTimer: ReturnType<typeof setTimeout> | null = null
  let stopped = false

  const emit = (e: EngineEventDto) => {
    for (const l of listeners) l(e)
  }
  const scheduleStatus = () => {
    if (statusTimer || stopped) return
    statusTimer = setTimeout(() => {
      statusTimer = null
      opts
        .status()
        .then((status) => emit({ type: 'status', status }))
        .catch(() => {})
    }, delay)
  }

  const unsubscribe = runtime.subscribe((event) => {
    const dto = toEventDto(event, () => ++seq, now)
    if (dto) emit(dto)
    if (STATUS_EVENTS.has(event.type)) scheduleStatus()
  })

  const step = async (what: string, p: () => Promise<unknown>) => {
    try {
      await p()
    } catch (e) {
      opts.log?.('warn', `catch-up: ${what} failed: ${e instanceof Error ? e.message : String(e)}`)
    }
  }

  return {
    control: () => runtime.engine(),
    start: () => runtime.start(),
    stop: async () => {
      stopped = true
      if (statusTimer) clearTimeout(statusTimer)
      statusTimer = null
      await runtime.stop()
      unsubscribe()
    },
    async catchUp(_reason: CatchUpReason) {
      const engine = runtime.engine()
      if (!engine) return
      // What changed in Odoo and what sold on the channels while the machine slept, then the safety net.
      await step('Odoo poll', () => engine.pollOdoo())
      for (const c of engine.status().channels)
        await step(`orders of ${c.channelId}`, () => engine.pollOrders(c.channelId))
      await step('full recompute', () => engine.fullRecompute())
      scheduleStatus()
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
