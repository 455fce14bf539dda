import { describe, expect, it } from 'vitest'
import { AlertNotifier } from '../../../main/node/notifications/alert-notifier'
import type { AlertDto, ChannelStatusDto, StatusDto } from '../../../shared/dto'

const alert = (kind: string, subject: string, channelId: string | null = null): AlertDto => ({
  id: 1,
  kind,
  severity: 'critical',
  channelId,
  subject,
  message: `${kind}: ${subject}`,
  raisedAt: 0,
})
const channel = (id: string, health: ChannelStatusDto['health']): ChannelStatusDto => ({
  id,
  type: 'bol',
  name: id.toUpperCase(),
  state: 'live',
  health,
  queued: 0,
  blocked: 0,
  lastConfirmedPushAt: null,
  latencyMs: null,
  message: `${id} is ${health}`,
})
const status = (...channels: ChannelStatusDto[]): StatusDto => ({
  state: 'healthy',
  message: '',
  engineRunning: true,
  paused: false,
  peakMode: false,
  openAlerts: 0,
  channels,
})
const MIN = 60_000

describe('alert notifier', () => {
  it('notifies expired credentials of a channel and of Odoo, once each', () => {
    const n = new AlertNotifier()
    expect(n.onAlert(alert('channel_needs_seller', 'amazon-de', 'amazon-de'), 0)).toMatchObject({
      kind: 'credentials',
      title: 'amazon-de needs you: sync stopped',
      urgent: true,
    })
    expect(n.onAlert(alert('channel_needs_seller', 'amazon-de', 'amazon-de'), MIN)).toBeNull()
    expect(n.onAlert(alert('odoo_unreachable', 'odoo'), MIN)).toMatchObject({
      kind: 'credentials',
      title: 'Odoo needs you: sync stopped',
    })
    expect(n.onAlert(alert('credentials_expired', 'zalando'), MIN)).toMatchObject({ channelId: 'zalando' })
  })

  it('repeats the same alert only after the quiet period', () => {
    const n = new AlertNotifier({ repeatAfterMs: 60 * MIN })
    expect(n.onAlert(alert('oversell', 'product:3', 'bol'), 0)).not.toBeNull()
    expect(n.onAlert(alert('oversell', 'product:3', 'bol'), 59 * MIN)).toBeNull()
    expect(n.onAlert(alert('oversell', 'product:4', 'bol'), 59 * MIN)).not.toBeNull()
    expect(n.onAlert(alert('oversell', 'product:3', 'bol'), 61 * MIN)).not.toBeNull()
  })

  it('groups blocked listings per channel', () => {
    const n = new AlertNotifier({ blockedGroupMs: 10 * MIN })
    expect(n.onAlert(alert('listing_blocked', 'bol/A'), 0)).toMatchObject({
      kind: 'blocked_listing',
      channelId: 'bol',
      title: 'A listing is blocked on bol',
    })
    expect(n.onAlert(alert('listing_blocked', 'bol/B'), MIN)).toBeNull()
    expect(n.onAlert(alert('listing_blocked', 'otto/B'), MIN)).not.toBeNull()
    expect(n.onAlert(alert('listing_blocked', 'bol/C'), 11 * MIN)).not.toBeNull()
  })

  it('ignores alerts that do not need the seller', () => {
    const n = new AlertNotifier()
    for (const kind of ['drift', 'first_push_held', 'resync', 'push'])
      expect(n.onAlert(alert(kind, 'bol', 'bol'), 0)).toBeNull()
  })

  it('notifies a channel failing for long once, and again only after it recovered', () => {
    const n = new AlertNotifier({ failingAfterMs: 15 * MIN })
    expect(n.onStatus(status(channel('otto', 'failing'), channel('bol', 'ok')), 0)).toEqual([])
    expect(n.onStatus(status(channel('otto', 'failing')), 14 * MIN)).toEqual([])
    expect(n.onStatus(status(channel('otto', 'failing')), 15 * MIN)).toEqual([
      expect.objectContaining({ kind: 'channel_failing', channelId: 'otto', urgent: true }),
    ])
    expect(n.onStatus(status(channel('otto', 'failing')), 40 * MIN)).toEqual([])
    expect(n.onStatus(status(channel('otto', 'ok')), 41 * MIN)).toEqual([])
    expect(n.onStatus(status(channel('otto', 'failing')), 42 * MIN)).toEqual([])
    expect(n.onStatus(status(channel('otto', 'failing')), 57 * MIN)).toHaveLength(1)
  })

  it('a degraded channel, or a disabled one, is not failing', () => {
    const n = new AlertNotifier({ failingAfterMs: MIN })
    n.onStatus(status(channel('a', 'degraded'), { ...channel('b', 'failing'), state: 'disabled' }), 0)
    expect(n.onStatus(status(channel('a', 'degraded')), 10 * MIN)).toEqual([])
  })
})
