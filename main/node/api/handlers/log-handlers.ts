// The live log's CSV export, with the same filters the screen offers.
import { toCsv } from '../../../core/mapping/mapping-csv'
import type { AppServices } from '../app-services'
import { redactText } from '../../redaction'
import type { Handlers } from '../handlers'

export function logHandlers(s: AppServices): Pick<Handlers, 'exportLogCsv'> {
  return {
    exportLogCsv: async (req) => {
      const where: string[] = []
      const args: (string | number)[] = []
      const add = (sql: string, v: string | undefined, wrap = (x: string) => x) => {
        if (!v) return
        where.push(sql)
        args.push(wrap(v))
      }
      add('channel_id = ?', req.channelId)
      add('level = ?', req.level)
      add('status = ?', req.status)
      add(
        "(listing_id LIKE ? ESCAPE '\\' OR message LIKE ? ESCAPE '\\')",
        req.search,
        (x) => `%${x.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
      )
      if (req.search) args.push(args[args.length - 1]!)
      const rows = s.db
        .prepare(
          `SELECT at, level, kind, channel_id AS c, listing_id AS l, product_id AS p, status, message
           FROM sync_log ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT ?`,
        )
        .all(...args, req.limit) as Array<{
        at: number
        level: string
        kind: string
        c: string | null
        l: string | null
        p: number | null
        status: string | null
        message: string
      }>
      return {
        rows: rows.length,
        csv: toCsv(
          ['time', 'level', 'kind', 'channel', 'listing', 'odoo_product', 'status', 'message'],
          rows.map((r) => [
            new Date(r.at).toISOString(),
            r.level,
            r.kind,
            r.c,
            r.l,
            r.p,
            r.status,
            // Again at export: rows written by an older version were stored unredacted.
            redactText(r.message),
          ]),
        ),
      }
    },
  }
}
