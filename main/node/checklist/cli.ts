// `lastunit checklist CHANNEL`: the same checklist the screen shows, as text or JSON, with an exit code a
// script can act on.
import { errorMessage } from '../../core/errors'
import {
  checklistView,
  goLive,
  runChannelZeroStockTest,
  runChecklist,
  type ChecklistDeps,
  type ChecklistRun,
} from './checklist-service'
import { formatChecklist } from './format'
import { UnknownChannelError } from './snapshot'

export interface ChecklistCommandIo {
  out: (line: string) => void
  err: (line: string) => void
  /** The store, vault and (when sync runs) the engine the checks read. */
  deps: ChecklistDeps
}

/** Every check passes or is overridden. */
export const EXIT_OK = 0
/** At least one check fails (or go-live was refused). */
export const EXIT_FAILING = 1
/** None fails, but some have not run or only warn: the channel cannot go live without an override. */
export const EXIT_INCOMPLETE = 2
export const EXIT_USAGE = 64

export const CHECKLIST_USAGE = [
  'Usage: lastunit checklist CHANNEL [--json] [--stored] [--zero-stock-test [--listing ID]] [--go-live [--override REASON]]',
  '  --stored           show the stored results (stale ones marked) without checking again',
  '  --zero-stock-test  push one listing to 0 (or pause it), read it back, restore it; then check',
  '  --go-live          move the channel from setup to live when every check passes',
  '  --override REASON  with --go-live: go live despite failing checks; the reason is logged',
]

interface Parsed {
  channelId: string
  json: boolean
  stored: boolean
  zeroStockTest: boolean
  listingId?: string
  goLive: boolean
  override?: string
}

function parse(args: readonly string[]): Parsed | string {
  const p: Partial<Parsed> & { json: boolean; stored: boolean; zeroStockTest: boolean; goLive: boolean } = {
    json: false,
    stored: false,
    zeroStockTest: false,
    goLive: false,
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
    else for (const l of formatChecklist(run)) io.out(l)
  }
  try {
    if (p.stored) {
      const run = checklistView(io.deps.db, p.channelId)
      print(run)
      return exitCodeOf(run)
    }
    if (p.zeroStockTest) {
      const t = await runChannelZeroStockTest(
        io.deps,
        p.channelId,
        p.listingId ? { listingId: p.listingId } : {},
      )
      if (!p.json) for (const s of t.steps) io.out(`zero-stock test: ${s}`)
    }
    if (p.goLive) {
      const r = await goLive(io.deps, p.channelId, { overrideReason: p.override ?? null })
      print(r.run, { live: r.live, message: r.message })
      if (!p.json) io.out(r.message)
      return r.live ? EXIT_OK : EXIT_FAILING
    }
    const run = await runChecklist(io.deps, p.channelId)
    print(run)
    return exitCodeOf(run)
  } catch (e) {
    io.err(e instanceof UnknownChannelError ? e.message : `The checklist could not run: ${errorMessage(e)}`)
    return e instanceof UnknownChannelError ? EXIT_USAGE : EXIT_FAILING
  }
}
