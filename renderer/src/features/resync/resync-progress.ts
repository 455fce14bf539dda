import type { ResyncRunDto } from '../../../../shared/dto'

/**
 * Bars only ever move forward within a run: the run last shown is a floor for the one read now (a poll
 * answer and a pushed event can arrive out of order).
 */
export function forward(prev: ResyncRunDto | null, next: ResyncRunDto | null): ResyncRunDto | null {
  if (!next) return next
  const finished = next.state === 'done'
  const same = prev && prev.runId === next.runId ? prev : null
  const floor = new Map((same?.progress ?? []).map((b) => [b.channelId, b.done]))
  const progress = next.progress?.map((b) => ({
    ...b,
    done: finished ? b.total : Math.min(b.total, Math.max(b.done, floor.get(b.channelId) ?? 0)),
  }))
  const total = progress && progress.length > 0 ? progress.reduce((n, b) => n + b.total, 0) : next.total
  const raw = progress && progress.length > 0 ? progress.reduce((n, b) => n + b.done, 0) : next.done
  const done = finished ? total : Math.min(total, Math.max(raw, same?.done ?? 0))
  return { ...next, total, done, ...(progress ? { progress } : {}) }
}
