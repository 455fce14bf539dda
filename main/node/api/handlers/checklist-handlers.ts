// The guided pre-launch checklist behind the IPC contract: the same service the CLI uses
// (main/node/checklist), so the screen and `lastunit checklist` give the same answers.
import type { ChecklistRunDto } from '../../../../shared/dto'
import {
  checklistView,
  goLive,
  runChannelReturnTest,
  runChannelZeroStockTest,
  runChecklist,
  type ChecklistDeps,
  type ChecklistRun,
} from '../../checklist'
import { getChannel } from '../../db/repos/channels'
import type { AppServices } from '../app-services'
import { HandlerError } from '../handler-error'
import type { Handlers } from '../handlers'

const dto = (run: ChecklistRun): ChecklistRunDto => ({
  channelId: run.channelId,
  channelName: run.channelName,
  channelState: run.channelState,
  passed: run.passed,
  results: run.results.map((r) => ({
    id: r.id,
    title: r.title,
    why: r.why,
    status: r.status,
    evidence: r.evidence,
    fix: r.fix,
    screen: r.screen,
    checkedAt: r.checkedAt,
    stale: r.stale,
    overrideReason: r.overrideReason,
  })),
})

type ChecklistMethods = 'getChecklist' | 'runChecklist' | 'runZeroStockTest' | 'runReturnTest' | 'goLive'

export function checklistHandlers(s: AppServices): Pick<Handlers, ChecklistMethods> {
  const deps = (channelId: string): ChecklistDeps => {
    if (!getChannel(s.db, channelId))
      throw new HandlerError('not_found', `There is no channel "${channelId}".`)
    return { db: s.db, engine: s.engine(), vault: s.vault }
  }
  return {
    getChecklist: async (req) => {
      deps(req.channelId)
      return dto(checklistView(s.db, req.channelId))
    },
    runChecklist: async (req) => dto(await runChecklist(deps(req.channelId), req.channelId)),
    runZeroStockTest: async (req) => {
      const d = deps(req.channelId)
      const t = await runChannelZeroStockTest(
        d,
        req.channelId,
        req.listingId ? { listingId: req.listingId } : {},
      )
      return { passed: t.passed, steps: t.steps, run: dto(checklistView(s.db, req.channelId)) }
    },
    runReturnTest: async (req) => {
      const d = deps(req.channelId)
      // Guided: the seller processes a return in Odoo; the check waits for it to reach every live channel.
      const t = await runChannelReturnTest(d, req.channelId, { timeoutMs: 120_000 })
      return { passed: t.passed, steps: t.steps, run: dto(checklistView(s.db, req.channelId)) }
    },
    goLive: async (req) => {
      const r = await goLive(deps(req.channelId), req.channelId, {
        overrideReason: req.overrideReason ?? null,
      })
      if (r.live) s.configChanged?.()
      return { live: r.live, message: r.message, run: dto(r.run) }
    },
  }
}
