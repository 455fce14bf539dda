// The return restock test: the seller processes a return in Odoo (or the caller does, in the demo and the
// tests); LastUnit waits until the engine has seen the product's stock change and every live channel
// listing the product has a confirmed push of the new figure. Each step goes to the sync log.
import type { Database } from 'better-sqlite3'
import { checkConfigHash, type StoredCheckResult } from '../../core/checklist'
import { errorMessage } from '../../core/errors'
import { getChannel, listChannels } from '../db/repos/channels'
import { productLabels } from '../db/repos/labels'
import { listMappings } from '../db/repos/mappings'
import { getPushState } from '../db/repos/push-state'
import { appendSyncLog } from '../db/repos/sync-log'
import type { Engine } from '../engine'
import { waitFor } from './channel-probe'
import { saveResult } from '../db/repos/checklist-results'
import { checklistConfig, UnknownChannelError } from './snapshot'

/**
 * The figures the test follows. In the app the running engine supplies them; headless, a dry run of the
 * engine (SyncPreview) that polls Odoo itself and also computes a channel still in setup.
 */
export interface ReturnTestFigures {
  /** Why the test cannot follow the figures now (sync not running, ...); null when it can. */
  unavailable(liveChannels: string[]): string | null
  /** The figure LastUnit publishes on a listing, or would publish on a channel in setup; null when unknown. */
  quantity(channelId: string, listingId: string): number | null
  /** Looks at Odoo again (the headless dry run polls here; the engine polls on its own). */
  refresh?(productId: number): Promise<void>
}

/** The running engine's figures (the app, and a host that runs the engine in its own process). */
export const engineFigures = (engine: Engine | null): ReturnTestFigures => ({
  unavailable: () => (engine && engine.status().running ? null : 'sync is not running'),
  quantity: (c, l) => engine?.explain(c, l)?.quantity ?? null,
})

export interface ReturnTestInput {
  db: Database
  engine: Engine | null
  /** Default: the engine's (engineFigures). */
  figures?: ReturnTestFigures
  /** The channel whose checklist this run counts for. */
  channelId: string
  /** The product to return; default: the product of this channel listed on the most live channels. */
  productId?: number
  /** Processes the return in Odoo (demo, tests). Without it, the seller does it while this waits. */
  performReturn?: (productId: number) => Promise<void> | void
  timeoutMs?: number
  /** Each step as it happens, and a line while waiting (every `progressEveryMs`, default 15 s). */
  progress?: (line: string) => void
  progressEveryMs?: number
  /** Stops the wait (Ctrl+C): the test fails with "stopped". */
  signal?: AbortSignal
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

interface Target {
  channelId: string
  listingId: string
  name: string
  /** A live channel gets the figure pushed and confirmed; a channel in setup only has it computed. */
  live: boolean
}

export async function runReturnRestockTest(input: ReturnTestInput): Promise<ReturnTestResult> {
  const { db, channelId } = input
  const figures = input.figures ?? engineFigures(input.engine)
  const timeoutMs = input.timeoutMs ?? 10 * 60_000
  const channel = getChannel(db, channelId)
  if (!channel) throw new UnknownChannelError(channelId)
  const steps: string[] = []
  const step = (message: string, level: 'info' | 'error' = 'info', productId: number | null = null) => {
    steps.push(message)
    input.progress?.(message)
    appendSyncLog(db, {
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
  // The product as the seller finds it in Odoo: by its internal reference (SKU) and name.
  const label = productId === null ? null : productLabels(db, [productId]).get(productId)
  const what =
    productId === null
      ? '(none)'
      : label
        ? `${label.sku ? `${label.sku} ` : ''}${label.name} (Odoo product ${productId})`
        : `product ${productId}`
  let failure: string | null = null
  const confirmed: string[] = []
  let setupNote = ''
  const started = Date.now()
  let lastProgress = started
  const everyMs = input.progressEveryMs ?? 15_000
  /** Waits for `probe`, telling how long it has waited; null at the deadline or when stopped. */
  const wait = <T>(what: string, probe: () => Promise<T | null>) =>
    waitFor(
      async () => {
        if (input.signal?.aborted) throw new Error('stopped before the return was confirmed')
        const v = await probe()
        const now = Date.now()
        if (v === null && input.progress && now - lastProgress >= everyMs) {
          lastProgress = now
          input.progress(
            `still waiting for ${what} (${Math.round((now - started) / 1000)} s of ${Math.round(timeoutMs / 1000)} s)`,
          )
        }
        return v
      },
      Math.max(0, started + timeoutMs - Date.now()),
      300,
    )
  try {
    if (productId === null) throw new Error('no product is mapped on this channel')
    const live = new Map(
      listChannels(db)
        .filter((c) => c.state === 'live')
        .map((c) => [c.id, c.name]),
    )
    const targets: Target[] = listMappings(db)
      .filter((m) => m.productId === productId && live.has(m.channelId))
      .map((m) => ({
        channelId: m.channelId,
        listingId: m.listingId,
        name: live.get(m.channelId)!,
        live: true,
      }))
    const blocked = figures.unavailable([...new Set(targets.map((t) => t.name))])
    if (blocked) throw new Error(blocked)
    // A channel in setup is followed too when the figures cover it (headless): computed, not pushed.
    if (channel.state !== 'live')
      for (const m of listMappings(db, channelId))
        if (m.productId === productId && figures.quantity(channelId, m.listingId) !== null)
          targets.push({ channelId, listingId: m.listingId, name: channel.name, live: false })
    if (targets.length === 0) throw new Error(`${what} is not listed on any live channel`)
    const key = (t: Target) => `${t.channelId}/${t.listingId}`
    const baseline = new Map(targets.map((t) => [key(t), figures.quantity(t.channelId, t.listingId)]))
    const names = [...new Set(targets.map((t) => (t.live ? t.name : `${t.name} (in setup)`)))]
    step(
      `waiting for a return of ${what} processed in Odoo (listed on ${names.join(', ')})`,
      'info',
      productId,
    )
    if (input.performReturn) await input.performReturn(productId)
    const seen = await wait('Odoo to show the return', async () => {
      await figures.refresh?.(productId)
      const changed = targets.some((t) => {
        const q = figures.quantity(t.channelId, t.listingId)
        return q !== null && q !== baseline.get(key(t))
      })
      return changed ? true : null
    })
    if (!seen)
      throw new Error(
        `no return of ${what} was seen in Odoo within ${Math.round(timeoutMs / 1000)} s: validate the return in Odoo (into a stock location this channel counts), then run the test again`,
      )
    step(`Odoo's stock moves for ${what} were picked up by the poll`, 'info', productId)
    const pushed = targets.filter((t) => t.live)
    const missing = await wait('every live channel to confirm the restocked figure', async () => {
      const open = pushed.filter((t) => {
        const want = figures.quantity(t.channelId, t.listingId)
        const ps = getPushState(db, t.channelId, t.listingId)
        return !(ps && CONFIRMED.has(ps.status) && want !== null && ps.quantity === want)
      })
      return open.length === 0 ? [] : null
    })
    if (!missing) {
      const open = pushed.filter((t) => getPushState(db, t.channelId, t.listingId)?.status !== 'confirmed')
      throw new Error(
        `the restocked figure was not confirmed on ${open.map((t) => t.name).join(', ') || 'every channel'}`,
      )
    }
    for (const t of pushed) {
      const q = figures.quantity(t.channelId, t.listingId)
      confirmed.push(`${t.name} ${baseline.get(key(t)) ?? '?'} -> ${q}`)
    }
    const computed = targets
      .filter((t) => !t.live)
      .map((t) => `${baseline.get(key(t)) ?? '?'} -> ${figures.quantity(t.channelId, t.listingId)}`)
    if (computed.length > 0)
      setupNote = ` LastUnit's figure for ${channel.name} rose ${computed.join(', ')}; it is pushed once ${channel.name} is live.`
    step(
      pushed.length > 0
        ? `the restocked figure was pushed and confirmed on every live channel: ${confirmed.join(', ')}`
        : `no channel is live yet, nothing to push:${setupNote}`,
      'info',
      productId,
    )
  } catch (e) {
    failure = errorMessage(e)
    step(`failed: ${failure}`, 'error', productId)
  }
  const notLive = channel.state === 'live' || setupNote ? '' : ` ${channel.name} receives it once live.`
  const result: StoredCheckResult = {
    checkId: 'return_restock',
    status: failure ? 'fail' : 'pass',
    evidence: failure
      ? `Return test for ${what} failed: ${failure}.`
      : confirmed.length > 0
        ? `A return of ${what} in Odoo was seen and pushed to every live channel (${confirmed.join(', ')}).${notLive}${setupNote}`
        : `A return of ${what} in Odoo was seen by the poll; no channel is live yet.${setupNote}`,
    configHash: checkConfigHash('return_restock', checklistConfig(db, channelId)),
    checkedAt: Date.now(),
    overrideReason: null,
  }
  saveResult(db, channelId, result)
  return { passed: !failure, productId, steps, result }
}
