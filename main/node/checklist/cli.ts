// `lastunit checklist CHANNEL`: the same checklist the screen shows, as text or JSON, with an exit code a
// script can act on.
import type { CheckResult, NextStep } from '../../core/checklist'
import { errorMessage } from '../../core/errors'
import { getChannel } from '../db/repos/channels'
import { listMappings } from '../db/repos/mappings'
import { productNameAndSku } from '../db/repos/products'
import {
  checklistView,
  goLive,
  runChannelReturnTest,
  runChannelZeroStockTest,
  runChecklist,
  type ChecklistDeps,
  type ChecklistRun,
} from './checklist-service'
import { formatChecklist, nextCommand } from './format'
import { suggestReturnProduct, type ReturnTestFigures } from './return-test'
import { UnknownChannelError } from './snapshot'

/** What a headless host adds, doing what the app does through the engine in its own process. */
export interface ChecklistHeadless {
  /** The return test's figures (a dry run of the engine that polls Odoo itself), open for the test. */
  returnFigures(
    channelId: string,
    productId: number,
  ): Promise<{ figures: ReturnTestFigures; locations: string[]; close(): Promise<void> }>
  /** Why a test that writes to the channel would race an engine running elsewhere; null: go ahead. */
  raceWith(channelId: string): string | null
  /** What happens after go-live: who syncs the channel, the first push. */
  afterGoLive(channelId: string): string[]
  /** Ctrl+C: stops the return test's wait. */
  signal?: AbortSignal
}

export interface ChecklistCommandIo {
  out: (line: string) => void
  err: (line: string) => void
  /** The store, vault and (when sync runs) the engine the checks read. */
  deps: ChecklistDeps
  headless?: ChecklistHeadless
}

/** Every check passes or is overridden. */
export const EXIT_OK = 0
/** At least one check fails (or go-live was refused). */
export const EXIT_FAILING = 1
/** None fails, but some have not run or only warn: the channel cannot go live without an override. */
export const EXIT_INCOMPLETE = 2
export const EXIT_USAGE = 64

export const CHECKLIST_USAGE = [
  'Usage: lastunit checklist CHANNEL [--json] [--stored] [--zero-stock-test [--listing ID]]',
  '         [--return-test [--product ID] [--timeout SECONDS]] [--go-live [--override REASON]]',
  '  --stored           show the stored results (stale ones marked) without checking again',
  '  --zero-stock-test  push one listing to 0 (or pause it), read it back, restore it; then check',
  '  --return-test      guides you through a return in Odoo and waits until it is seen (and pushed to',
  '                     every live channel); --product picks the product, --timeout the wait (600 s)',
  '  --go-live          move the channel from setup to live when every check passes',
  '  --override REASON  with --go-live: go live despite failing checks; the reason is logged',
  'Checking never pushes to a channel; only --zero-stock-test writes, to its one listing.',
]

/** When several checks are open, the one to do first (later steps need the earlier ones). */
const STEP_ORDER: NextStep[] = [
  'fix_odoo',
  'fix_channel',
  'fetch_listings',
  'map_listings',
  'edit_locations',
  'edit_buffers',
  'start_sync',
  'check_status',
  'stop_other_writer',
  'zero_stock_test',
  'return_test',
  'recheck',
]

/** The command to run next for a checklist's open checks; null when none is open. */
export function firstNextCommand(results: readonly CheckResult[], channelId: string): string | null {
  const steps = new Set(results.flatMap((r) => (r.next ? [r.next] : [])))
  const step = STEP_ORDER.find((x) => steps.has(x))
  return step ? nextCommand(step, channelId) : null
}

interface Parsed {
  channelId: string
  json: boolean
  stored: boolean
  zeroStockTest: boolean
  listingId?: string
  returnTest: boolean
  productId?: number
  timeoutS?: number
  goLive: boolean
  override?: string
}

function parse(args: readonly string[]): Parsed | string {
  const p: Partial<Parsed> & {
    json: boolean
    stored: boolean
    zeroStockTest: boolean
    returnTest: boolean
    goLive: boolean
  } = {
    json: false,
    stored: false,
    zeroStockTest: false,
    returnTest: false,
    goLive: false,
  }
  const positive = (flag: string, v: string) => {
    const n = Number(v)
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} needs a whole number > 0, got "${v}"`)
    return n
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    const value = () => {
      const v = args[++i]
      if (v === undefined || v.startsWith('--')) throw new Error(`${a} needs a value`)
      return v
    }
    try {
      if (a === '--json') p.json = true
      else if (a === '--stored') p.stored = true
      else if (a === '--zero-stock-test') p.zeroStockTest = true
      else if (a === '--listing') p.listingId = value()
      else if (a === '--return-test') p.returnTest = true
      else if (a === '--product') p.productId = positive(a, value())
      else if (a === '--timeout') p.timeoutS = positive(a, value())
      else if (a === '--go-live') p.goLive = true
      else if (a === '--override') p.override = value()
      else if (a.startsWith('--')) return `unknown option ${a}`
      else if (p.channelId === undefined) p.channelId = a
      else return `unexpected argument ${a}`
    } catch (e) {
      return errorMessage(e)
    }
  }
  if (!p.channelId) return 'name the channel to check'
  if (p.override !== undefined && !p.goLive) return '--override only goes with --go-live'
  if ((p.productId !== undefined || p.timeoutS !== undefined) && !p.returnTest)
    return '--product and --timeout only go with --return-test'
  if (p.listingId !== undefined && !p.zeroStockTest) return '--listing only goes with --zero-stock-test'
  return p as Parsed
}

export const exitCodeOf = (run: ChecklistRun): number =>
  run.results.some((r) => r.status === 'fail')
    ? EXIT_FAILING
    : run.results.every((r) => r.status === 'pass' || r.status === 'overridden')
      ? EXIT_OK
      : EXIT_INCOMPLETE

/** Runs the command; returns the process exit code. */
export async function runChecklistCommand(args: readonly string[], io: ChecklistCommandIo): Promise<number> {
  const p = parse(args)
  if (typeof p === 'string') {
    io.err(p)
    for (const l of CHECKLIST_USAGE) io.err(l)
    return EXIT_USAGE
  }
  const print = (run: ChecklistRun, extra: Record<string, unknown> = {}) => {
    if (p.json) io.out(JSON.stringify({ ...run, ...extra }, null, 2))
    else for (const l of formatChecklist(run, { commands: true })) io.out(l)
  }
  /** The closing line: the command to run next. */
  const next = (run: ChecklistRun) => {
    if (p.json) return
    const cmd = firstNextCommand(run.results, run.channelId)
    if (cmd) io.out(`Next: ${cmd}`)
    else if (run.channelState === 'setup') io.out(`Next: lastunit checklist ${run.channelId} --go-live`)
  }
  try {
    if (p.stored) {
      const run = checklistView(io.deps.db, p.channelId)
      print(run)
      next(run)
      return exitCodeOf(run)
    }
    if (p.zeroStockTest) {
      if (!getChannel(io.deps.db, p.channelId)) throw new UnknownChannelError(p.channelId)
      const race = io.headless?.raceWith(p.channelId)
      if (race) {
        io.err(race)
        return EXIT_FAILING
      }
      const t = await runChannelZeroStockTest(
        io.deps,
        p.channelId,
        p.listingId ? { listingId: p.listingId } : {},
      )
      if (!p.json) for (const s of t.steps) io.out(`zero-stock test: ${s}`)
    }
    if (p.returnTest) {
      const passed = await returnTest(p, io)
      if (passed === null) return EXIT_FAILING
    }
    if (p.goLive) {
      const r = await goLive(io.deps, p.channelId, { overrideReason: p.override ?? null })
      print(r.run, { live: r.live, message: r.message })
      if (!p.json) {
        io.out(r.message)
        if (!r.live) {
          const cmd = firstNextCommand(r.blocking, p.channelId)
          if (cmd) io.out(`Next: ${cmd}`)
        } else for (const l of io.headless?.afterGoLive(p.channelId) ?? []) io.out(l)
      }
      return r.live ? EXIT_OK : EXIT_FAILING
    }
    const run = await runChecklist(io.deps, p.channelId)
    print(run)
    next(run)
    return exitCodeOf(run)
  } catch (e) {
    io.err(e instanceof UnknownChannelError ? e.message : `The checklist could not run: ${errorMessage(e)}`)
    return e instanceof UnknownChannelError ? EXIT_USAGE : EXIT_FAILING
  }
}

/** The guided return test; returns whether it passed, or null when it could not start. */
async function returnTest(p: Parsed, io: ChecklistCommandIo): Promise<boolean | null> {
  const { db } = io.deps
  const c = getChannel(db, p.channelId)
  if (!c) throw new UnknownChannelError(p.channelId)
  const productId = p.productId ?? suggestReturnProduct(db, p.channelId)
  if (productId === null) {
    io.err(
      `No product is mapped on ${c.name}, so there is nothing to return. Next: ${nextCommand('map_listings', c.id)}`,
    )
    return null
  }
  const listing = listMappings(db, p.channelId).find((m) => m.productId === productId)
  if (!listing) {
    io.err(`Product ${productId} is not mapped on ${c.name}. Next: lastunit map list ${c.id}`)
    return null
  }
  const product = productNameAndSku(db, productId)
  const timeoutMs = (p.timeoutS ?? 600) * 1000
  const opened = io.headless ? await io.headless.returnFigures(p.channelId, productId) : null
  try {
    const say = (l: string) => {
      if (!p.json) io.out(l)
    }
    const now = opened?.figures.quantity(p.channelId, listing.listingId) ?? null
    say(
      `Return test for ${c.name}: product ${productId}${product ? ` "${product.name}"${product.sku ? ` (SKU ${product.sku})` : ''}` : ''}` +
        (now !== null ? `; LastUnit's figure for listing ${listing.listingId} is ${now} now.` : '.'),
    )
    say(
      `In Odoo: open a delivered sale of this product, choose Return on its delivery, return 1 unit to ${opened && opened.locations.length > 0 ? opened.locations.join(' or ') : 'a stock location this channel counts'}, and validate the return.`,
    )
    say(
      `LastUnit waits up to ${Math.round(timeoutMs / 1000)} s until Odoo's poll shows it${c.state === 'live' ? ' and every live channel confirms the new figure' : ' (nothing is pushed to this channel: it is in setup)'}; Ctrl+C stops.`,
    )
    const t = await runChannelReturnTest(io.deps, p.channelId, {
      productId,
      timeoutMs,
      ...(opened ? { figures: opened.figures } : {}),
      progress: (l) => say(`return test: ${l}`),
      ...(io.headless?.signal ? { signal: io.headless.signal } : {}),
    })
    say(t.passed ? `Return test passed: ${t.result.evidence}` : `Return test failed: ${t.result.evidence}`)
    return t.passed
  } finally {
    await opened?.close()
  }
}
