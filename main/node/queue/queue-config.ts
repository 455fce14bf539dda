// The seller's queue settings: the URL and the access key stored as credentials of the channel (encrypted,
// write-only, redacted like the marketplace's own), read and checked here. The region is not a secret: it is
// read from the queue URL (shared/queue-url.ts); only a queue simulator on this computer takes it from the
// channel's setting `queueRegion`. One queue may serve several channels (Amazon and bol.com both write to it);
// each channel names it.
import { ClassifiedError } from '../../core/errors'
import { parseQueueUrl } from '../../../shared/queue-url'
import { ORDER_QUEUE_CREDENTIAL_FIELDS, type OrderQueueCredentialField } from '../../../shared/channel-types'

/** The credential names a channel's queue is stored under (channel owner, like its marketplace credentials). */
export const QUEUE_CREDENTIAL_FIELDS = ORDER_QUEUE_CREDENTIAL_FIELDS
type QueueField = OrderQueueCredentialField | 'queueRegion'

export interface QueueSettings {
  /** e.g. https://sqs.eu-west-1.amazonaws.com/123456789012/lastunit-orders */
  queueUrl: string
  /** From the URL (sqs.REGION.amazonaws.com), or the setting queueRegion for a simulator on this computer. */
  region: string
  accessKeyId: string
  secretAccessKey: string
  /** Where the SQS API is called; default: the queue URL's own origin (the simulator's, a proxy's). */
  endpoint?: string
}

const bad = (channel: string, field: QueueField, what: string) =>
  new ClassifiedError('needs_seller', 'queue.config', `${channel}: order queue ${field} ${what}`, {
    hint: 'Complete "Faster orders" for this channel in Connections.',
  })

/** True when the channel has any queue setting (then all three are required). */
export const hasQueueSettings = (credentials: Record<string, string>): boolean =>
  QUEUE_CREDENTIAL_FIELDS.some((f) => Boolean(credentials[f]))

/** What is wrong with an access key id, or null. */
export const accessKeyIdProblem = (id: string): string | null =>
  /^[A-Z0-9]{16,128}$/.test(id) ? null : 'is not an AWS access key id (letters and digits, like AKIA...)'

/**
 * The channel's queue settings from its decrypted credentials (and, for a simulator on this computer, the
 * region from its settings); null when it has none. A partial or malformed set is refused with the field and
 * the channel named.
 */
export function queueSettingsOf(
  channel: string,
  credentials: Record<string, string>,
  settings: Readonly<Record<string, unknown>> = {},
): QueueSettings | null {
  if (!hasQueueSettings(credentials)) return null
  for (const f of QUEUE_CREDENTIAL_FIELDS)
    if (!credentials[f]?.trim()) throw bad(channel, f, 'is missing (the queue needs all three settings)')
  const localRegion = typeof settings.queueRegion === 'string' ? settings.queueRegion : undefined
  const parsed = parseQueueUrl(credentials.queueUrl!, localRegion)
  if (!parsed.ok) throw bad(channel, parsed.field, parsed.problem)
  const accessKeyId = credentials.queueAccessKeyId!.trim()
  const keyProblem = accessKeyIdProblem(accessKeyId)
  if (keyProblem) throw bad(channel, 'queueAccessKeyId', keyProblem)
  return {
    queueUrl: parsed.queue.url,
    region: parsed.queue.region,
    accessKeyId,
    secretAccessKey: credentials.queueSecretAccessKey!.trim(),
  }
}
