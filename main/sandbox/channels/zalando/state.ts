// What the Zalando simulator holds: articles by EAN with a quantity per sales channel (and the updates held
// while an article waits for onboarding), orders of order items of single-unit lines, and offer blockers.
import { randomUUID } from 'node:crypto'
import type { SimTime } from '../../kit'
import type { ZalandoSimArticle } from './types'

export interface SimArticle {
  ean: string
  article_id: string
  external_id: string
  onboarded: boolean
  qty: Map<string, number>
  pending: Map<string, number>
}

export interface SimLine {
  id: string
  status: 'initial' | 'reserved' | 'shipped' | 'returned' | 'canceled'
  price: number
}

export interface SimOrder {
  id: string
  order_number: string
  sales_channel_id: string
  created: number
  modified: number
  items: { id: string; ean: string; lines: SimLine[] }[]
}

export interface SimBlocker {
  id: string
  reason: string
  description?: string
  criteria: { ean: string; sales_channel_id: string }
  updated: number
}

export class ZalandoState {
  readonly articles = new Map<string, SimArticle>()
  readonly orders: SimOrder[] = []
  readonly blockers = new Map<string, SimBlocker>()
  private orderSeq = 1

  constructor(
    readonly time: SimTime,
    readonly salesChannelIds: string[],
  ) {}

  isBlocked(ean: string, sc: string): boolean {
    return [...this.blockers.values()].some(
      (b) => b.criteria.ean === ean && b.criteria.sales_channel_id === sc,
    )
  }

  setArticles(list: ZalandoSimArticle[]): void {
    this.articles.clear()
    for (const a of list)
      this.articles.set(a.ean, {
        ean: a.ean,
        article_id: a.article_id ?? `ZA1-${a.ean.slice(-6)}`,
        external_id: a.external_id ?? `SKU-${a.ean.slice(-4)}`,
        onboarded: a.onboarded ?? true,
        qty: new Map(
          a.quantity === undefined ? [] : this.salesChannelIds.map((s) => [s, a.quantity as number]),
        ),
        pending: new Map(),
      })
  }

  onboard(ean: string): void {
    const a = this.articles.get(ean)
    if (!a) throw new Error(`Zalando simulator: no article ${ean}`)
    a.onboarded = true
    for (const [sc, q] of a.pending) a.qty.set(sc, q)
    a.pending.clear()
  }

  offer(ean: string, sc: string) {
    const a = this.articles.get(ean)
    return { quantity: a?.qty.get(sc), pending: a?.pending.get(sc), blocked: this.isBlocked(ean, sc) }
  }

  placeOrder(order: {
    salesChannelId?: string
    lines: { ean: string; quantity: number; price?: number }[]
  }): string {
    const sc = order.salesChannelId ?? this.salesChannelIds[0] ?? ''
    const now = this.time.now()
    const o: SimOrder = {
      id: randomUUID(),
      order_number: String(10409700000000 + this.orderSeq++),
      sales_channel_id: sc,
      created: now,
      modified: now,
      items: order.lines.map((l) => {
        const a = this.articles.get(l.ean)
        if (!a) throw new Error(`Zalando simulator: no article ${l.ean}`)
        a.qty.set(sc, Math.max(0, (a.qty.get(sc) ?? 0) - l.quantity))
        return {
          id: randomUUID(),
          ean: l.ean,
          lines: Array.from({ length: l.quantity }, () => ({
            id: randomUUID(),
            status: 'reserved' as const,
            price: l.price ?? 49.95,
          })),
        }
      }),
    }
    this.orders.push(o)
    return o.id
  }

  cancelLines(orderId: string, ean: string, count: number): void {
    const o = this.orders.find((x) => x.id === orderId)
    const item = o?.items.find((i) => i.ean === ean)
    if (!o || !item) throw new Error(`Zalando simulator: no item ${ean} in order ${orderId}`)
    item.lines
      .filter((l) => l.status !== 'canceled')
      .slice(0, count)
      .forEach((l) => (l.status = 'canceled'))
    o.modified = this.time.now()
  }
}
