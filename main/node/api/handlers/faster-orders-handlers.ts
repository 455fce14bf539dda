// "Faster orders" in Connections: the queue URL and access key typed by the seller (write-only), checked step
// by step through the runtime (the queue with the seller's key, the marketplace's subscription), and stored
// only when every check passed and the seller asked to save: a wrong key changes nothing stored.
import {
  CHANNEL_LABELS,
  ORDER_QUEUE_CHANNELS,
  ORDER_QUEUE_CREDENTIAL_FIELDS,
} from '../../../../shared/channel-types'
import type { FasterOrdersCheckDto } from '../../../../shared/faster-orders'
import { getChannel, upsertChannel, type ChannelRow } from '../../db/repos/channels'
import { readCredentials, storeCredential } from '../../db/repos/credentials'
import { rememberSecrets } from '../../redaction'
import type { HandlerContext } from '../handler-context'
import { HandlerError } from '../handler-error'
import type { Handlers } from '../handler-types'

const ROLE_ARN = /^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/

export function fasterOrdersHandlers(s: HandlerContext): Pick<Handlers, 'checkFasterOrders'> {
  return {
    checkFasterOrders: async (req): Promise<FasterOrdersCheckDto> => {
      const db = s.db
      const c = getChannel(db, req.channelId)
      if (!c) throw new HandlerError('not_found', `There is no channel "${req.channelId}".`)
      if (!ORDER_QUEUE_CHANNELS.includes(c.type))
        throw new HandlerError(
          'invalid_payload',
          `Faster orders: ${CHANNEL_LABELS[c.type]} cannot send order events to a queue (only Amazon and bol.com can).`,
        )
      const allowed: readonly string[] = ORDER_QUEUE_CREDENTIAL_FIELDS
      const unknown = Object.keys(req.credentials).filter((k) => !allowed.includes(k))
      if (unknown.length > 0)
        throw new HandlerError(
          'invalid_payload',
          `Faster orders: ${unknown.map((k) => `"${k}"`).join(', ')} is not a queue setting; expected ${allowed.join(', ')}.`,
        )
      const typed = Object.fromEntries(Object.entries(req.credentials).filter(([, v]) => v !== ''))
      rememberSecrets(...Object.values(typed))
      const spaced = Object.entries(typed).find(([, v]) => v.trim() !== v)
      const role = req.queueRoleArn?.trim()
      const row: ChannelRow =
        c.type === 'bol' && role !== undefined && role !== ''
          ? { ...c, settings: { ...c.settings, queueRoleArn: role } }
          : c
      const at = Date.now()
      const refuse = (message: string): FasterOrdersCheckDto => ({
        ok: false,
        saved: false,
        steps: [{ step: 'values', state: 'failed', message }],
        hint: 'Nothing was saved.',
        queueArn: null,
        at,
      })
      if (spaced) return refuse(`${spaced[0]}: remove the spaces before or after it.`)
      if (c.type === 'bol' && role && !ROLE_ARN.test(role))
        return refuse(
          `queueRoleArn: "${role}" is not an IAM role ARN (like arn:aws:iam::123456789012:role/bol-orders).`,
        )
      if (!s.checkFasterOrders)
        throw new HandlerError('unavailable', 'The Faster orders check is not available in this build.')
      const credentials = { ...readCredentials(db, s.vault, `channel:${c.id}`), ...typed }
      const r = await s.checkFasterOrders(row, credentials)
      let saved = false
      if (r.ok && req.save) {
        db.transaction(() => {
          if (row !== c) {
            const { state: _state, ordersWatermark: _w, ...upsert } = row
            upsertChannel(db, upsert)
          }
          for (const [name, value] of Object.entries(typed))
            storeCredential(db, s.vault, `channel:${c.id}`, name, value)
        })()
        saved = true
        s.configChanged?.()
      }
      return {
        ok: r.ok,
        saved,
        steps: r.steps,
        hint: r.ok
          ? saved
            ? 'Saved: LastUnit reads the queue from now on; order polling stays on as the safety net.'
            : null
          : [r.hint, 'Nothing was saved.'].filter(Boolean).join(' '),
        queueArn: r.queueArn,
        at,
      }
    },
  }
}
