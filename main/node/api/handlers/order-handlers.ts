// The orders screen and the dashboard: each marketplace order with its lines, where it stands on its way
// into Odoo (the sale order's name once it is there), what blocks it and the fix; the day's figures; the
// alerts once each, in the seller's words.
import type { Database } from 'better-sqlite3'
import type { AlertViewDto, OrderRowDto } from '../../../../shared/dto'
import { activeAlerts } from '../../db/repos/alerts'
import { channelNames, listingLabels, productLabels } from '../../db/repos/labels'
import { listChannels } from '../../db/repos/channels'
import { listOrderViews, orderFigures, type OrderViewRow } from '../../db/repos/order-view'
import type { HandlerContext } from '../handler-context'
import type { Handlers } from '../handler-types'
import { alertViews } from '../alert-view'
import { warehouseView } from './warehouse-handlers'

const localMidnight = (now = new Date()) =>
  new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime()

const inWords = (ms: number) => {
  const min = Math.max(1, Math.round(ms / 60_000))
  return min < 60 ? `${min} min` : `${Math.floor(min / 60)} h ${min % 60 ? `${min % 60} min` : ''}`.trim()
}

/** Where an order stands, why it is blocked, and what fixes it, in a seller's words. */
export function describeOrder(
  o: OrderViewRow,
  now: number,
): Pick<OrderRowDto, 'detail' | 'reason' | 'fix' | 'fixScreen'> {
  const held = o.lines.reduce((n, l) => n + l.pendingQuantity, 0)
  const unitsHeld =
    held > 0
      ? ` Its ${held} ${held === 1 ? 'unit is' : 'units are'} held back on every channel until Odoo reserves ${held === 1 ? 'it' : 'them'}.`
      : ''
  switch (o.state) {
    case 'in_odoo':
      return {
        detail: o.odooOrderName
          ? `In Odoo as sale order ${o.odooOrderName}, confirmed.`
          : 'In Odoo as a confirmed sale order (its name is being read).',
        reason: null,
        fix: null,
        fixScreen: null,
      }
    case 'cancelled':
      return {
        detail:
          o.odooOrderId !== null
            ? `Cancelled on ${o.channelName}; its sale order${o.odooOrderName ? ` ${o.odooOrderName}` : ''} is cancelled in Odoo too.`
            : `Cancelled on ${o.channelName} before it reached Odoo: nothing to undo.`,
        reason: null,
        fix: null,
        fixScreen: null,
      }
    case 'not_imported':
      return {
        detail: o.orderImport
          ? `Not imported: it was ${o.channelStatus} on ${o.channelName} before it needed to be.`
          : `Not imported: order import is off for ${o.channelName} (its orders reach Odoo another way).`,
        reason: null,
        fix: null,
        fixScreen: null,
      }
    case 'blocked': {
      if (o.importState === 'waiting_mapping') {
        const missing = o.lines.filter((l) => l.productId === null)
        const names = missing.map((l) => `${l.listingId ?? l.lineId}${l.sku ? ` (SKU ${l.sku})` : ''}`)
        return {
          detail: `Blocked in LastUnit: not in Odoo yet.${unitsHeld}`,
          reason: `${names.length === 1 ? 'Listing' : 'Listings'} ${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} not mapped to an Odoo product, so Odoo cannot be told what was sold.`,
          fix: `Map ${names.length === 1 ? 'it' : 'them'} to the Odoo product in SKU mapping: the order goes to Odoo at once.`,
          fixScreen: 'mapping',
        }
      }
      if (o.importState === 'failed')
        return {
          detail: `Blocked: Odoo refused it${o.retryAttempts ? ` ${o.retryAttempts} ${o.retryAttempts === 1 ? 'time' : 'times'}` : ''}.${unitsHeld}`,
          reason: `Odoo answered: ${o.lastError ?? 'an error'}.`,
          fix: `Fix what Odoo names (the product, the customer or the warehouse of this channel) in Odoo. LastUnit tries again ${o.nextRetryAt ? `in ${inWords(Math.max(0, o.nextRetryAt - now))}` : 'soon'} and at every start, without ever creating it twice.`,
          fixScreen: 'log',
        }
      return {
        detail: `Blocked in LastUnit: not in Odoo yet.${unitsHeld}`,
        reason: (o.channelBlock ?? 'Orders of this channel cannot be imported.')
          .replaceAll(`"${o.channelId}"`, o.channelName)
          .replaceAll(o.channelId, o.channelName),
        fix: `Open Connections and set what is named for ${o.channelName} (its Odoo customer and warehouse); the waiting orders go in at once.`,
        fixScreen: 'connections',
      }
    }
    default:
      return {
        detail: o.lastError
          ? `Pending in LastUnit, waiting for Odoo (${o.lastError}); LastUnit tries again by itself.${unitsHeld}`
          : `Pending in LastUnit: on its way into Odoo.${unitsHeld}`,
        reason: null,
        fix: null,
        fixScreen: null,
      }
  }
}

const toDto = (o: OrderViewRow, now: number): OrderRowDto => ({
  channelId: o.channelId,
  channelName: o.channelName,
  channelType: o.channelType as OrderRowDto['channelType'],
  orderId: o.orderId,
  channelStatus: o.channelStatus,
  state: o.state,
  odooOrderId: o.odooOrderId,
  odooOrderName: o.odooOrderName,
  createdAt: o.createdAt,
  seenAt: o.seenAt,
  ...describeOrder(o, now),
  lines: o.lines,
})

/** Dashboard alerts: stored ones once each, plus Odoo's trouble and warehouse selections that count wrong. */
function dashboardAlerts(
  s: HandlerContext,
  db: Database,
): { alerts: AlertViewDto[]; odooProblem: string | null } {
  const names = channelNames(db)
  const labels = new Map<string, ReturnType<typeof listingLabels>>()
  const active = activeAlerts(db)
  const products = productLabels(
    db,
    active.flatMap((a) =>
      [...`${a.subject} ${a.message}`.matchAll(/\b[Pp]roduct[: ](\d+)\b/g)].map((m) => Number(m[1])),
    ),
  )
  const product = (id: number) => {
    const p = products.get(id)
    return p ? `${p.sku ?? `#${id}`} ${p.name}` : `Odoo product ${id}`
  }
  const alerts = alertViews(
    active,
    {
      channel: (id) => names.get(id) ?? id,
      product,
      listing: (c, l) => {
        let m = labels.get(c)
        if (!m) labels.set(c, (m = listingLabels(db, c)))
        const x = m.get(l)
        return x?.productName ? `${x.sku ?? ''} ${x.productName}`.trim() : `listing ${l}`
      },
    },
    [...names.keys()],
  )
  // Odoo's trouble on the dashboard, not only in the header: from the running engine or the host's note.
  const engine = s.engine()
  const odooError = engine?.status().odoo.lastError ?? null
  const note = engine ? null : (s.statusNote?.() ?? null)
  const odooNote = note && /odoo/i.test(note) ? note.replace(/^Odoo:\s*/, '') : null
  const problem = odooError ?? odooNote
  const odooProblem = problem
    ? `Odoo does not answer: ${problem.replace(/\.$/, '')}. Marketplaces keep their last figures and new orders wait in LastUnit until it answers; LastUnit keeps trying.`
    : null
  if (odooProblem) {
    const at = Date.now()
    const i = alerts.findIndex((a) => a.key === 'odoo')
    const view: AlertViewDto = {
      key: 'odoo',
      severity: 'critical',
      title: 'Odoo does not answer',
      message: odooProblem,
      action: 'Check that Odoo is up and that its address, user and API key in Connections are right.',
      screen: 'connections',
      channelId: null,
      raisedAt: i >= 0 ? alerts[i]!.raisedAt : at,
    }
    if (i >= 0) alerts.splice(i, 1)
    alerts.unshift(view)
  }
  // A warehouse selection that counts stock twice (or stock that cannot be sold) publishes units nobody has.
  for (const c of listChannels(db)) {
    if (c.state === 'disabled') continue
    const w = warehouseView(db, c.id)
    if (w.problems.length === 0) continue
    alerts.push({
      key: `warehouses:${c.id}`,
      severity: c.state === 'live' ? 'critical' : 'warning',
      title: `${c.name}: the chosen warehouses count stock wrongly`,
      message: w.problems.join(' '),
      action:
        'Open Warehouses and untick the flagged locations: keep a location or its parent, never both, and only shelves of your company.',
      screen: 'warehouses',
      channelId: c.id,
      raisedAt: Date.now(),
    })
  }
  return { alerts, odooProblem }
}

export function orderHandlers(s: HandlerContext): Pick<Handlers, 'listOrders' | 'getDashboard'> {
  return {
    listOrders: async (req) => {
      const now = Date.now()
      const r = listOrderViews(s.db, {
        limit: req.limit,
        ...(req.search ? { search: req.search } : {}),
        ...(req.state ? { state: req.state } : {}),
        ...(req.channelId ? { channelId: req.channelId } : {}),
      })
      return {
        rows: r.rows.map((o) => toDto(o, now)),
        total: r.total,
        figures: orderFigures(s.db, req.dayStart ?? localMidnight()),
      }
    },
    getDashboard: async (req) => {
      const { alerts, odooProblem } = dashboardAlerts(s, s.db)
      return { figures: orderFigures(s.db, req.dayStart ?? localMidnight()), alerts, odooProblem }
    },
  }
}
