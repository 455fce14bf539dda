// The guided pre-launch checklist behind the IPC contract: the same service the CLI uses
// (main/node/checklist), so the screen and `lastunit checklist` give the same answers.
import type { ChecklistProgressDto, ChecklistRunDto, ReturnTestDto } from '../../../../shared/dto'
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
  type ChecklistStep,
  type ReturnTestFigures,
} from '../../checklist'
import { errorMessage } from '../../../core/errors'
import { getChannel, listChannels } from '../../db/repos/channels'
import { listingLabels, productLabels } from '../../db/repos/labels'
import { listMappings } from '../../db/repos/mappings'
import { publishedByListing } from '../../db/repos/mapping-view'
import { headlessReturnFigures, openPreview } from '../../setup/headless'
import type { HandlerContext } from '../handler-context'
import { HandlerError } from '../handler-error'
import type { Handlers } from '../handler-types'

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
  | 'getChecklist'
  | 'runChecklist'
  | 'runZeroStockTest'
  | 'runReturnTest'
  | 'goLive'
  | 'confirmSingleSource'
  | 'checklistProgress'
  | 'startReturnTest'
  | 'returnTestStatus'
  | 'cancelReturnTest'
  | 'zeroStockCandidates'

/** How long a real return takes a seller in Odoo (open the delivery, Return, validate): waited for. */
export const RETURN_TEST_TIMEOUT_MS = 15 * 60_000
/** A run's expected length before one was measured. */
const DEFAULT_RUN_MS = 20_000

const STEP_LABELS: Record<ChecklistStep, (channel: string) => string> = {
  read_back: (c) => `Reading every mapped listing back from ${c} (after the updates on their way)`,
  locations: () => "Reading Odoo's warehouse locations",
  odoo: () => 'Checking that Odoo and every live channel are synced',
  evaluate: () => 'Checking mappings, buffers and warehouse rules',
}
const STEPS: ChecklistStep[] = ['read_back', 'locations', 'odoo', 'evaluate']

interface Progress {
  startedAt: number
  states: Map<ChecklistStep, 'waiting' | 'running' | 'done'>
  running: boolean
}

interface ReturnTest {
  state: ReturnTestDto['state']
  productId: number | null
  startedAt: number
  steps: string[]
  abort: AbortController
  run: ChecklistRunDto | null
}

export function checklistHandlers(s: HandlerContext): Pick<Handlers, ChecklistMethods> {
  const progress = new Map<string, Progress>()
  /** How long the last run of each channel took: the next run's expected length. */
  const took = new Map<string, number>()
  const returns = new Map<string, ReturnTest>()
  const deps = (channelId: string): ChecklistDeps => {
    if (!getChannel(s.db, channelId))
      throw new HandlerError('not_found', `There is no channel "${channelId}".`)
    return { db: s.db, engine: s.engine(), vault: s.vault }
  }
  const returnDto = (channelId: string): ReturnTestDto => {
    const t = returns.get(channelId)
    const productId = t?.productId ?? suggestReturnProduct(s.db, channelId)
    const label = productId === null ? null : productLabels(s.db, [productId]).get(productId)
    const live = new Map(
      listChannels(s.db)
        .filter((c) => c.state === 'live' || c.id === channelId)
        .map((c) => [c.id, c.name]),
    )
    const listedOn = [
      ...new Set(
        listMappings(s.db)
          .filter((m) => m.productId === productId && live.has(m.channelId))
          .map((m) => live.get(m.channelId)!),
      ),
    ]
    return {
      state: t?.state ?? 'idle',
      productId,
      sku: label?.sku ?? null,
      productName: label?.name ?? null,
      listedOn,
      startedAt: t?.startedAt ?? null,
      timeoutMs: RETURN_TEST_TIMEOUT_MS,
      steps: t?.steps ?? [],
      run: t?.run ?? null,
    }
  }
  /**
   * The figures a return test follows. The engine computes live channels only: a channel in setup is
   * followed through a dry run of the engine (SyncPreview), so the first channel of a seller can pass too.
   */
  const returnFigures = async (
    channelId: string,
    productId: number,
  ): Promise<{ figures?: ReturnTestFigures; close: () => Promise<void> }> => {
    if (getChannel(s.db, channelId)?.state !== 'setup') return { close: async () => undefined }
    const h = await headlessReturnFigures(s.db, s.vault, channelId, productId).catch((e: unknown) => {
      throw new HandlerError('needs_seller', `Odoo could not be read for the return test: ${errorMessage(e)}`)
    })
    const fromEngine = engineFigures(s.engine())
    return {
      close: h.close,
      figures: {
        unavailable: (live) => (live.length === 0 ? null : fromEngine.unavailable(live)),
        quantity: (ch, l) => (ch === channelId ? h.figures.quantity(ch, l) : fromEngine.quantity(ch, l)),
        ...(h.figures.refresh ? { refresh: h.figures.refresh } : {}),
      },
    }
  }
  return {
    getChecklist: async (req) => {
      deps(req.channelId)
      return dto(checklistView(s.db, req.channelId))
    },
    runChecklist: async (req) => {
      const d = deps(req.channelId)
      const p: Progress = {
        startedAt: Date.now(),
        states: new Map(STEPS.map((x) => [x, 'waiting'])),
        running: true,
      }
      progress.set(req.channelId, p)
      try {
        return dto(
          await runChecklist({ ...d, onStep: (step, state) => p.states.set(step, state) }, req.channelId),
        )
      } finally {
        p.running = false
        took.set(req.channelId, Date.now() - p.startedAt)
      }
    },
    checklistProgress: async (req): Promise<ChecklistProgressDto> => {
      const c = getChannel(s.db, req.channelId)
      if (!c) throw new HandlerError('not_found', `There is no channel "${req.channelId}".`)
      const p = progress.get(req.channelId)
      return {
        running: p?.running ?? false,
        startedAt: p?.startedAt ?? null,
        expectedMs: took.get(req.channelId) ?? DEFAULT_RUN_MS,
        steps: STEPS.map((x) => ({ label: STEP_LABELS[x](c.name), state: p?.states.get(x) ?? 'waiting' })),
      }
    },
    zeroStockCandidates: async (req) => {
      deps(req.channelId)
      const published = publishedByListing(s.db)
      const labels = listingLabels(s.db, req.channelId)
      return listMappings(s.db, req.channelId)
        .map((m) => {
          const l = labels.get(m.listingId)
          const p = published.get(`${req.channelId}\u0000${m.listingId}`)
          return {
            listingId: m.listingId,
            sku: l?.sku ?? null,
            productName: l?.productName ?? null,
            published: p ? (p.paused ? 0 : p.quantity) : null,
          }
        })
        .sort((a, b) => (b.published ?? -1) - (a.published ?? -1) || (a.sku ?? '').localeCompare(b.sku ?? ''))
        .slice(0, 1000)
    },
    startReturnTest: async (req) => {
      const d = deps(req.channelId)
      const running = returns.get(req.channelId)
      if (running?.state === 'waiting') return returnDto(req.channelId)
      const productId = req.productId ?? suggestReturnProduct(s.db, req.channelId)
      if (productId === null)
        throw new HandlerError(
          'needs_seller',
          'No product of this channel is mapped, so there is nothing to return.',
          'Map the listings in SKU mapping first.',
        )
      const t: ReturnTest = {
        state: 'waiting',
        productId,
        startedAt: Date.now(),
        steps: [],
        abort: new AbortController(),
        run: null,
      }
      returns.set(req.channelId, t)
      const followed = await returnFigures(req.channelId, productId)
      // The seller processes the return in Odoo meanwhile: the test runs on its own and is followed here.
      void runChannelReturnTest(d, req.channelId, {
        productId,
        ...(followed.figures ? { figures: followed.figures } : {}),
        timeoutMs: RETURN_TEST_TIMEOUT_MS,
        signal: t.abort.signal,
        progressEveryMs: 30_000,
        progress: (line) => {
          if (!line.startsWith('still waiting')) t.steps.push(line)
        },
      })
        .finally(() => followed.close())
        .then(
          (r) => {
            t.state = r.passed ? 'passed' : 'failed'
            t.steps = r.steps
            t.run = dto(checklistView(s.db, req.channelId))
          },
          (e: unknown) => {
            t.state = 'failed'
            t.steps.push(`failed: ${e instanceof Error ? e.message : String(e)}`)
            t.run = dto(checklistView(s.db, req.channelId))
          },
        )
      return returnDto(req.channelId)
    },
    returnTestStatus: async (req) => {
      deps(req.channelId)
      return returnDto(req.channelId)
    },
    cancelReturnTest: async (req) => {
      deps(req.channelId)
      returns.get(req.channelId)?.abort.abort()
      return returnDto(req.channelId)
    },
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
      // Guided: the seller processes a return in Odoo; the check waits for it to reach every live channel.
      const productId = suggestReturnProduct(s.db, req.channelId)
      const followed =
        productId === null ? { close: async () => undefined } : await returnFigures(req.channelId, productId)
      try {
        const t = await runChannelReturnTest(d, req.channelId, {
          timeoutMs: 120_000,
          ...('figures' in followed && followed.figures && productId !== null
            ? { figures: followed.figures, productId }
            : {}),
        })
        return { passed: t.passed, steps: t.steps, run: dto(checklistView(s.db, req.channelId)) }
      } finally {
        await followed.close()
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
async function computedFigure(
  s: HandlerContext,
  channelId: string,
  listingId: string,
): Promise<number | null> {
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
