// The checklist as text: the CLI prints it, and it reads the same as the checklist screen, with the command
// that moves each open check on (the screen links its own controls instead).
import type { CheckResult, CheckStatus, FixScreen, NextStep } from '../../core/checklist'
import type { ChecklistRun } from './checklist-service'

const LABEL: Record<CheckStatus, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  warn: 'WARN',
  not_run: 'NOT RUN',
  overridden: 'OVERRIDDEN',
}

export const SCREEN_NAMES: Record<FixScreen, string> = {
  connections: 'Connections',
  dashboard: 'Dashboard',
  buffers: 'Buffers',
  checklist: 'Checklist',
  mapping: 'SKU mapping',
  warehouses: 'Warehouses',
  log: 'Sync log',
}

const CONFIG_EDIT = 'lastunit config export -o setup.json, edit it, then lastunit config import setup.json'

/** The command (or commands) a seller runs headless for a step, for one channel. */
export function nextCommand(step: NextStep, channelId: string): string {
  switch (step) {
    case 'recheck':
      return `lastunit checklist ${channelId}`
    case 'fetch_listings':
      return `lastunit listings fetch ${channelId}`
    case 'map_listings':
      return `lastunit map auto ${channelId}; then lastunit map list ${channelId} --unmapped and lastunit map set ${channelId} LISTING PRODUCT_ID for the rest`
    case 'start_sync':
      return `lastunit run (keep it running: a second shell or a service), then lastunit checklist ${channelId}`
    case 'check_status':
      return `lastunit status (it names what is failing), then lastunit checklist ${channelId}`
    case 'fix_odoo':
      return `correct "odoo" in your configuration file (${CONFIG_EDIT}); lastunit status shows the connection`
    case 'fix_channel':
      return `correct the channel's credentials or baseUrl in your configuration file (${CONFIG_EDIT})`
    case 'stop_other_writer':
      return `switch off every other tool that writes this channel's stock, then lastunit checklist ${channelId}`
    case 'edit_buffers':
      return `raise "bufferRules" in your configuration file (${CONFIG_EDIT})`
    case 'edit_locations':
      return `set the channel's "locations" in your configuration file (${CONFIG_EDIT})`
    case 'zero_stock_test':
      return `lastunit checklist ${channelId} --zero-stock-test`
    case 'return_test':
      return `lastunit checklist ${channelId} --return-test`
  }
}

export function formatCheck(r: CheckResult, n: number, channelId?: string): string[] {
  const lines = [`${n}. [${LABEL[r.status]}] ${r.title}${r.stale ? ' (stale)' : ''}`, `   ${r.evidence}`]
  if (r.overrideReason) lines.push(`   Overridden: ${r.overrideReason}`)
  if (r.fix) lines.push(`   Fix: ${r.fix} (screen: ${SCREEN_NAMES[r.screen]})`)
  if (channelId && r.next) lines.push(`   Next: ${nextCommand(r.next, channelId)}`)
  return lines
}

/** The checklist as the CLI prints it; `commands`: name the command for each open check. */
export function formatChecklist(run: ChecklistRun, opts: { commands?: boolean } = {}): string[] {
  const lines = [`Pre-launch checklist for ${run.channelName} (${run.channelId}, ${run.channelState})`]
  const ch = opts.commands ? run.channelId : undefined
  run.results.forEach((r, i) => lines.push(...formatCheck(r, i + 1, ch)))
  const failing = run.results.filter((r) => r.status === 'fail')
  const overridden = run.results.filter((r) => r.status === 'overridden')
  const open = run.results.filter((r) => r.status !== 'pass' && r.status !== 'overridden')
  // An override is the seller's decision, not a passing check: it is never reported as one.
  lines.push(
    open.length > 0
      ? `${failing.length} failing, ${open.length - failing.length} not yet passing: ${open.map((r) => r.title).join(', ')}.`
      : overridden.length > 0
        ? `${overridden.length} of ${run.results.length} checks do not pass and are overridden (${overridden.map((r) => r.title).join(', ')}); the others pass.`
        : 'Every check passes: the channel can go live.',
  )
  return lines
}
