// The live log: lines with the product each is about and in plain words, live or back to any date, and
// the CSV export with the same filters the screen offers.
import type { LogLineDto } from '../../../../shared/dto'
import { plainLogText, statusLabel } from '../../../core/log/plain-log'
import { toCsv } from '../../../core/mapping/mapping-csv'
import { browseLog, oldestLogAt, type LogViewRow } from '../../db/repos/log-view'
import { odooOrderNames } from '../../db/repos/order-view'
import type { HandlerContext } from '../handler-context'
import { redactText } from '../../redaction'
import type { Handlers } from '../handler-types'

/** Several statuses the screen groups under one word ("problems"). */
const STATUS_GROUPS: Record<string, string[]> = {
  problems: ['rejected', 'blocked', 'retry', 'retryable', 'needs_seller', 'permanent', 'error', 'failed'],
  throttled: ['throttled', 'resumed'],
  /** Updates a channel took: the dashboard's latency chart reads these. */
  delivered: ['confirmed', 'accepted'],
}

/** A line that names its channel by id ("demo-shopify") names it as the seller does ("Demo Shopify"). */
const withChannelName = (text: string, id: string | null, name: string | null): string => {
  if (!id || !name || id === name) return text
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return text.replace(new RegExp(`"?(?<![\\w-])${escaped}(?![\\w-])"?`, 'g'), name)
}

export function toLogLines(s: HandlerContext, rows: readonly LogViewRow[]): LogLineDto[] {
  const ids = rows.flatMap((r) =>
    r.kind === 'order_import' ? [...r.message.matchAll(/sale order (\d+)/g)].map((m) => Number(m[1])) : [],
  )
  const names = odooOrderNames(s.db, ids)
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    level: r.level,
    kind: r.kind,
    channelId: r.channelId,
    channelName: r.channelName,
    listingId: r.listingId,
    productId: r.productId,
    sku: r.sku,
    productName: r.productName,
    status: r.status,
    statusLabel: r.status ? statusLabel(r.status) : null,
    text: redactText(
      withChannelName(
        plainLogText(r, { channel: r.channelName, saleOrderName: (id) => names.get(id) ?? null }),
        r.channelId,
        r.channelName,
      ),
    ),
    // Again at reading: rows written by an older version were stored unredacted.
    message: redactText(r.message),
  }))
}

export function logHandlers(s: HandlerContext): Pick<Handlers, 'exportLogCsv' | 'browseLog'> {
  return {
    browseLog: async (req) => {
      const statuses = req.status ? (STATUS_GROUPS[req.status] ?? [req.status]) : undefined
      const page = browseLog(s.db, {
        limit: req.limit,
        ...(req.afterId !== undefined ? { afterId: req.afterId } : {}),
        ...(req.beforeId !== undefined ? { beforeId: req.beforeId } : {}),
        ...(req.from !== undefined ? { from: req.from } : {}),
        ...(req.to !== undefined ? { to: req.to } : {}),
        ...(req.channelId ? { channelId: req.channelId } : {}),
        ...(req.level ? { level: req.level } : {}),
        ...(statuses ? { statuses } : {}),
        ...(req.search ? { search: req.search } : {}),
      })
      return { rows: toLogLines(s, page.rows), hasMore: page.hasMore, oldestAt: oldestLogAt(s.db) }
    },
    exportLogCsv: async (req) => {
      const statuses = req.status ? (STATUS_GROUPS[req.status] ?? [req.status]) : undefined
      const page = browseLog(s.db, {
        limit: req.limit,
        ...(req.channelId ? { channelId: req.channelId } : {}),
        ...(req.level ? { level: req.level } : {}),
        ...(statuses ? { statuses } : {}),
        ...(req.search ? { search: req.search } : {}),
      })
      const lines = toLogLines(s, page.rows)
      return {
        rows: lines.length,
        csv: toCsv(
          [
            'time',
            'level',
            'channel',
            'sku',
            'product',
            'status',
            'what_happened',
            'details',
            'listing',
            'odoo_product',
          ],
          lines.map((r) => [
            new Date(r.at).toISOString(),
            r.level,
            r.channelName ?? r.channelId,
            r.sku,
            r.productName,
            r.statusLabel,
            r.text,
            // Again at export: rows written by an older version were stored unredacted.
            redactText(r.message),
            r.listingId,
            r.productId,
          ]),
        ),
      }
    },
  }
}
