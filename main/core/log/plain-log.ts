// The sync log in a seller's words. The engine writes terse, exact lines ("set 34 confirmed in 80 ms
// (stamp 1900)"); the live log and its export show what they mean ("Shows 34 now: confirmed by Amazon,
// 0.1 s after the change"). Lines this module does not know are shown as written, without internal stamps.

export interface PlainLogInput {
  kind: string
  status: string | null
  message: string
}

export interface PlainLogContext {
  /** The channel's name as the seller knows it ("Amazon DE"); null for lines about Odoo or the app. */
  channel: string | null
  /** Odoo's name of the sale order a line names by id, when known ("S00042"). */
  saleOrderName?: (odooId: number) => string | null
}

/** "0.4 s", "12.0 s", "2 min 5 s". */
export const duration = (ms: number): string => {
  if (ms < 100) return 'under 0.1 s'
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const s = Math.round(ms / 1000)
  const m = Math.floor(s / 60)
  return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`
}

const units = (n: number) => `${n} ${n === 1 ? 'unit' : 'units'}`
const listingsWord = (n: number) => `${n} ${n === 1 ? 'listing' : 'listings'}`

/** What a figure does on the channel: "shows 4", "paused (nothing to sell)", "back on sale with 4". */
const figure = (action: string, quantity: string): string =>
  action === 'pause'
    ? 'taken off sale (nothing left to sell)'
    : action === 'resume'
      ? `back on sale with ${quantity}`
      : `showing ${quantity}`

/** "published 4 = free 7 - pending 1 - buffer 2; buffer 2 = ..." in words. */
export function explainFormula(explanation: string): string {
  const m =
    /^published (\d+) = (?:(kit) )?(free|on hand|forecast) ([\d.]+)(?: \(([^)]*)\))? - pending ([\d.]+)(?: \(([^)]*)\))? - buffer ([\d.]+)/.exec(
      explanation,
    )
  if (!m) return explanation.replace(/\s*\(stamp \d+\)/g, '')
  const [, , kit, basis, base, , pending, , buffer] = m
  const basisWords =
    basis === 'free'
      ? `${base} free in Odoo${kit ? ' (kits its components make)' : ''}`
      : basis === 'on hand'
        ? `${base} on hand in Odoo`
        : `${base} forecast in Odoo`
  const parts = [basisWords]
  if (Number(pending) > 0) parts.push(`${pending} sold and not yet in Odoo`)
  if (Number(buffer) > 0) parts.push(`${buffer} held back as safety buffer`)
  return parts.join(', minus ')
}

const STATUS_WORDS: Record<string, string> = {
  confirmed: 'confirmed by',
  accepted: 'accepted by',
  sent: 'sent to',
}

/** The line in plain words. */
export function plainLogText(e: PlainLogInput, ctx: PlainLogContext): string {
  const ch = ctx.channel ?? 'the channel'
  const msg = e.message
  let m: RegExpExecArray | null
  if (e.kind === 'push') {
    if ((m = /^(set|pause|resume) (\d+) (confirmed|accepted|sent) in (\d+) ms \(stamp \d+\)$/.exec(msg))) {
      const [, action, q, outcome, ms] = m
      const how =
        outcome === 'accepted'
          ? `${ch} accepted it and confirms shortly`
          : `${STATUS_WORDS[outcome!] ?? outcome} ${ch}`
      return `Now ${figure(action!, q!)}: ${how}, ${duration(Number(ms))} after the change.`
    }
    if ((m = /^(set|pause|resume) (\d+) confirmed \(stamp \d+\)$/.exec(msg)))
      return `${ch} confirmed it is ${figure(m[1]!, m[2]!)}.`
    if ((m = /^(set|pause|resume) (\d+): (published .*)$/.exec(msg))) {
      const formula = m[3]!.split(';')[0]!
      return `New figure ${m[2]} to send${m[1] === 'pause' ? ' (the listing is taken off sale)' : ''}: ${explainFormula(formula)}.`
    }
    if ((m = /^queued (\d+) superseded by (\d+) before it was sent$/.exec(msg)))
      return `${m[1]} was replaced by the newer figure ${m[2]} before it was sent.`
    if ((m = /^(\d+) superseded by (\d+) while it was in flight/.exec(msg)))
      return `${m[1]} was replaced by the newer figure ${m[2]} while ${ch} had not yet answered for ${m[1]}.`
    if ((m = /^(?:set|pause|resume) (\d+) waits (\d+) ms: an older write/.exec(msg)))
      return `${m[1]} goes to ${ch} in ${Math.ceil(Number(m[2]) / 1000)} s: an older figure whose answer never came may still be applied by ${ch}, and must not overwrite it.`
    if ((m = /^batch of (\d+): (.*)$/.exec(msg)))
      return `Sent ${listingsWord(Number(m[1]))} to ${ch} in one request: ${m[2]}.`
    if ((m = /^(\d+) listings confirmed$/.exec(msg))) return `${ch} confirmed ${listingsWord(Number(m[1]))}.`
    if ((m = /^(\d+) listings queued$/.exec(msg)))
      return `${listingsWord(Number(m[1]))} waiting to be sent to ${ch}.`
    if ((m = /^will retry (\d+): [^:]+: (.*)$/.exec(msg)))
      return `Could not send ${m[1]} yet (${m[2]}); LastUnit tries again.`
    if ((m = /^rejected (\d+): [^:]+: (.*)$/.exec(msg))) return `${ch} refused ${m[1]}: ${m[2]}.`
    if ((m = /^blocked: (.*)$/.exec(msg)))
      return `LastUnit stopped sending to this listing: ${m[1]}. Fix the cause, then unblock it.`
    if ((m = /^(set|pause|resume) (\d+) sent again: (.*)$/.exec(msg)))
      return `${ch} did not apply ${m[2]} (${m[3]}): sent again.`
    if (msg === 'unblocked by the seller') return 'You unblocked this listing: LastUnit sends to it again.'
  }
  if (e.kind === 'order') {
    if ((m = /^order (\S+) new \((\w+)\)(?:, (\d+) lines not mapped to a product)?$/.exec(msg)))
      return `New order ${m[1]} on ${ch}${m[2] === 'open' ? '' : ` (${m[2]})`}: every other channel is lowered at once${m[3] ? `; ${m[3]} of its lines are not mapped to an Odoo product` : ''}.`
    if ((m = /^order (\S+) changed \((\w+)\)/.exec(msg)))
      return m[2] === 'cancelled'
        ? `Order ${m[1]} was cancelled on ${ch}: its units are for sale again.`
        : `Order ${m[1]} changed on ${ch} (now ${m[2]}).`
    if ((m = /^(\d+) pending units of order (\S+) released:/.exec(msg)))
      return `Odoo has reserved order ${m[2]}: LastUnit no longer holds its ${units(Number(m[1]))} itself.`
    if ((m = /^fetching orders failed: (.*)$/.exec(msg)))
      return `Could not check ${ch} for new orders: ${m[1]}.`
  }
  if (e.kind === 'order_import') {
    if ((m = /^order (\S+) confirmed in Odoo as sale order (\d+) \(([^)]*)\)$/.exec(msg))) {
      const name = ctx.saleOrderName?.(Number(m[2])) ?? null
      return name
        ? `Order ${m[1]} is in Odoo as sale order ${name}, confirmed.`
        : `Order ${m[1]} is in Odoo as a confirmed sale order (Odoo's record ${m[2]}; its name shows on the Orders screen).`
    }
    if ((m = /^order (\S+) waits for Odoo: (.*)$/.exec(msg)))
      return `Order ${m[1]} waits for Odoo (${m[2]}); LastUnit tries again.`
    if ((m = /^order (\S+) cancelled on the channel: sale order (\S+) cancelled in Odoo$/.exec(msg)))
      return `Order ${m[1]} was cancelled on ${ch}, and its sale order in Odoo too.`
  }
  if (e.kind === 'resync') {
    if ((m = /^full resync (\d+) started for (.*)$/.exec(msg))) return `Full resync started for ${m[2]}.`
    if ((m = /^full resync (\d+) done: (\d+) listings$/.exec(msg)))
      return `Full resync finished: ${listingsWord(Number(m[2]))} sent again.`
    if ((m = /^full resync (\d+) cancelled$/.exec(msg))) return 'Full resync cancelled.'
  }
  if (
    e.kind === 'drift' &&
    (m = /^channel shows (\d+)( \(paused\))?, should show (\d+): repairing$/.exec(msg))
  )
    return `${ch} showed ${m[1]}${m[2] ? ' (off sale)' : ''} instead of ${m[3]}: corrected.`
  return msg.replace(/\s*\(stamp \d+\)/g, '')
}

/** The status word a seller reads, for the log's status column. */
export const STATUS_LABELS: Record<string, string> = {
  queued: 'waiting to send',
  sent: 'sent',
  accepted: 'sent, awaiting confirmation',
  confirmed: 'confirmed',
  rejected: 'refused',
  superseded: 'replaced by a newer figure',
  skipped: 'skipped',
  blocked: 'blocked',
  retry: 'sent again',
  batch: 'sent',
  released: 'reserved in Odoo',
  retryable: 'will retry',
  needs_seller: 'needs you',
  permanent: 'failed',
  throttled: 'slowed down',
  resumed: 'working again',
  open: 'new',
  cancelled: 'cancelled',
  shipped: 'shipped',
  running: 'running',
  done: 'done',
}

/** The status of any line in a word or two: known ones by name, alerts as what they ask, the rest as written. */
export function statusLabel(status: string): string {
  const known = STATUS_LABELS[status]
  if (known) return known
  if (status.endsWith('_cleared')) return 'resolved'
  if (/oversell/.test(status)) return 'oversold'
  if (/blocked|unmapped|needs_seller|failed/.test(status)) return 'needs you'
  return status.replace(/_/g, ' ')
}
