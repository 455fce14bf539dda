// The live log's CSV export, with the same filters the screen offers.
import { toCsv } from '../../../core/mapping/mapping-csv'
import { logExportRows } from '../../db/repos/sync-log'
import type { AppServices } from '../app-services'
import { redactText } from '../../redaction'
import type { Handlers } from '../handlers'

export function logHandlers(s: AppServices): Pick<Handlers, 'exportLogCsv'> {
  return {
    exportLogCsv: async (req) => {
      const rows = logExportRows(s.db, req)
      return {
        rows: rows.length,
        csv: toCsv(
          ['time', 'level', 'kind', 'channel', 'listing', 'odoo_product', 'status', 'message'],
          rows.map((r) => [
            new Date(r.at).toISOString(),
            r.level,
            r.kind,
            r.channelId,
            r.listingId,
            r.productId,
            r.status,
            // Again at export: rows written by an older version were stored unredacted.
            redactText(r.message),
          ]),
        ),
      }
    },
  }
}
