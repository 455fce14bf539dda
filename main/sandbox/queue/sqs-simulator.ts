// A stand-in for Amazon SQS (standard queues) that speaks what @aws-sdk/client-sqs sends: the AWS JSON 1.0
// protocol, POST / with `X-Amz-Target: AmazonSQS.<Action>` and `Content-Type: application/x-amz-json-1.0`.
// Every behaviour here is SQS's own, from the SQS API Reference and Developer Guide
// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/, .../SQSDeveloperGuide/):
// - ReceiveMessage: up to MaxNumberOfMessages (1-10), long polling for up to WaitTimeSeconds (0-20) until a
//   message is there; a received message is hidden for VisibilityTimeout (else the queue's, 30 s by default)
//   and delivered again once that passes, with ApproximateReceiveCount counting deliveries and a new
//   ReceiptHandle each time (API_ReceiveMessage; "Amazon SQS visibility timeout").
// - DeleteMessage: by receipt handle; "if you don't provide the most recently received receipt handle for the
//   message, the request will still succeed, but the message might not be deleted"; a handle that is not one
//   is ReceiptHandleIsInvalid (API_DeleteMessage).
// - ChangeMessageVisibility: only for a message in flight, else MessageNotInflight (API_ChangeMessageVisibility).
// - GetQueueAttributes: QueueArn, VisibilityTimeout, ApproximateNumberOf* (API_GetQueueAttributes).
// - SendMessage (what the marketplace simulators publish with): MessageId and MD5OfMessageBody (the SDK checks
//   the MD5s on send and receive).
// - Standard queues deliver at least once: "on rare occasions" a message comes twice ("Amazon SQS at-least-once
//   delivery"); here a seeded share of messages is stored twice under one MessageId, and a seeded delivery
//   delay (what Amazon's and bol.com's senders add) holds a message back before it can be received.
// - Errors in the JSON protocol's shape: HTTP 400 `{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":
//   "The specified queue does not exist."}` with `x-amzn-query-error: AWS.SimpleQueueService.NonExistentQueue;
//   Sender` ("Interpreting Amazon SQS JSON API responses"); a request without a SigV4 Authorization header is
//   MissingAuthenticationToken and an unknown or revoked access key InvalidClientTokenId, both HTTP 403 (SQS
//   "Common Errors"; their JSON __type namespace is not documented there and is assumed to be SQS's own).
// Only the signature's presence and its access key id are checked, not the signature itself.
import { createHash, randomUUID } from 'node:crypto'
import { systemClock, type Clock } from '../../core/ports/clock'
import type { SimRequest, SimResponse } from '../http/sim-server'
import { startChannelServer, withServer, type ChannelServerOptions, type ChannelSimBase } from '../kit'
import { seededRandom } from '../odoo/demo-catalogue'

export interface SqsSimulatorOptions extends ChannelServerOptions {
  clock?: Clock
  /** Access key id -> secret the simulator accepts (default: SQS_SIM_CREDENTIALS). */
  keys?: Record<string, string>
  region?: string
  account?: string
  /** Share of sent messages stored twice under one MessageId (at-least-once delivery). Default 0. */
  duplicateRate?: number
  /** Delivery delay range of a sent message, ms (what the senders add). Default none. */
  deliveryDelayMs?: { min: number; max: number }
  /** Seeded randomness for duplicates and delays. */
  seed?: number
}

export const SQS_SIM_CREDENTIALS = {
  accessKeyId: 'AKIASIMULATOR0000001',
  secretAccessKey: 'sim-secret-key-0000000000000000000000001',
}
export const SQS_SIM_ACCOUNT = '000000000000'

interface StoredMessage {
  messageId: string
  body: string
  md5: string
  sentAt: number
  visibleAt: number
  receiveCount: number
  /** The latest receipt handle (null: never received). */
  receipt: string | null
}

interface SimQueue {
  name: string
  arn: string
  visibilityTimeoutS: number
  messages: StoredMessage[]
  /** The queue policy's allowed senders (IAM role ARNs); null: any sender may SendMessage. */
  senders: string[] | null
}

export interface SqsSimulator extends ChannelSimBase {
  readonly url: string
  readonly region: string
  /** Creates a queue (or finds it) and answers its URL. */
  createQueue(name: string, opts?: { visibilityTimeoutS?: number }): string
  deleteQueue(name: string): void
  /** The access key no longer works (the seller deleted or deactivated it in IAM). */
  revokeKey(accessKeyId: string): void
  /** An access key works (again). */
  grantKey(accessKeyId: string, secretAccessKey: string): void
  /**
   * The queue policy: only these principals may SendMessage (null: anyone). A sender the policy does not
   * allow is refused, as SQS refuses a SendMessage its queue policy denies (AccessDenied to the sender).
   */
  allowSenders(name: string, principals: string[] | null): void
  /**
   * What a sender (Amazon, bol.com) publishes, as `sender` (the role it assumes; undefined: not checked);
   * answers the MessageId, or null when the queue is gone or its policy refuses the sender.
   */
  send(queueUrl: string, body: string, sender?: string): string | null
  /** Messages stored (visible, delayed or in flight) in a queue. */
  depth(name: string): number
  readonly counts: { received: number; deleted: number; duplicated: number; refused: number }
}

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex')

const JSON_10 = 'application/x-amz-json-1.0'

function sqsError(status: number, type: string, message: string, queryError?: string): SimResponse {
  return {
    status,
    headers: {
      'content-type': JSON_10,
      'x-amzn-requestid': randomUUID(),
      ...(queryError ? { 'x-amzn-query-error': queryError } : {}),
    },
    body: { __type: `com.amazonaws.sqs#${type}`, message },
  }
}

const ok = (body: unknown): SimResponse => ({
  status: 200,
  headers: { 'content-type': JSON_10, 'x-amzn-requestid': randomUUID() },
  body,
})

const badParameter = (message: string) =>
  sqsError(400, 'InvalidParameterValue', message, 'InvalidParameterValue;Sender')

export async function startSqsSimulator(opts: SqsSimulatorOptions = {}): Promise<SqsSimulator> {
  const clock = opts.clock ?? systemClock
  const region = opts.region ?? 'eu-west-1'
  const account = opts.account ?? SQS_SIM_ACCOUNT
  const keys = new Map(
    Object.entries(opts.keys ?? { [SQS_SIM_CREDENTIALS.accessKeyId]: SQS_SIM_CREDENTIALS.secretAccessKey }),
  )
  const random = seededRandom(opts.seed ?? 1)
  const queues = new Map<string, SimQueue>()
  const counts = { received: 0, deleted: 0, duplicated: 0, refused: 0 }
  const waiters = new Set<() => void>()
  let base = ''

  const wake = () => {
    for (const w of [...waiters]) w()
  }
  /** The queue a QueueUrl names: by its path /ACCOUNT/NAME (the host may be 127.0.0.1 or localhost). */
  const queueOf = (queueUrl: unknown): SimQueue | undefined => {
    if (typeof queueUrl !== 'string') return undefined
    try {
      const [acct, name] = new URL(queueUrl).pathname.split('/').filter(Boolean)
      return acct === account && name ? queues.get(name) : undefined
    } catch {
      return undefined
    }
  }
  const noQueue = () =>
    sqsError(
      400,
      'QueueDoesNotExist',
      'The specified queue does not exist.',
      'AWS.SimpleQueueService.NonExistentQueue;Sender',
    )

  const visible = (q: SimQueue, now: number) => q.messages.filter((m) => m.visibleAt <= now)

  const take = (q: SimQueue, max: number, visibilityS: number) => {
    const now = clock.now()
    return visible(q, now)
      .slice(0, max)
      .map((m) => {
        m.receiveCount++
        m.visibleAt = now + visibilityS * 1000
        m.receipt = `${q.name}:${m.messageId}:${randomUUID()}`
        counts.received++
        return {
          MessageId: m.messageId,
          ReceiptHandle: m.receipt,
          MD5OfBody: m.md5,
          Body: m.body,
          Attributes: { ApproximateReceiveCount: String(m.receiveCount), SentTimestamp: String(m.sentAt) },
        }
      })
  }

  const enqueue = (q: SimQueue, body: string): string => {
    const messageId = randomUUID()
    const now = clock.now()
    const copies = opts.duplicateRate && random() < opts.duplicateRate ? 2 : 1
    if (copies === 2) counts.duplicated++
    for (let i = 0; i < copies; i++) {
      const d = opts.deliveryDelayMs
      const delay = d ? d.min + random() * Math.max(0, d.max - d.min) : 0
      q.messages.push({
        messageId,
        body,
        md5: md5(body),
        sentAt: now,
        visibleAt: now + delay,
        receiveCount: 0,
        receipt: null,
      })
    }
    wake()
    return messageId
  }

  /** Long polling: waits (real time) until a message is visible or the wait is over. */
  const waitForMessage = (q: SimQueue, waitS: number) =>
    new Promise<void>((resolve) => {
      const deadline = Date.now() + waitS * 1000
      const check = () => {
        if (visible(q, clock.now()).length > 0 || Date.now() >= deadline || !queues.has(q.name)) {
          clearInterval(tick)
          waiters.delete(check)
          resolve()
        }
      }
      // Delayed or hidden messages become visible with time, not with an event: look again every 25 ms.
      const tick = setInterval(check, 25)
      tick.unref?.()
      waiters.add(check)
    })

  const actions: Record<string, (b: Record<string, unknown>) => SimResponse | Promise<SimResponse>> = {
    async ReceiveMessage(b) {
      const q = queueOf(b.QueueUrl)
      if (!q) return noQueue()
      const max = (b.MaxNumberOfMessages as number | undefined) ?? 1
      const wait = (b.WaitTimeSeconds as number | undefined) ?? 0
      const vis = (b.VisibilityTimeout as number | undefined) ?? q.visibilityTimeoutS
      if (!Number.isInteger(max) || max < 1 || max > 10)
        return badParameter(
          `Value ${String(max)} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`,
        )
      if (!Number.isInteger(wait) || wait < 0 || wait > 20)
        return badParameter(
          `Value ${String(wait)} for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.`,
        )
      if (!Number.isInteger(vis) || vis < 0 || vis > 43_200)
        return badParameter(
          `Value ${String(vis)} for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= 43200, if provided.`,
        )
      if (visible(q, clock.now()).length === 0 && wait > 0) await waitForMessage(q, wait)
      if (!queues.has(q.name)) return noQueue()
      const messages = take(q, max, vis)
      return ok(messages.length > 0 ? { Messages: messages } : {})
    },
    DeleteMessage(b) {
      const q = queueOf(b.QueueUrl)
      if (!q) return noQueue()
      const handle = b.ReceiptHandle
      if (typeof handle !== 'string' || !handle.startsWith(`${q.name}:`))
        return sqsError(
          400,
          'ReceiptHandleIsInvalid',
          `The input receipt handle "${String(handle)}" is not a valid receipt handle.`,
          'ReceiptHandleIsInvalid;Sender',
        )
      const i = q.messages.findIndex((m) => m.receipt === handle)
      // A handle that is not the latest: the request succeeds, the message stays.
      if (i >= 0) {
        q.messages.splice(i, 1)
        counts.deleted++
      }
      return ok({})
    },
    ChangeMessageVisibility(b) {
      const q = queueOf(b.QueueUrl)
      if (!q) return noQueue()
      const handle = b.ReceiptHandle
      const vis = b.VisibilityTimeout
      if (typeof vis !== 'number' || !Number.isInteger(vis) || vis < 0 || vis > 43_200)
        return badParameter(
          `Value ${String(vis)} for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= 43200.`,
        )
      if (typeof handle !== 'string' || !handle.startsWith(`${q.name}:`))
        return sqsError(
          400,
          'ReceiptHandleIsInvalid',
          `The input receipt handle "${String(handle)}" is not a valid receipt handle.`,
          'ReceiptHandleIsInvalid;Sender',
        )
      const now = clock.now()
      const m = q.messages.find((x) => x.receipt === handle)
      if (!m || m.visibleAt <= now)
        return sqsError(
          400,
          'MessageNotInflight',
          'The message referred to is not in flight.',
          'AWS.SimpleQueueService.MessageNotInflight;Sender',
        )
      m.visibleAt = now + vis * 1000
      if (vis === 0) wake()
      return ok({})
    },
    GetQueueAttributes(b) {
      const q = queueOf(b.QueueUrl)
      if (!q) return noQueue()
      const now = clock.now()
      const delayed = q.messages.filter((m) => m.receiveCount === 0 && m.visibleAt > now).length
      const inFlight = q.messages.filter((m) => m.receiveCount > 0 && m.visibleAt > now).length
      const all: Record<string, string> = {
        QueueArn: q.arn,
        VisibilityTimeout: String(q.visibilityTimeoutS),
        ApproximateNumberOfMessages: String(visible(q, now).length),
        ApproximateNumberOfMessagesNotVisible: String(inFlight),
        ApproximateNumberOfMessagesDelayed: String(delayed),
        ReceiveMessageWaitTimeSeconds: '0',
        MessageRetentionPeriod: '345600',
      }
      const names = Array.isArray(b.AttributeNames) ? (b.AttributeNames as string[]) : []
      const wanted = names.includes('All') ? Object.keys(all) : names
      return ok({ Attributes: Object.fromEntries(wanted.filter((n) => n in all).map((n) => [n, all[n]!])) })
    },
    SendMessage(b) {
      const q = queueOf(b.QueueUrl)
      if (!q) return noQueue()
      if (typeof b.MessageBody !== 'string' || b.MessageBody.length === 0)
        return sqsError(
          400,
          'MissingParameter',
          'The request must contain the parameter MessageBody.',
          'MissingParameter;Sender',
        )
      const messageId = enqueue(q, b.MessageBody)
      return ok({ MessageId: messageId, MD5OfMessageBody: md5(b.MessageBody) })
    },
  }

  const handle = async (req: SimRequest): Promise<SimResponse> => {
    const target = String(req.headers['x-amz-target'] ?? '')
    const contentType = String(req.headers['content-type'] ?? '')
    if (!contentType.startsWith(JSON_10) || !target.startsWith('AmazonSQS.'))
      return sqsError(
        400,
        'InvalidAction',
        `The action or operation requested is invalid (X-Amz-Target "${target}", Content-Type "${contentType}").`,
        'InvalidAction;Sender',
      )
    // SigV4: Authorization: AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/sqs/aws4_request, SignedHeaders=..., Signature=...
    const auth = String(req.headers.authorization ?? '')
    const cred =
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/([^/]+)\/sqs\/aws4_request, ?SignedHeaders=[^,]+, ?Signature=[0-9a-f]{64}$/.exec(
        auth,
      )
    if (!cred) {
      counts.refused++
      return sqsError(
        403,
        'MissingAuthenticationToken',
        'Request is missing Authentication Token',
        'MissingAuthenticationToken;Sender',
      )
    }
    if (!keys.has(cred[1]!)) {
      counts.refused++
      return sqsError(
        403,
        'InvalidClientTokenId',
        'The security token included in the request is invalid.',
        'InvalidClientTokenId;Sender',
      )
    }
    const action = actions[target.slice('AmazonSQS.'.length)]
    if (!action)
      return sqsError(
        400,
        'InvalidAction',
        `The action ${target} is not valid for this endpoint.`,
        'InvalidAction;Sender',
      )
    const body = req.json && typeof req.json === 'object' ? (req.json as Record<string, unknown>) : {}
    return action(body)
  }

  const server = await startChannelServer(
    'SQS',
    [{ method: 'POST', pattern: '/', handler: handle }],
    () => sqsError(404, 'InvalidAction', 'Not found'),
    opts,
  )
  base = server.url

  return withServer<SqsSimulator>(server, {
    url: server.url,
    region,
    counts,
    createQueue(name, o = {}) {
      if (!queues.has(name))
        queues.set(name, {
          name,
          arn: `arn:aws:sqs:${region}:${account}:${name}`,
          visibilityTimeoutS: o.visibilityTimeoutS ?? 30,
          messages: [],
          senders: null,
        })
      return `${base}/${account}/${name}`
    },
    deleteQueue(name) {
      queues.delete(name)
      wake()
    },
    revokeKey(accessKeyId) {
      keys.delete(accessKeyId)
    },
    grantKey(accessKeyId, secretAccessKey) {
      keys.set(accessKeyId, secretAccessKey)
    },
    allowSenders(name, principals) {
      const q = queues.get(name)
      if (q) q.senders = principals
    },
    send(queueUrl, body, sender) {
      const q = queueOf(queueUrl)
      if (!q) return null
      if (q.senders && sender !== undefined && !q.senders.includes(sender)) return null
      return enqueue(q, body)
    },
    depth: (name) => queues.get(name)?.messages.length ?? 0,
  })
}
