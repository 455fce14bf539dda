// The engine's status in the words the UI and the tray use.
import type { Database } from 'better-sqlite3'
import type { ChannelStatusDto, StatusDto } from '../../../shared/dto'
import type { ChannelStatus, EngineStatus } from '../engine'
import { openAlertCount } from '../db/repos/alerts'
import { getChannel, listChannels } from '../db/repos/channels'
import { redactText } from '../redaction'
import { peakModeActive } from './peak-mode'

const channelDto = (db: Database, c: ChannelStatus): ChannelStatusDto => {
  const row = getChannel(db, c.channelId)
  const health: ChannelStatusDto['health'] =
    c.state === 'paused'
      ? 'paused'
      : c.state === 'needs_seller' || c.state === 'stopped'
        ? 'failing'
        : c.lastError || c.blocked > 0
          ? 'degraded'
          : 'ok'
  const message =
    c.state === 'needs_seller'
      ? `Needs you: ${c.lastError ?? 'check the credentials'}`
      : c.state === 'paused'
        ? 'Paused'
        : c.state === 'awaiting_confirmation'
          ? 'Waiting for you to confirm the first push'
          : c.lastError
            ? `Retrying: ${c.lastError}`
            : c.queueDepth > 0
              ? `Sending ${c.queueDepth} ${c.queueDepth === 1 ? 'update' : 'updates'}`
              : 'Up to date'
  return {
    id: c.channelId,
    type: (row?.type ?? c.type) as ChannelStatusDto['type'],
    name: c.name,
    state: row?.state ?? 'setup',
    health,
    queued: c.queueDepth,
    blocked: c.blocked,
    lastConfirmedPushAt: c.lastConfirmedAt,
    latencyMs: c.latencyP50Ms,
    ordersSeenWithinMs: c.orderPollIntervalMs,
    ...(c.orderQueue
      ? {
          orderQueue: {
            state: c.orderQueue.state,
            reason: c.orderQueue.reason === null ? null : redactText(c.orderQueue.reason),
            orderToPendingMs: c.orderQueue.orderToPendingP50Ms,
          },
        }
      : {}),
    message,
  }
}

/**
 * Channels the engine does not run: in setup (not live yet), or live but without an adapter (credentials or
 * settings missing). The second kind needs the seller: a live channel that does not sync goes stale.
 */
const idleChannels = (db: Database, running: ReadonlySet<string>): ChannelStatusDto[] =>
  listChannels(db)
    .filter((c) => !running.has(c.id) && c.state !== 'disabled')
    .map((c) => ({
      id: c.id,
      type: c.type,
      name: c.name,
      state: c.state,
      health: c.state === 'live' ? 'failing' : 'unknown',
      queued: 0,
      blocked: 0,
      lastConfirmedPushAt: null,
      latencyMs: null,
      ordersSeenWithinMs: null,
      message:
        c.state === 'live'
          ? 'Its credentials or settings are incomplete, so nothing is sent to it: see Connections and the live log.'
          : 'In setup: run the checklist to take it live.',
    }))

export function engineStatusDto(db: Database, s: EngineStatus, today: string): StatusDto {
  const running = s.channels.map((c) => channelDto(db, c))
  const channels = [...running, ...idleChannels(db, new Set(running.map((c) => c.id)))]
  const openAlerts = openAlertCount(db)
  const attention = channels.some((c) => c.health === 'failing') || !!s.odoo.lastError || openAlerts > 0
  const syncing = channels.some((c) => c.queued > 0) || (s.resync !== null && s.resync.state === 'running')
  const state: StatusDto['state'] = !s.running
    ? 'stopped'
    : s.paused
      ? 'paused'
      : attention
        ? 'attention'
        : syncing
          ? 'syncing'
          : 'healthy'
  const message =
    state === 'stopped'
      ? 'Sync is not running.'
      : state === 'paused'
        ? 'Sync is paused: marketplaces keep their last figures.'
        : s.odoo.lastError
          ? `Odoo: ${s.odoo.lastError}`
          : state === 'attention'
            ? `${openAlerts === 1 ? 'One alert needs' : `${openAlerts} alerts need`} you.`
            : syncing
              ? 'Sending updates.'
              : 'Every channel is up to date.'
  return {
    state,
    message,
    engineRunning: s.running,
    paused: s.paused,
    peakMode: peakModeActive(db, today),
    openAlerts,
    channels,
  }
}
