// The return restock test: the seller processes a return in Odoo (or the caller does, in the demo and the
// tests); LastUnit waits until the engine has seen the product's stock change and every live channel
// listing the product has a confirmed push of the new figure. Each step goes to the sync log.
import type { Database } from 'better-sqlite3'
import { checkConfigHash, type StoredCheckResult } from '../../core/checklist'
import { errorMessage } from '../../core/errors'
import { getChannel, listChannels } from '../db/repos/channels'
import { listMappings } from '../db/repos/mappings'
import { PushStateRepo } from '../db/repos/push-state'
import { SyncLogRepo } from '../db/repos/sync-log'
import type { Engine } from '../engine'
import { waitFor } from './channel-probe'
import { saveResult } from './results-store'
import { checklistConfig, UnknownChannelError } from './snapshot'

export interface ReturnTestInput {
  db: Database
  engine: Engine | null
  /** The channel whose checklist this run counts for. */
  channelId: string
  /** The product to return; default: the product of this channel listed on the most live channels. */
  productId?: number
  /** Processes the return in Odoo (demo, tests). Without it, the seller does it while this waits. */
  performReturn?: (productId: number) => Promise<void> | void
  timeoutMs?: number
}

export interface ReturnTestResult {
  passed: boolean
  productId: number | null
  steps: string[]
  result: StoredCheckResult
}

const CONFIRMED = new Set(['confirmed'])

/** The product the seller is asked to return: listed on this channel and on as many live channels as possible. */
export function suggestReturnProduct(db: Database, channelId: string): number | null {
  const live = new Set(
    listChannels(db)
      .filter((c) => c.state === 'live')
      .map((c) => c.id),
  )
  const count = new Map<number, number>()
  for (const m of listMappings(db))
    if (live.has(m.channelId)) count.set(m.productId, (count.get(m.productId) ?? 0) + 1)
  let best: number | null = null
  for (const m of listMappings(db, channelId))
    if (best === null || (count.get(m.productId) ?? 0) > (count.get(best) ?? 0)) best = m.productId
  return best
}

export async function runReturnRestockTest(input: ReturnTestInput): Promise<ReturnTestResult> {
  const { db, engine, channelId } = input
  const timeoutMs = input.timeoutMs ?? 10 * 60_000
  const channel = getChannel(db, channelId)
  if (!channel) throw new UnknownChannelError(channelId)
  const logRepo = new SyncLogRepo(db)
  const steps: string[] = []
  const step = (message: string, level: 'info' | 'error' = 'info', productId: number | null = null) => {
    steps.push(message)
    logRepo.append({
      at: Date.now(),
      level,
      kind: 'checklist',
      channelId,
      productId,
      status: 'return_restock',
      message: `return test: ${message}`,
    })
  }
  const productId = input.productId ?? suggestReturnProduct(db, channelId)
  let failure: string | null = null
  const confirmed: string[] = []
  try {
    if (!engine || !engine.status().running) throw new Error('sync is not running')
    if (productId === null) throw new Error('no product is mapped on this channel')
    const live = new Map(
      listChannels(db)
        .filter((c) => c.state === 'live')
        .map((c) => [c.id, c.name]),
    )
    const targets = listMappings(db)
      .filter((m) => m.productId === productId && live.has(m.channelId))
      .map((m) => ({ channelId: m.channelId, listingId: m.listingId, name: live.get(m.channelId)! }))
    if (targets.length === 0) throw new Error(`product ${productId} is not listed on any live channel`)
    const baseline = new Map(
      targets.map((t) => [
        `${t.channelId}/${t.listingId}`,
        engine.explain(t.channelId, t.listingId)?.quantity ?? null,
      ]),
    )
    step(
      `waiting for a return of product ${productId} processed in Odoo (listed on ${targets.map((t) => t.name).join(', ')})`,
      'info',
      productId,
    )
    if (input.performReturn) await input.performReturn(productId)
    const seen = await waitFor(
      async () => {
        const changed = targets.some((t) => {
          const q = engine.explain(t.channelId, t.listingId)?.quantity ?? null
          return q !== null && q !== baseline.get(`${t.channelId}/${t.listingId}`)
        })
        return changed ? true : null
      },
      timeoutMs,
      300,
    )
    if (!seen) throw new Error('no return was seen in Odoo for this product in time')
    step(`Odoo's stock moves for product ${productId} were picked up by the poll`, 'info', productId)
    const pushState = new PushStateRepo(db)
    const missing = await waitFor(
      async () => {
        const open = targets.filter((t) => {
          const want = engine.explain(t.channelId, t.listingId)?.quantity
          const ps = pushState.get(t.channelId, t.listingId)
          return !(ps && CONFIRMED.has(ps.status) && want !== undefined && ps.quantity === want)
        })
        return open.length === 0 ? [] : null
      },
      timeoutMs,
      300,
    )
    if (!missing) {
      const open = targets.filter((t) => pushState.get(t.channelId, t.listingId)?.status !== 'confirmed')
      throw new Error(
        `the restocked figure was not confirmed on ${open.map((t) => t.name).join(', ') || 'every channel'}`,
      )
    }
    for (const t of targets) {
      const q = engine.explain(t.channelId, t.listingId)?.quantity
      confirmed.push(`${t.name} ${baseline.get(`${t.channelId}/${t.listingId}`) ?? '?'} -> ${q}`)
    }
    step(
      `the restocked figure was pushed and confirmed on every live channel: ${confirmed.join(', ')}`,
      'info',
      productId,
    )
  } catch (e) {
    failure = errorMessage(e)
    step(`failed: ${failure}`, 'error', productId)
  }
  const notLive = channel.state === 'live' ? '' : ` ${channel.name} receives it once live.`
  const result: StoredCheckResult = {
    checkId: 'return_restock',
    status: failure ? 'fail' : 'pass',
    evidence: failure
      ? `Return test for product ${productId ?? '(none)'} failed: ${failure}.`
      : `A return of product ${productId} in Odoo was seen and pushed to every live channel (${confirmed.join(', ')}).${notLive}`,
    configHash: checkConfigHash('return_restock', checklistConfig(db, channelId)),
    checkedAt: Date.now(),
    overrideReason: null,
  }
  saveResult(db, channelId, result)
  return { passed: !failure, productId, steps, result }
}
