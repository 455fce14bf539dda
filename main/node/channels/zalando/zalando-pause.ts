// Pausing and resuming Zalando offers through the Offer Blocking API: a blocker per EAN and sales channel
// (at most 5 per call), and on resume only the blockers this app created are lifted, never one the
// seller set for a reason of their own.
import { ZALANDO_BLOCKERS_MAX, ZALANDO_PAUSE_DESCRIPTION } from './zalando-config'
import { PageRun } from '../kit/page-guard'
import { ZALANDO_SERVICE } from './zalando-client'
import type { ZalandoContext } from './zalando-context'
import type { ZalandoOfferBlocker } from './zalando-types'

const BLOCKER_LOOKUPS_PER_EAN_MAX = 5

export interface BlockerChange {
  calls: number
  /** Why an EAN was not paused or resumed. */
  failed: Map<string, string>
}

export function zalandoBlockers(ctx: ZalandoContext) {
  const { zalando, channels, mid } = ctx

  const pause = async (eans: string[]): Promise<BlockerChange> => {
    const wanted = eans.flatMap((ean) =>
      channels.map((sales_channel_id) => ({
        reason: 'PAUSE_06',
        description: ZALANDO_PAUSE_DESCRIPTION,
        criteria: { ean, sales_channel_id },
      })),
    )
    const failed = new Map<string, string>()
    let calls = 0
    for (let i = 0; i < wanted.length; i += ZALANDO_BLOCKERS_MAX) {
      const chunk = wanted.slice(i, i + ZALANDO_BLOCKERS_MAX)
      calls++
      const body = await zalando.json<{
        results?: {
          item?: { criteria?: { ean?: string } }
          result?: { status?: string; description?: string }
        }[]
      }>(
        {
          method: 'POST',
          path: `/merchants/${mid}/offer-blockers`,
          body: { items: chunk },
          op: 'blockers',
          what: `pausing ${chunk.length} offers`,
        },
        [207, 200],
      )
      ;(body.results ?? []).forEach((r, j) => {
        const ean = r.item?.criteria?.ean ?? chunk[j]?.criteria.ean ?? '?'
        if (r.result?.status !== 'ACCEPTED')
          failed.set(ean, `${r.result?.status ?? 'no result'} ${r.result?.description ?? ''}`.trim())
      })
    }
    return { calls, failed }
  }

  const resume = async (eans: string[]): Promise<BlockerChange> => {
    let calls = 0
    const ids: { id: string; ean: string }[] = []
    const wanted = new Set(eans)
    // A few EANs: ask per EAN. Many: one paged listing of all blockers is fewer calls.
    const filters: (string | undefined)[] = eans.length <= BLOCKER_LOOKUPS_PER_EAN_MAX ? eans : [undefined]
    for (const ean of filters) {
      let cursor: string | undefined
      const run = new PageRun(
        { service: ZALANDO_SERVICE, prefix: 'zalando' },
        ean === undefined ? 'reading the paused offers' : `reading the pauses of EAN ${ean}`,
      )
      do {
        calls++
        const page = await zalando.json<{ items?: ZalandoOfferBlocker[]; cursors?: { next?: string } }>({
          method: 'GET',
          path: `/merchants/${mid}/offer-blockers`,
          query: { ean, cursor, page_size: ean === undefined ? '500' : undefined },
          op: 'blockers',
          what: ean === undefined ? 'reading the paused offers' : `reading the pauses of EAN ${ean}`,
        })
        for (const b of page.items ?? [])
          if (
            b.description === ZALANDO_PAUSE_DESCRIPTION &&
            b.criteria.ean !== undefined &&
            wanted.has(b.criteria.ean) &&
            (!b.criteria.sales_channel_id || channels.includes(b.criteria.sales_channel_id))
          )
            ids.push({ id: b.id, ean: b.criteria.ean })
        const next = page.cursors?.next
          ? (new URL(page.cursors.next).searchParams.get('cursor') ?? undefined)
          : undefined
        cursor = next === undefined ? undefined : run.follow(next)
      } while (cursor)
    }
    const failed = new Map<string, string>()
    for (let i = 0; i < ids.length; i += ZALANDO_BLOCKERS_MAX) {
      const chunk = ids.slice(i, i + ZALANDO_BLOCKERS_MAX)
      calls++
      const body = await zalando.json<{
        results?: { item?: string; result?: { status?: string; description?: string } }[]
      }>(
        {
          method: 'DELETE',
          path: `/merchants/${mid}/offer-blockers`,
          body: { items: chunk.map((c) => c.id) },
          op: 'blockers',
          what: `resuming ${chunk.length} offers`,
        },
        [207, 200],
      )
      for (const r of body.results ?? []) {
        const ean = chunk.find((c) => c.id === r.item)?.ean
        if (ean && r.result?.status !== 'ACCEPTED')
          failed.set(ean, `${r.result?.status ?? 'no result'} ${r.result?.description ?? ''}`.trim())
      }
    }
    return { calls, failed }
  }

  return { pause, resume }
}
