// Full resync (progress, estimate, cancel; a run interrupted by a restart shows as still running until
// the engine resumes it) and the first-push guard's dry-run diff with its confirmation.
import type { FirstPushReviewDto, ResyncOverviewDto, ResyncRunDto } from '../../../../shared/dto'
import type { ResyncProgress } from '../../engine'
import { listChannels } from '../../db/repos/channels'
import { channelNames, listingLabels } from '../../db/repos/labels'
import { getResyncRun, latestResyncRun, type ResyncRun } from '../../db/repos/resync'
import { resyncSummary } from '../../db/repos/resync-summary'
import { reviewFirstPushHeadless } from '../../setup/first-push-command'
import type { HandlerContext } from '../handler-context'
import { HandlerError } from '../handler-error'
import type { Handlers } from '../handler-types'

const runDto = (s: HandlerContext, r: ResyncRun | ResyncProgress, etaMs: number | null): ResyncRunDto => {
  const names = channelNames(s.db)
  const p = 'channels' in r && r.channels ? r.channels : null
  return {
    runId: r.id,
    state: r.state,
    total: r.total,
    done: r.done,
    etaMs,
    channels: r.channelFilter,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    etaMeasured: 'estimateMeasured' in r ? (r.estimateMeasured ?? false) : false,
    ...(p
      ? {
          progress: p.map((c) => ({
            channelId: c.channelId,
            name: names.get(c.channelId) ?? c.channelId,
            total: c.total,
            done: c.done,
            etaMs: r.state === 'running' ? c.estimatedMs : 0,
          })),
        }
      : {}),
    // What the run changed, once it ended: from what each listing showed before it started.
    summary:
      r.state === 'running'
        ? null
        : resyncSummary(s.db, r.id, r.startStamp).map((c) => ({
            ...c,
            name: names.get(c.channelId) ?? c.channelId,
          })),
    error: r.error,
  }
}

/** Why a channel cannot be resynced now, in words; null when it can. */
function whyNot(s: HandlerContext): Map<string, string | null> {
  const e = s.engine()
  const running = new Set(
    (e?.status().channels ?? []).filter((c) => c.state !== 'stopped').map((c) => c.channelId),
  )
  const out = new Map<string, string | null>()
  for (const c of listChannels(s.db)) {
    if (running.has(c.id)) out.set(c.id, null)
    else if (!e) out.set(c.id, `Sync is not running, so nothing can be sent to ${c.name} now.`)
    else if (c.state === 'setup')
      out.set(
        c.id,
        `${c.name} is still being set up: LastUnit sends nothing to a channel before it goes live. Finish its checklist and take it live; what its first push will send can be previewed here.`,
      )
    else if (c.state === 'disabled') out.set(c.id, `${c.name} is switched off: nothing is sent to it.`)
    else
      out.set(
        c.id,
        `${c.name} is live but not syncing: its credentials or settings are incomplete. Complete them in Connections.`,
      )
  }
  return out
}

export function resyncHandlers(
  s: HandlerContext,
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
    getResync: async (req): Promise<ResyncOverviewDto> => {
      const e = s.engine()
      const st = e?.status()
      const latest = latestResyncRun(s.db)
      let run: ResyncRunDto | null = null
      if (st?.resync) run = runDto(s, st.resync, st.resync.state === 'running' ? st.resync.estimatedMs : null)
      else if (latest) run = runDto(s, latest, null)
      const reasons = whyNot(s)
      const names = channelNames(s.db)
      const asked = req.channels ?? []
      const blocked = asked
        .map((c) => reasons.get(c) ?? `There is no channel "${c}".`)
        .filter((x) => x !== null)
      // A channel that cannot be resynced is explained, not estimated.
      const est =
        e && blocked.length === 0 ? e.estimateResync(asked.length > 0 ? { channels: asked } : {}) : null
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
        channels: [...reasons].map(([id, reason]) => ({
          channelId: id,
          name: names.get(id) ?? id,
          live: reason === null,
          reason,
        })),
        unavailable:
          blocked.length > 0
            ? blocked.join(' ')
            : e
              ? null
              : 'Sync is not running: start the demo or connect Odoo and a channel.',
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
    reviewFirstPush: async (req): Promise<FirstPushReviewDto> => {
      const e = s.engine()
      const runs = e?.status().channels.some((c) => c.channelId === req.channelId) ?? false
      const channel = listChannels(s.db).find((c) => c.id === req.channelId)
      if (!channel) throw new HandlerError('not_found', `There is no channel "${req.channelId}".`)
      // A channel the engine runs: what a push sends now. One in setup: a dry run of what going live sends.
      const r =
        runs && e
          ? e.reviewFirstPush(req.channelId)
          : (await reviewFirstPushHeadless(s.db, s.vault, req.channelId)).review
      const labels = listingLabels(
        s.db,
        req.channelId,
        r.diff.map((d) => d.listingId),
      )
      return {
        channelId: r.channelId,
        hold: r.verdict.needsConfirmation,
        reason: r.verdict.reason,
        diff: r.diff.map((d) => ({
          listingId: d.listingId,
          before: d.current,
          after: d.next,
          sku: labels.get(d.listingId)?.sku ?? null,
          productName: labels.get(d.listingId)?.productName ?? null,
        })),
        channelName: channel.name,
        channelState: channel.state,
      }
    },
    confirmFirstPush: async (req) => {
      needEngine().confirmFirstPush(req.channelId)
      return { confirmed: true }
    },
  }
}
