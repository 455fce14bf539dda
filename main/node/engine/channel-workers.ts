// One channel's push worker, wired to the engine: its log, events and alerts go through the engine core,
// and it pushes only while the first-push gate lets it.
import type { UnsettledSend } from '../db/repos/push-state'
import { ChannelWorker } from '../jobs/channel-worker'
import type { ChannelConfig } from './catalog'
import type { EngineCore } from './engine-core'

export interface WorkerHooks {
  mayPush: (channelId: string) => boolean
  batchDone: () => void
  /** Writes the last process sent and never saw answered: they may still land (held for their window). */
  lateWrites: readonly UnsettledSend[]
}

export function createChannelWorker(core: EngineCore, ch: ChannelConfig, hooks: WorkerHooks): ChannelWorker {
  const worker = new ChannelWorker(
    ch.id,
    core.adapters.get(ch.id)!,
    core.db,
    core.clock,
    {
      log: (e) => core.log(e),
      pushed: (e) => core.emit({ type: 'push', channelId: ch.id, ...e }),
      stateChanged: (s, message) =>
        core.emit({ type: 'channel', channelId: ch.id, state: s, ...(message ? { message } : {}) }),
      alert: (a) => core.raiseAlert({ ...a, channelId: ch.id }),
      clearAlert: (kind, subject) => core.clearAlert(kind, subject),
      mayPush: () => hooks.mayPush(ch.id),
      batchDone: () => hooks.batchDone(),
    },
    {
      blockAfter: core.opts.blockAfter,
      backoff: core.opts.backoff,
      confirmIntervalMs: core.opts.confirmIntervalMs,
      random: core.opts.random,
      lateWriteWindowMs: core.opts.lateWriteWindowMs,
    },
  )
  worker.expectLateWrites(hooks.lateWrites)
  return worker
}
