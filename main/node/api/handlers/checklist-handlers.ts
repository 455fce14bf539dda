// The guided pre-launch checklist behind the IPC contract: the same service the CLI uses
// (main/node/checklist), so the screen and `lastunit checklist` give the same answers.
import type { ChecklistProgressDto, ChecklistRunDto, ReturnTestDto } from '../../../../shared/dto'
import {
  checklistView,
  goLive,
  runChannelReturnTest,
  runChannelZeroStockTest,
  runChecklist,
  suggestReturnProduct,
  type ChecklistDeps,
  type ChecklistRun,
  type ChecklistStep,
} from '../../checklist'
import { getChannel, listChannels } from '../../db/repos/channels'
import { listingLabels, productLabels } from '../../db/repos/labels'
import { listMappings } from '../../db/repos/mappings'
import { publishedByListing } from '../../db/repos/mapping-view'
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
  | 'getChecklist'
  | 'runChecklist'
  | 'runZeroStockTest'
  | 'runReturnTest'
  | 'goLive'
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

export function checklistHandlers(s: AppServices): Pick<Handlers, ChecklistMethods> {
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
      // The seller processes the return in Odoo meanwhile: the test runs on its own and is followed here.
      void runChannelReturnTest(d, req.channelId, {
        productId,
        timeoutMs: RETURN_TEST_TIMEOUT_MS,
        signal: t.abort.signal,
        progressEveryMs: 30_000,
        progress: (line) => {
          if (!line.startsWith('still waiting')) t.steps.push(line)
        },
      }).then(
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
