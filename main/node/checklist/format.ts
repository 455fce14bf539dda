// The checklist as text: the CLI prints it, and it reads the same as the checklist screen.
import type { CheckResult, CheckStatus, FixScreen } from '../../core/checklist'
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

export function formatCheck(r: CheckResult, n: number): string[] {
  const lines = [`${n}. [${LABEL[r.status]}] ${r.title}${r.stale ? ' (stale)' : ''}`, `   ${r.evidence}`]
  if (r.overrideReason) lines.push(`   Overridden: ${r.overrideReason}`)
  if (r.fix) lines.push(`   Fix: ${r.fix} (screen: ${SCREEN_NAMES[r.screen]})`)
  return lines
}

export function formatChecklist(run: ChecklistRun): string[] {
  const lines = [`Pre-launch checklist for ${run.channelName} (${run.channelId}, ${run.channelState})`]
  run.results.forEach((r, i) => lines.push(...formatCheck(r, i + 1)))
  const failing = run.results.filter((r) => r.status === 'fail')
  const open = run.results.filter((r) => r.status !== 'pass' && r.status !== 'overridden')
  lines.push(
    open.length === 0
      ? 'Every check passes: the channel can go live.'
      : `${failing.length} failing, ${open.length - failing.length} not yet passing: ${open.map((r) => r.title).join(', ')}.`,
  )
  return lines
}
