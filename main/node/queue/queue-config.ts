// The seller's queue settings: stored as credentials of the channel (encrypted, write-only, redacted like the
// marketplace's own), read and checked here. One queue may serve several channels (Amazon and bol.com both
// write to it); each channel names it.
import { ClassifiedError } from '../../core/errors'
import { insecureAddressProblem } from '../../../shared/credential-address'
import { ORDER_QUEUE_CREDENTIAL_FIELDS, type OrderQueueCredentialField } from '../../../shared/channel-types'

/** The credential names a channel's queue is stored under (channel owner, like its marketplace credentials). */
export const QUEUE_CREDENTIAL_FIELDS = ORDER_QUEUE_CREDENTIAL_FIELDS
type QueueCredentialField = OrderQueueCredentialField

export interface QueueSettings {
  /** e.g. https://sqs.eu-west-1.amazonaws.com/123456789012/lastunit-orders */
  queueUrl: string
  region: string
  accessKeyId: string
  secretAccessKey: string
  /** Where the SQS API is called; default: the queue URL's own origin (the simulator's, a proxy's). */
  endpoint?: string
}

const bad = (channel: string, field: QueueCredentialField, what: string) =>
  new ClassifiedError('needs_seller', 'queue.config', `${channel}: order queue ${field} ${what}`, {
    hint: 'Complete "Faster orders" for this channel in Connections.',
  })

/** True when the channel has any queue setting (then all four are required). */
export const hasQueueSettings = (credentials: Record<string, string>): boolean =>
  QUEUE_CREDENTIAL_FIELDS.some((f) => Boolean(credentials[f]))

/**
 * The channel's queue settings from its decrypted credentials; null when it has none. A partial or malformed
 * set is refused with the field and the channel named.
 */
export function queueSettingsOf(channel: string, credentials: Record<string, string>): QueueSettings | null {
  if (!hasQueueSettings(credentials)) return null
  for (const f of QUEUE_CREDENTIAL_FIELDS)
    if (!credentials[f]?.trim()) throw bad(channel, f, 'is missing (the queue needs all four settings)')
  const queueUrl = credentials.queueUrl!.trim()
  let url: URL
  try {
    url = new URL(queueUrl)
  } catch {
    throw bad(
      channel,
      'queueUrl',
      `"${queueUrl}" is not a URL (it reads like https://sqs.REGION.amazonaws.com/ACCOUNT/NAME)`,
    )
  }
  const insecure = insecureAddressProblem(queueUrl)
  if (insecure) throw bad(channel, 'queueUrl', insecure)
  const parts = url.pathname.split('/').filter(Boolean)
  if (parts.length !== 2 || !/^\d{12}$/.test(parts[0]!))
    throw bad(
      channel,
      'queueUrl',
      `"${queueUrl}" does not end in /ACCOUNT/NAME (a 12-digit AWS account id, then the queue name)`,
    )
  const region = credentials.queueRegion!.trim()
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))
    throw bad(channel, 'queueRegion', `"${region}" is not an AWS region like eu-west-1`)
  const accessKeyId = credentials.queueAccessKeyId!.trim()
  if (!/^[A-Z0-9]{16,128}$/.test(accessKeyId))
    throw bad(channel, 'queueAccessKeyId', 'is not an AWS access key id (letters and digits, like AKIA...)')
  return { queueUrl, region, accessKeyId, secretAccessKey: credentials.queueSecretAccessKey!.trim() }
}

/** arn:aws:sqs:REGION:ACCOUNT:NAME from a queue URL and region (what GetQueueAttributes also answers). */
export function queueArnOf(queueUrl: string, region: string): string {
  const [account, name] = new URL(queueUrl).pathname.split('/').filter(Boolean)
  return `arn:aws:sqs:${region}:${account}:${name}`
}
