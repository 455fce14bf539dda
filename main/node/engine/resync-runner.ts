// The full resync: every listing of the channels named recomputed from a fresh read and queued, with
// progress per channel that never goes backwards, each channel's measured pace, and what every listing
// showed before the run (its baseline, for the summary at its end). A run survives a restart: only what
// it has not queued yet is queued again.
import { errorMessage } from '../../core/errors'
import { estimateResync } from '../../core/sync/resync-estimate'
import { ResyncRate } from '../../core/sync/resync-rate'
import { dropUnchangedQueued, outboxDepth } from '../db/repos/outbox'
import { acceptedPushCount } from '../db/repos/push-state'
import {
  createResyncRun,
  finishResyncRun,
  getResyncRun,
  runningResyncRuns,
  setResyncProgress,
  type ResyncRun,
} from '../db/repos/resync'
import { snapshotResyncBaseline } from '../db/repos/resync-summary'
import type { EngineCore } from './engine-core'
import type { ResyncProgress } from './engine-types'
import type { PlanOptions } from './planner'

export interface ResyncRunnerDeps {
  /** Reads the stock of `ids` and plans their listings. Only inside odooMutex. */
  readAndPlanLocked(ids: number[] | 'all', plan: PlanOptions): Promise<void>
}

export class ResyncRunner {
  /** Each run's per-channel progress and measured pace (the latest run only). */
  private readonly rates = new Map<number, ResyncRate>()
  /** Runs whose listings are queued: until then, an empty outbox says nothing about their progress. */
  private readonly planned = new Set<number>()
  private readonly waiters = new Map<number, Array<(r: ResyncRun) => void>>()
  private lastProgressAt = 0
  private progressTimer: NodeJS.Timeout | null = null

  constructor(
    private readonly core: EngineCore,
    private readonly d: ResyncRunnerDeps,
  ) {}

  private channelFilter(channels?: string[]): string[] {
    const { catalog } = this.core
    const live = [...catalog.channels.keys()]
    if (!channels || channels.length === 0) return live
    for (const c of channels)
      if (!catalog.channels.has(c))
        throw new RangeError(
          `resync: channel "${c}" is not live in the engine; live channels: ${live.join(', ') || '(none)'}`,
        )
    return [...new Set(channels)]
  }

  estimate(opts: { channels?: string[] } = {}) {
    const { core } = this
    const per = this.channelFilter(opts.channels).map((c) => {
      const listings = core.catalog.listingsPerChannel.get(c) ?? 0
      const e = estimateResync(listings, core.adapters.get(c)!.capabilities)
      return { channelId: c, listings, calls: e.calls, estimatedMs: e.estimatedMs }
    })
    // Channels push in parallel: the slowest one sets the time.
    return { estimatedMs: Math.max(0, ...per.map((p) => p.estimatedMs)), channels: per }
  }

  async start(opts: { channels?: string[] } = {}): Promise<ResyncProgress> {
    const { core } = this
    const filter = this.channelFilter(opts.channels)
    const run = createResyncRun(
      core.db,
      opts.channels && opts.channels.length > 0 ? filter : null,
      core.state.lastStamp() + 1,
      core.now(),
    )
    // What every listing shows before the run, for the summary at its end.
    snapshotResyncBaseline(core.db, run.id, filter)
    core.log({
      at: core.now(),
      level: 'info',
      kind: 'resync',
      status: 'running',
      message: `full resync ${run.id} started for ${filter.join(', ')}`,
      data: { runId: run.id },
    })
    await this.resume(run)
    return this.withEstimate(getResyncRun(core.db, run.id)!)
  }

  /** Resumes every run a previous process left running. */
  resumeAll(): void {
    for (const run of runningResyncRuns(this.core.db))
      void this.core.safe('resuming the resync', () => this.resume(run))
  }

  private async resume(run: ResyncRun): Promise<void> {
    const { core } = this
    const filter = new Set(run.channelFilter ?? [...core.catalog.channels.keys()])
    const total = [...filter].reduce((n, c) => n + (core.catalog.listingsPerChannel.get(c) ?? 0), 0)
    setResyncProgress(core.db, run.id, total, run.done)
    if (total === 0) {
      // Nothing to do (no live channel, or no mapped listing on those asked for): done at once, said so.
      finishResyncRun(core.db, run.id, 'done', core.now())
      core.log({
        at: core.now(),
        level: 'info',
        kind: 'resync',
        status: 'done',
        message: `full resync ${run.id}: nothing to resync (${filter.size === 0 ? 'no channel is live' : 'no mapped listing on these channels'})`,
        data: { runId: run.id },
      })
      core.emit({ type: 'resync', run: this.withEstimate(getResyncRun(core.db, run.id)!) })
      this.finished(run.id)
      return
    }
    // Each channel's pace is measured from here; the declared limits are the guess until it is.
    for (const id of [...this.rates.keys()]) if (id !== run.id) this.rates.delete(id)
    const rate = new ResyncRate()
    const now = core.now()
    for (const c of filter) {
      const listings = core.catalog.listingsPerChannel.get(c) ?? 0
      const adapter = core.adapters.get(c)
      rate.begin(c, listings, adapter ? estimateResync(listings, adapter.capabilities).estimatedMs : 0, now)
    }
    this.rates.set(run.id, rate)
    try {
      await core.odooMutex.run(() =>
        this.d.readAndPlanLocked('all', {
          channels: filter,
          // After a restart only what this run has not queued yet is queued again.
          force: (_c, _l, ps) => (ps?.stamp ?? 0) < run.startStamp,
        }),
      )
    } catch (e) {
      finishResyncRun(core.db, run.id, 'failed', core.now(), errorMessage(e))
      this.finished(run.id)
      throw e
    }
    this.planned.add(run.id)
    this.progress(true)
  }

  withEstimate(run: ResyncRun): ResyncProgress {
    const rate = this.rates.get(run.id)
    if (rate) {
      const o = rate.overall(this.core.now())
      const running = run.state === 'running'
      return {
        ...run,
        // Measured per channel once the run moves; until then, the declared limits' guess.
        estimatedMs: running ? (o.remainingMs ?? this.declaredRemaining(run)) : 0,
        estimateMeasured:
          running && o.remainingMs !== null && o.channels.some((c) => c.ratePerSecond !== null),
        channels: o.channels.map((c) => ({
          channelId: c.channelId,
          total: c.total,
          done: run.state === 'done' ? c.total : c.done,
          estimatedMs: running ? c.remainingMs : 0,
        })),
      }
    }
    return { ...run, estimatedMs: run.state === 'running' ? this.declaredRemaining(run) : 0 }
  }

  /** The declared limits' estimate for what remains of a run (before anything is measured). */
  private declaredRemaining(run: ResyncRun): number {
    const filter = run.channelFilter ?? undefined
    let estimatedMs = 0
    try {
      estimatedMs = this.estimate(filter ? { channels: filter } : {}).estimatedMs
    } catch {
      estimatedMs = 0
    }
    const share = run.total > 0 ? 1 - run.done / run.total : 0
    return Math.ceil(estimatedMs * share)
  }

  /** After each batch a worker settled: counts what the running runs still wait for. */
  progress(force: boolean): void {
    const { core } = this
    if (core.halted) return
    const now = Date.now()
    // Counting what remains reads every channel's queue: twice a second is plenty for a progress bar.
    if (!force && now - this.lastProgressAt < 500) {
      // Throttled, but the last batch of a run must still be counted: check again shortly.
      if (!this.progressTimer && !core.stopping)
        this.progressTimer = setTimeout(() => {
          this.progressTimer = null
          this.progress(true)
        }, 510)
      return
    }
    this.lastProgressAt = now
    for (const run of runningResyncRuns(core.db)) {
      if (!this.planned.has(run.id)) continue
      const channels = run.channelFilter ?? [...core.catalog.channels.keys()]
      if (channels.length === 0) continue
      // Remaining work is what is still queued or awaiting confirmation: cheap to count, unlike the
      // listings already done, and it shrinks as the run goes. Per channel, and never backwards: work
      // queued meanwhile by other changes does not undo what the run has done.
      let rate = this.rates.get(run.id)
      if (!rate) this.rates.set(run.id, (rate = new ResyncRate()))
      const at = core.now()
      let total = 0
      let done = 0
      for (const c of channels) {
        const t = core.catalog.listingsPerChannel.get(c) ?? 0
        const remaining = outboxDepth(core.db, c) + acceptedPushCount(core.db, c)
        done += rate.observe(c, at, Math.max(0, Math.min(t, t - remaining)), t)
        total += t
      }
      const capped = Math.max(0, Math.min(total, Math.max(done, run.total === total ? run.done : 0)))
      setResyncProgress(core.db, run.id, total, capped)
      if (capped >= total) {
        finishResyncRun(core.db, run.id, 'done', core.now())
        core.log({
          at: core.now(),
          level: 'info',
          kind: 'resync',
          status: 'done',
          message: `full resync ${run.id} done: ${total} listings`,
          data: { runId: run.id },
        })
      }
      const updated = getResyncRun(core.db, run.id)!
      core.emit({ type: 'resync', run: this.withEstimate(updated) })
      if (updated.state !== 'running') this.finished(run.id)
    }
  }

  stopProgress(): void {
    if (this.progressTimer) clearTimeout(this.progressTimer)
    this.progressTimer = null
  }

  private finished(id: number): void {
    const run = getResyncRun(this.core.db, id)
    if (!run) return
    for (const w of this.waiters.get(id) ?? []) w(run)
    this.waiters.delete(id)
  }

  wait(id: number): Promise<ResyncRun> {
    const run = getResyncRun(this.core.db, id)
    if (!run) return Promise.reject(new RangeError(`waitForResync: no resync run ${id}`))
    if (run.state !== 'running') return Promise.resolve(run)
    return new Promise((resolve) => {
      const list = this.waiters.get(id) ?? []
      list.push(resolve)
      this.waiters.set(id, list)
    })
  }

  cancel(id: number): void {
    const { core } = this
    const run = getResyncRun(core.db, id)
    if (!run) throw new RangeError(`cancelResync: no resync run ${id}`)
    if (run.state !== 'running') return
    // What the run queued and has not sent goes: a listing whose figure is what the channel already shows
    // is dropped, one whose figure changed stays (normal sync would send it too).
    let dropped = 0
    for (const c of run.channelFilter ?? [...core.catalog.channels.keys()])
      dropped += dropUnchangedQueued(core.db, c, run.startStamp)
    finishResyncRun(core.db, id, 'cancelled', core.now())
    core.log({
      at: core.now(),
      level: 'info',
      kind: 'resync',
      status: 'cancelled',
      message: `full resync ${id} cancelled: ${dropped} queued ${dropped === 1 ? 'listing' : 'listings'} that would change nothing dropped; changed figures still go out`,
    })
    core.emit({ type: 'resync', run: this.withEstimate(getResyncRun(core.db, id)!) })
    this.finished(id)
  }
}
