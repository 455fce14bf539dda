// The guided pre-launch checklist behind the IPC contract: the same service the CLI uses
// (main/node/checklist), so the screen and `lastunit checklist` give the same answers.
import type { ChecklistRunDto } from '../../../../shared/dto'
import {
  checklistView,
  confirmSingleSource,
  engineFigures,
  goLive,
  runChannelReturnTest,
  runChannelZeroStockTest,
  runChecklist,
  suggestReturnProduct,
  type ChecklistDeps,
  type ChecklistRun,
  type ReturnTestFigures,
} from '../../checklist'
import { errorMessage } from '../../../core/errors'
import { getChannel } from '../../db/repos/channels'
import { listMappings } from '../../db/repos/mappings'
import { headlessReturnFigures, openPreview } from '../../setup/headless'
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

type ChecklistMethods =
  'getChecklist' | 'runChecklist' | 'runZeroStockTest' | 'runReturnTest' | 'goLive' | 'confirmSingleSource'

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
      const t = await runChannelZeroStockTest(d, req.channelId, {
        ...(req.listingId ? { listingId: req.listingId } : {}),
        // A channel that cannot read stock back is restored to LastUnit's own figure for the listing.
        restoreTo: (listingId) => computedFigure(s, req.channelId, listingId),
      })
      return { passed: t.passed, steps: t.steps, run: dto(checklistView(s.db, req.channelId)) }
    },
    runReturnTest: async (req) => {
      const d = deps(req.channelId)
      const channel = getChannel(s.db, req.channelId)!
      // Guided: the seller processes a return in Odoo; the check waits for it to reach every live channel.
      // The engine computes live channels only: a channel in setup is followed through a dry run of the
      // engine (SyncPreview), so the first channel of a seller can pass too.
      let figures: ReturnTestFigures | undefined
      let close = async () => undefined as void
      const productId = channel.state === 'setup' ? suggestReturnProduct(s.db, req.channelId) : null
      if (productId !== null) {
        const h = await headlessReturnFigures(s.db, s.vault, req.channelId, productId).catch((e: unknown) => {
          throw new HandlerError(
            'needs_seller',
            `Odoo could not be read for the return test: ${errorMessage(e)}`,
          )
        })
        close = h.close
        const fromEngine = engineFigures(s.engine())
        figures = {
          unavailable: (live) => (live.length === 0 ? null : fromEngine.unavailable(live)),
          quantity: (ch, l) =>
            ch === req.channelId ? h.figures.quantity(ch, l) : fromEngine.quantity(ch, l),
          ...(h.figures.refresh ? { refresh: h.figures.refresh } : {}),
        }
      }
      try {
        const t = await runChannelReturnTest(d, req.channelId, {
          timeoutMs: 120_000,
          ...(figures && productId !== null ? { figures, productId } : {}),
        })
        return { passed: t.passed, steps: t.steps, run: dto(checklistView(s.db, req.channelId)) }
      } finally {
        await close()
      }
    },
    confirmSingleSource: async (req) => {
      const d = deps(req.channelId)
      try {
        return dto(await confirmSingleSource(d, req.channelId))
      } catch (e) {
        throw new HandlerError('conflict', errorMessage(e))
      }
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

/**
 * The figure LastUnit publishes (a live channel) or would publish (a channel in setup, by a dry run of the
 * engine) on one listing; null when it cannot be computed.
 */
async function computedFigure(s: AppServices, channelId: string, listingId: string): Promise<number | null> {
  const c = getChannel(s.db, channelId)
  if (!c) return null
  if (c.state === 'live') {
    const q = s.engine()?.explain(channelId, listingId)?.quantity
    if (q !== undefined && q !== null) return q
  }
  const productId = listMappings(s.db, channelId).find((m) => m.listingId === listingId)?.productId
  if (productId === undefined) return null
  const p = await openPreview(s.db, s.vault, c.state === 'setup' ? [channelId] : [])
  try {
    await p.preview.read([productId])
    return p.preview.desired(channelId, listingId)?.command.quantity ?? null
  } finally {
    await p.close()
  }
}
