// "Faster orders", checked from values in memory (typed in the app, not saved): the queue answers with the
// seller's key (GetQueueAttributes), the marketplace's subscription to it is created or found (the adapter's
// notifications.subscribe, then .subscription to read it back). Each step is said in plain words, with the
// reason when it fails. Then, for bol.com, a test event: bol.com is asked to send its test push
// (POST /retailer/subscriptions/test/{id}) and the check waits up to 30 s for it to arrive: read by the engine's
// queue reader when one reads this queue (it records when a test event came), else received here with the
// seller's key (other messages made visible again at once). Amazon's Notifications API has no test operation:
// the step says so, and the first ORDER_CHANGE shows the queue receives.
import { errorMessage, isClassifiedError } from '../../core/errors'
import type { ChannelOrderNotifications, OrderQueue } from '../../core/ports/order-queue'
import type { FasterOrdersStepDto } from '../../../shared/faster-orders'
import { CHANNEL_LABELS } from '../../../shared/channel-types'
import type { ChannelRow } from '../db/repos/channels'
import { queueSettingsOf, type QueueSettings } from '../queue/queue-config'
import { createSqsQueue } from '../queue/sqs-queue'
import { createChannelAdapter, type AdapterFactoryOptions } from './channel-registry'

export interface FasterOrdersCheck {
  ok: boolean
  steps: FasterOrdersStepDto[]
  queueArn: string | null
  hint: string | null
}

export interface FasterOrdersCheckOptions {
  queueTimeoutMs?: number
  /** How long to wait for the marketplace's test event (default 30 s). */
  testEventTimeoutMs?: number
  /** The clock the test event is timed on (default Date.now) and how the check waits between looks. */
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  /** The engine's reader of the queue (by URL), when it runs: it consumes the test event and records it. */
  engineQueue?: (queueUrl: string) => { state: string; lastTestEventAt: number | null } | null
}

const words = (e: unknown) => errorMessage(e)
const hintOf = (e: unknown) => (isClassifiedError(e) && e.hint ? e.hint : null)

export async function checkFasterOrdersWith(
  c: ChannelRow,
  credentials: Record<string, string>,
  adapterOptions: AdapterFactoryOptions | undefined,
  o: FasterOrdersCheckOptions = {},
): Promise<FasterOrdersCheck> {
  const label = CHANNEL_LABELS[c.type]
  const steps: FasterOrdersStepDto[] = []
  const skip = (from: number, why: string) => {
    const names = ['values', 'queue', 'subscription', 'event'] as const
    for (const step of names.slice(from)) steps.push({ step, state: 'skipped', message: why })
  }
  const done = (hint: string | null, queueArn: string | null): FasterOrdersCheck => ({
    ok: steps.every((s) => s.state !== 'failed'),
    steps,
    queueArn,
    hint,
  })

  // 1. The values: all three, a queue URL that is an SQS queue URL (its region read from it), a key id.
  let settings
  try {
    settings = queueSettingsOf(`${c.name} (${c.id})`, credentials, c.settings)
  } catch (e) {
    steps.push({ step: 'values', state: 'failed', message: words(e) })
    skip(1, 'Not checked: the values above come first.')
    return done(hintOf(e), null)
  }
  if (!settings) {
    steps.push({
      step: 'values',
      state: 'failed',
      message: 'Enter the queue URL, the access key ID and its secret access key.',
    })
    skip(1, 'Not checked: the values above come first.')
    return done(null, null)
  }
  steps.push({
    step: 'values',
    state: 'ok',
    message: `An SQS queue URL in region ${settings.region}, with an access key ID.`,
  })

  // 2. The queue answers GetQueueAttributes with this key (wrong key, queue missing, no permission: the reason).
  const queue = createSqsQueue(settings, { timeoutMs: o.queueTimeoutMs ?? 10_000 })
  let arn: string
  try {
    const a = await queue.attributes()
    arn = a.arn
    steps.push({
      step: 'queue',
      state: 'ok',
      message: `The queue answers with this key: ${a.arn}, ${a.messages} ${a.messages === 1 ? 'message' : 'messages'} waiting.`,
    })
  } catch (e) {
    steps.push({ step: 'queue', state: 'failed', message: words(e) })
    skip(2, `Not checked: ${label} is asked only once the queue answers.`)
    return done(hintOf(e), null)
  } finally {
    queue.close()
  }

  // 3. The marketplace's subscription: created when missing, then read back.
  let notifications: ChannelOrderNotifications | undefined
  let subscriptionId: string | null = null
  const adapter = (() => {
    try {
      return createChannelAdapter(c, credentials, adapterOptions)
    } catch (e) {
      steps.push({ step: 'subscription', state: 'failed', message: words(e) })
      return null
    }
  })()
  try {
    if (!adapter) {
      skip(3, 'Not checked: the subscription comes first.')
      return done(null, arn)
    }
    notifications = adapter.notifications
    if (!notifications) {
      steps.push({
        step: 'subscription',
        state: 'failed',
        message: `${label} cannot send order events to a queue in this build.`,
      })
      skip(3, 'Not checked: the subscription comes first.')
      return done(null, arn)
    }
    try {
      const made = await notifications.subscribe({ arn, url: settings.queueUrl })
      const read = made.active ? await notifications.subscription() : made
      steps.push({
        step: 'subscription',
        state: read.active ? 'ok' : 'failed',
        message: read.active
          ? `${label} sends order events to the queue (subscription ${read.subscriptionId ?? 'active'}${read.destination ? `, to ${read.destination}` : ''}).`
          : read.message,
      })
      if (!read.active) {
        skip(3, 'Not checked: the subscription comes first.')
        return done(`Check again in a minute: ${label} may still be processing the subscription.`, arn)
      }
      subscriptionId = read.subscriptionId
    } catch (e) {
      steps.push({ step: 'subscription', state: 'failed', message: words(e) })
      skip(3, 'Not checked: the subscription comes first.')
      return done(hintOf(e), arn)
    }

    // 4. A test event, where the marketplace sends one on request; else said plainly.
    if (!notifications.sendTest || subscriptionId === null) {
      steps.push({
        step: 'event',
        state: 'skipped',
        message: `Not checked: ${label} sends no test event on request; the queue's first ${c.type === 'amazon' ? 'ORDER_CHANGE' : 'ORDER event'} shows it receives. That order shows on the dashboard within seconds, with the time it took.`,
      })
      return done(null, arn)
    }
    const r = await testEvent(label, notifications, subscriptionId, settings, o)
    steps.push(r.step)
    return done(r.hint, arn)
  } finally {
    await adapter?.close?.().catch(() => undefined)
  }
}

/** Asks the marketplace for its test event and waits until it arrived in the queue (or the wait ends). */
async function testEvent(
  label: string,
  notifications: ChannelOrderNotifications,
  subscriptionId: string,
  settings: QueueSettings,
  o: FasterOrdersCheckOptions,
): Promise<{ step: FasterOrdersStepDto; hint: string | null }> {
  const now = o.now ?? Date.now
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  const timeoutMs = o.testEventTimeoutMs ?? 30_000
  const sent = now()
  try {
    await notifications.sendTest!(subscriptionId)
  } catch (e) {
    return {
      step: { step: 'event', state: 'failed', message: `${label} refused to send a test event: ${words(e)}` },
      hint: hintOf(e),
    }
  }
  const arrived = (at: number) => ({
    step: {
      step: 'event' as const,
      state: 'ok' as const,
      message: `${label}'s test event arrived in ${(Math.max(0, at - sent) / 1000).toFixed(1)} s.`,
    },
    hint: null,
  })
  const reader = o.engineQueue?.(settings.queueUrl)
  let arrivedAt: number | null = null
  if (reader && reader.state === 'up') {
    // The engine reads this queue (for this channel or another): it consumes the test event and records when.
    while (arrivedAt === null && now() - sent < timeoutMs) {
      const at = o.engineQueue?.(settings.queueUrl)?.lastTestEventAt ?? null
      if (at !== null && at >= sent) arrivedAt = at
      else await sleep(200)
    }
  } else {
    const queue = createSqsQueue(settings, { timeoutMs: o.queueTimeoutMs ?? 10_000 })
    try {
      arrivedAt = await receiveTest(queue, notifications, sent, timeoutMs, now, sleep)
    } catch (e) {
      return {
        step: { step: 'event', state: 'failed', message: `Waiting for ${label}'s test event: ${words(e)}` },
        hint: hintOf(e),
      }
    } finally {
      queue.close()
    }
  }
  if (arrivedAt !== null) return arrived(arrivedAt)
  const s = Math.round(timeoutMs / 1000)
  return {
    step: {
      step: 'event',
      state: 'failed',
      message: `No test event within ${s} s: check the queue policy lets ${label}'s role send to the queue (docs/faster-orders.md).`,
    },
    hint: `${label} accepted the test but nothing reached the queue: the queue policy must allow its role to SendMessage.`,
  }
}

/**
 * Receives with the seller's key until the test event comes: it is deleted; any other message is made visible
 * again at once (ChangeMessageVisibility 0) for whoever reads the queue. Answers when it came, or null.
 */
async function receiveTest(
  queue: OrderQueue,
  notifications: ChannelOrderNotifications,
  sent: number,
  timeoutMs: number,
  now: () => number,
  sleep: (ms: number) => Promise<void>,
): Promise<number | null> {
  while (now() - sent < timeoutMs) {
    const left = timeoutMs - (now() - sent)
    const msgs = await queue.receive({
      waitSeconds: Math.max(1, Math.min(5, Math.floor(left / 1000))),
      max: 10,
      visibilitySeconds: 30,
    })
    let found: number | null = null
    for (const m of msgs) {
      // A test event left by an earlier check counts too: it reached the queue all the same.
      if (notifications.isTest?.(m.body)) {
        await queue.delete(m.receiptHandle)
        found ??= now()
      } else await queue.changeVisibility(m.receiptHandle, 0)
    }
    if (found !== null) return found
    // Only other messages, visible again at once: a short pause before looking again.
    if (msgs.length > 0) await sleep(250)
  }
  return null
}
