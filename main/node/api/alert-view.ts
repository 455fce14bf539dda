// Alerts as the dashboard shows them: one per problem (the engine and the order import both watch
// oversells of a product), named the way the seller knows things (SKU and product name, channel names,
// not internal ids), each with the one action that fixes it.
import type { Alert } from '../db/repos/alerts'
import type { AlertViewDto } from '../../../shared/dto'

export interface AlertNames {
  channel: (id: string) => string
  product: (id: number) => string
  /** A listing by its product: "LU-00012 Blue mug". */
  listing: (channelId: string, listingId: string) => string
}

const idPattern = (ids: string[]) =>
  ids.length === 0
    ? null
    : new RegExp(
        `(?<![\\w-])(${[...ids]
          .sort((a, b) => b.length - a.length)
          .map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('|')})(?![\\w-])`,
        'g',
      )

/** Internal ids in a message replaced by names: channel ids, "product:12", "Product 12". */
export function humanize(text: string, names: AlertNames, channelIds: string[]): string {
  const re = idPattern(channelIds)
  let out = text.replace(/\b[Pp]roduct[: ](\d+)\b/g, (_m, id: string) => names.product(Number(id)))
  if (re) out = out.replace(re, (id) => names.channel(id))
  return out
}

type Screen = AlertViewDto['screen']

const SEVERITY = { critical: 0, warning: 1, info: 2 } as const

export function alertViews(
  alerts: readonly Alert[],
  names: AlertNames,
  channelIds: string[],
): AlertViewDto[] {
  const byKey = new Map<string, AlertViewDto>()
  const h = (t: string) => humanize(t, names, channelIds)
  for (const a of alerts) {
    const channel = a.channelId ? names.channel(a.channelId) : null
    let key = `${a.kind}:${a.subject}`
    let title: string
    let action: string
    let screen: Screen
    const product = /^product:(\d+)$/.exec(a.subject)
    const sub = a.subject.includes(':') ? a.subject.slice(a.subject.indexOf(':') + 1) : a.subject
    switch (a.kind) {
      case 'oversell':
        key = `oversell:${a.subject}`
        title = `Oversold: ${product ? names.product(Number(product[1])) : h(a.subject)}`
        action = 'Cancel or fulfil one of the orders named, then correct the stock in Odoo if it is wrong.'
        screen = 'orders'
        break
      case 'listing_blocked': {
        const [c, ...rest] = a.subject.split('/')
        title = `Blocked on ${names.channel(c ?? '')}: ${names.listing(c ?? '', rest.join('/'))}`
        action = 'LastUnit stopped sending to this listing. See why in the live log, fix it, then unblock it.'
        screen = 'log'
        break
      }
      case 'channel_needs_seller':
        title = `${channel ?? h(a.subject)} needs you`
        action = 'Open Connections and enter new credentials for this channel, then test it.'
        screen = 'connections'
        break
      case 'order_import_blocked':
        title = `Orders of ${channel ?? h(a.subject)} cannot reach Odoo`
        action =
          'Open Connections and fix what is named (the Odoo customer of this channel, or access); waiting orders go in at once.'
        screen = 'connections'
        break
      case 'order_import_failed':
        title = `Order ${sub} on ${channel ?? '?'} refused by Odoo`
        action = 'See the reason on the Orders screen; fix it in Odoo. LastUnit tries again by itself.'
        screen = 'orders'
        break
      case 'order_unmapped':
        title = `Order ${sub} on ${channel ?? '?'} sells a listing that is not mapped`
        action = 'Map the listing named to its Odoo product: the order goes to Odoo at once.'
        screen = 'mapping'
        break
      case 'odoo_unreachable':
        key = 'odoo'
        title = 'Odoo does not answer'
        action = 'Check that Odoo is up and that its address, user and API key in Connections are right.'
        screen = 'connections'
        break
      case 'first_push_held':
        title = `The first push to ${channel ?? h(a.subject)} waits for you`
        action = 'Open Full resync, review what it sets and confirm it.'
        screen = 'resync'
        break
      default:
        title = h(a.kind.replace(/_/g, ' ')).replace(/^./, (c) => c.toUpperCase())
        action = 'See the live log for details.'
        screen = 'log'
    }
    const view: AlertViewDto = {
      key,
      severity: a.severity,
      title,
      message: h(a.message),
      action,
      screen,
      channelId: a.channelId,
      raisedAt: a.raisedAt,
    }
    const prev = byKey.get(key)
    // The same problem under one key twice: the newer words win.
    if (!prev || prev.raisedAt < view.raisedAt) byKey.set(key, view)
  }
  return [...byKey.values()].sort(
    (a, b) => SEVERITY[a.severity] - SEVERITY[b.severity] || b.raisedAt - a.raisedAt,
  )
}
