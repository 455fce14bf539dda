// Decides which engine alerts become desktop notifications. Pure: no Electron, no timers (the caller
// passes the time), so every rule is unit-tested. A notification interrupts the seller, so only what needs
// them gets one: credentials that stopped working, blocked listings, oversells, and a channel (or Odoo)
// failing for long. Each is sent once per alert: the same alert raised again within `repeatAfterMs` stays
// silent, and blocked listings are grouped per channel so a bad batch does not fire a hundred toasts.
import type { AlertDto, StatusDto } from '../../../shared/dto'
import { redactText } from '../redaction'

export type DesktopNotificationKind =
  'credentials' | 'blocked_listing' | 'oversell' | 'channel_failing' | 'order_queue_down'

export interface DesktopNotification {
  kind: DesktopNotificationKind
  /** Identifies the alert, for deduplication and for the click handler. */
  key: string
  title: string
  body: string
  channelId: string | null
  urgent: boolean
}

export interface AlertNotifierOptions {
  /** A channel reported failing for this long gets a notification. */
  failingAfterMs?: number
  /** The same alert notifies again only after this long. */
  repeatAfterMs?: number
  /** Blocked listings of one channel are grouped within this window. */
  blockedGroupMs?: number
}

export const FAILING_AFTER_MS = 15 * 60_000
export const REPEAT_AFTER_MS = 24 * 60 * 60_000
export const BLOCKED_GROUP_MS = 10 * 60_000

const CREDENTIAL_KINDS = new Set(['channel_needs_seller', 'credentials_expired', 'odoo_unreachable'])

/** Redacted, then cut: a desktop notification is text leaving the process too. */
const clip = (raw: string, max = 220): string => {
  const s = redactText(raw)
  return s.length > max ? `${s.slice(0, max - 1)}…` : s
}

export class AlertNotifier {
  private readonly sent = new Map<string, number>()
  private readonly failingSince = new Map<string, number>()
  private readonly failingNotified = new Set<string>()
  private readonly failingAfterMs: number
  private readonly repeatAfterMs: number
  private readonly blockedGroupMs: number

  constructor(opts: AlertNotifierOptions = {}) {
    this.failingAfterMs = opts.failingAfterMs ?? FAILING_AFTER_MS
    this.repeatAfterMs = opts.repeatAfterMs ?? REPEAT_AFTER_MS
    this.blockedGroupMs = opts.blockedGroupMs ?? BLOCKED_GROUP_MS
  }

  /** An alert was raised: the notification to show, or null. */
  onAlert(alert: AlertDto, now: number): DesktopNotification | null {
    const channel = alert.channelId ?? channelOfSubject(alert.subject)
    const where = channel ? ` on ${channel}` : ''
    let n: DesktopNotification | null = null
    if (CREDENTIAL_KINDS.has(alert.kind)) {
      const target = alert.kind === 'odoo_unreachable' ? 'Odoo' : (channel ?? alert.subject)
      n = {
        kind: 'credentials',
        key: `credentials|${target}`,
        title: `${target} needs you: sync stopped`,
        body: clip(alert.message),
        channelId: channel,
        urgent: true,
      }
    } else if (alert.kind === 'listing_blocked') {
      n = {
        kind: 'blocked_listing',
        // One key per channel: the group window, not the listing, decides when to speak again.
        key: `blocked|${channel ?? alert.subject}`,
        title: `A listing is blocked${where}`,
        body: clip(alert.message),
        channelId: channel,
        urgent: false,
      }
      return this.emit(n, now, this.blockedGroupMs)
    } else if (alert.kind === 'order_queue_down') {
      // The channel still works (orders are polled): the seller learns that orders come more slowly.
      n = {
        kind: 'order_queue_down',
        key: `queue|${channel ?? alert.subject}`,
        title: `Orders${where} come more slowly: the order queue failed`,
        body: clip(alert.message),
        channelId: channel,
        urgent: false,
      }
    } else if (alert.kind === 'oversell') {
      n = {
        kind: 'oversell',
        key: `oversell|${alert.subject}`,
        title: `Oversold${where}: more ordered than in stock`,
        body: clip(alert.message),
        channelId: channel,
        urgent: true,
      }
    }
    return n ? this.emit(n, now, this.repeatAfterMs) : null
  }

  /** A status was seen (on change, and on a regular tick so that "for long" is noticed without events). */
  onStatus(status: StatusDto, now: number): DesktopNotification[] {
    const out: DesktopNotification[] = []
    const failingNow = new Set<string>()
    for (const c of status.channels) {
      if (c.health !== 'failing' || c.state === 'disabled') continue
      failingNow.add(c.id)
      const since = this.failingSince.get(c.id) ?? now
      this.failingSince.set(c.id, since)
      if (now - since >= this.failingAfterMs && !this.failingNotified.has(c.id)) {
        this.failingNotified.add(c.id)
        const minutes = Math.round((now - since) / 60_000)
        out.push({
          kind: 'channel_failing',
          key: `failing|${c.id}`,
          title: `${c.name} has been failing for ${minutes} minutes`,
          body: clip(c.message || 'Stock updates to this channel are not getting through.'),
          channelId: c.id,
          urgent: true,
        })
      }
    }
    // A channel that recovered may notify again the next time it fails for long.
    for (const id of [...this.failingSince.keys()])
      if (!failingNow.has(id)) {
        this.failingSince.delete(id)
        this.failingNotified.delete(id)
      }
    return out
  }

  private emit(n: DesktopNotification, now: number, quietMs: number): DesktopNotification | null {
    const last = this.sent.get(n.key)
    if (last !== undefined && now - last < quietMs) return null
    this.sent.set(n.key, now)
    return n
  }
}

/** Alerts name their channel in the subject ("amazon-de/SKU-1" or "amazon-de") when channelId is empty. */
const channelOfSubject = (subject: string): string | null => {
  const head = subject.split('/')[0] ?? ''
  return /^[a-z0-9][a-z0-9-]{0,39}$/.test(head) && head !== 'odoo' && !subject.startsWith('product:')
    ? head
    : null
}
