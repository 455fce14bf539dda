// "Faster orders", checked from values in memory (typed in the app, not saved): the queue answers with the
// seller's key (GetQueueAttributes), the marketplace's subscription to it is created or found (the adapter's
// notifications.subscribe, then .subscription to read it back). Each step is said in plain words, with the
// reason when it fails. What is not checked is said too: neither Amazon's Notifications API nor the bol.com
// simulator sends a test event on request, so the first real order shows the measured time on the dashboard.
import { errorMessage, isClassifiedError } from '../../core/errors'
import type { ChannelOrderNotifications } from '../../core/ports/order-queue'
import type { FasterOrdersStepDto } from '../../../shared/faster-orders'
import { CHANNEL_LABELS } from '../../../shared/channel-types'
import type { ChannelRow } from '../db/repos/channels'
import { queueSettingsOf } from '../queue/queue-config'
import { createSqsQueue } from '../queue/sqs-queue'
import { createChannelAdapter, type AdapterFactoryOptions } from './channel-registry'

export interface FasterOrdersCheck {
  ok: boolean
  steps: FasterOrdersStepDto[]
  queueArn: string | null
  hint: string | null
}

const words = (e: unknown) => errorMessage(e)
const hintOf = (e: unknown) => (isClassifiedError(e) && e.hint ? e.hint : null)

export async function checkFasterOrdersWith(
  c: ChannelRow,
  credentials: Record<string, string>,
  adapterOptions: AdapterFactoryOptions | undefined,
  o: { queueTimeoutMs?: number } = {},
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
    } catch (e) {
      steps.push({ step: 'subscription', state: 'failed', message: words(e) })
      skip(3, 'Not checked: the subscription comes first.')
      return done(hintOf(e), arn)
    }
  } finally {
    await adapter?.close?.().catch(() => undefined)
  }

  // 4. A test event: not available on request; say so rather than pretend.
  steps.push({
    step: 'event',
    state: 'skipped',
    message:
      c.type === 'amazon'
        ? 'Not checked: Amazon sends no test event on request. The next order placed on Amazon shows on the dashboard within seconds, with the time it took.'
        : 'Not checked: LastUnit does not ask bol.com for a test event. The next order placed on bol.com shows on the dashboard within seconds, with the time it took.',
  })
  return done(null, arn)
}
