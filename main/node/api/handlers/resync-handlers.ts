// Full resync (progress, estimate, cancel; a run interrupted by a restart shows as still running until
// the engine resumes it) and the first-push guard's dry-run diff with its confirmation.
import type { ResyncRunDto } from '../../../../shared/dto'
import { getResyncRun, latestResyncRun, type ResyncRun } from '../../db/repos/resync'
import type { AppServices } from '../app-services'
import { HandlerError } from '../handler-error'
import type { Handlers } from '../handlers'

const runDto = (r: ResyncRun, etaMs: number | null): ResyncRunDto => ({
  runId: r.id,
  state: r.state,
  total: r.total,
  done: r.done,
  etaMs,
  channels: r.channelFilter,
  startedAt: r.startedAt,
  finishedAt: r.finishedAt,
})

export function resyncHandlers(
  s: AppServices,
): Pick<Handlers, 'getResync' | 'cancelResync' | 'reviewFirstPush' | 'confirmFirstPush'> {
  const needEngine = () => {
    const e = s.engine()
    if (!e)
      throw new HandlerError(
        'unavailable',
        'Sync is not running, so this cannot be done now.',
        'Start the demo or connect Odoo and a channel.',
      )
    return e
  }
  return {
    getResync: async (req) => {
      const e = s.engine()
      const st = e?.status()
      const latest = latestResyncRun(s.db)
      let run: ResyncRunDto | null = null
      if (st?.resync) run = runDto(st.resync, st.resync.state === 'running' ? st.resync.estimatedMs : null)
      else if (latest) run = runDto(latest, null)
      const est = e?.estimateResync(req.channels ? { channels: req.channels } : {})
      return {
        run,
        estimate: est
          ? est.channels.map((c) => ({
              channelId: c.channelId,
              listings: c.listings,
              estimatedMs: c.estimatedMs,
            }))
          : null,
        awaitingConfirmation: (st?.channels ?? [])
          .filter((c) => c.state === 'awaiting_confirmation')
          .map((c) => c.channelId),
      }
    },
    cancelResync: async (req) => {
      const e = needEngine()
      const run = getResyncRun(s.db, req.runId)
      if (!run) throw new HandlerError('not_found', `There is no resync run ${req.runId}.`)
      if (run.state !== 'running') return { cancelled: false }
      e.cancelResync(req.runId)
      return { cancelled: true }
    },
    reviewFirstPush: async (req) => {
      const r = needEngine().reviewFirstPush(req.channelId)
      return {
        channelId: r.channelId,
        hold: r.verdict.needsConfirmation,
        reason: r.verdict.reason,
        diff: r.diff.map((d) => ({ listingId: d.listingId, before: d.current, after: d.next })),
      }
    },
    confirmFirstPush: async (req) => {
      needEngine().confirmFirstPush(req.channelId)
      return { confirmed: true }
    },
  }
}
