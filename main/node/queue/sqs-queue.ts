// The seller's queue on Amazon SQS through the official AWS SDK for JavaScript v3 (@aws-sdk/client-sqs): it
// signs every request (SigV4) and speaks SQS's AWS JSON 1.0 protocol. What SQS answers is classified here:
// a queue that is gone or credentials that no longer work need the seller; the rest is retried.
// Error names: SQS API Reference, "Common Errors" and each action's "Errors"
// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/CommonErrors.html,
// .../API_ReceiveMessage.html); QueueDoesNotExist in the JSON protocol: SQS Developer Guide, "Interpreting
// Amazon SQS JSON API responses".
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs'
import { ClassifiedError, errorMessage } from '../../core/errors'
import type { OrderQueue, QueueAttributes, QueueMessage } from '../../core/ports/order-queue'
import type { QueueSettings } from './queue-config'

/** SQS error names that only the seller can fix: the queue is gone, or the key may not use it. */
const SELLER_ERRORS: Record<string, string> = {
  QueueDoesNotExist: 'the queue does not exist (deleted, or the URL names another queue or region)',
  'AWS.SimpleQueueService.NonExistentQueue':
    'the queue does not exist (deleted, or the URL names another queue or region)',
  AccessDenied: 'the access key may not use this queue (check its IAM policy)',
  AccessDeniedException: 'the access key may not use this queue (check its IAM policy)',
  InvalidClientTokenId: 'the access key id is not valid (deleted or deactivated in IAM)',
  UnrecognizedClientException: 'the access key id is not valid (deleted or deactivated in IAM)',
  SignatureDoesNotMatch: 'the secret access key does not match the access key id',
  IncompleteSignature: 'the request signature was refused',
  MissingAuthenticationToken: 'the request carried no signature',
  InvalidSecurity: 'the request was refused as insecure (use the https:// queue URL)',
  ExpiredToken: 'the credentials have expired',
  KmsAccessDenied: "the access key may not use the queue's KMS key",
  KmsDisabled: "the queue's KMS key is disabled",
}

interface SdkError {
  name?: string
  message?: string
  $fault?: 'client' | 'server'
  $metadata?: { httpStatusCode?: number }
}

/** A classified error for what SQS (or the network) answered. */
export function classifySqsError(e: unknown, what: string, queueUrl: string): ClassifiedError {
  if (e instanceof ClassifiedError) return e
  const err = (e ?? {}) as SdkError
  const name = err.name ?? ''
  const seller = SELLER_ERRORS[name]
  if (seller)
    return new ClassifiedError(
      'needs_seller',
      `queue.${name}`,
      `Order queue ${queueUrl}: ${what}: ${seller} (${name})`,
      {
        hint: 'Fix the queue or its access key in Connections ("Faster orders"); orders are still polled meanwhile.',
        cause: e,
      },
    )
  const status = err.$metadata?.httpStatusCode
  if (status === 403)
    return new ClassifiedError(
      'needs_seller',
      'queue.forbidden',
      `Order queue ${queueUrl}: ${what}: refused (HTTP 403 ${name})`,
      {
        hint: 'Check the access key and its IAM policy in "Faster orders".',
        cause: e,
      },
    )
  if (err.$fault === 'client' && status !== undefined && status !== 429 && name !== 'RequestThrottled')
    return new ClassifiedError(
      'permanent',
      `queue.${name || 'refused'}`,
      `Order queue ${queueUrl}: ${what}: ${name} ${err.message ?? ''}`.trim(),
      {
        cause: e,
      },
    )
  return new ClassifiedError(
    'retryable',
    `queue.${name || 'network'}`,
    `Order queue ${queueUrl}: ${what} failed: ${errorMessage(e)}`,
    {
      cause: e,
    },
  )
}

export interface SqsQueueOptions {
  /** Longest wait for one HTTP answer beyond the long poll (default 10 s). */
  timeoutMs?: number
}

/**
 * The SDK warns on Node 20 that its versions published after January 2027 will need Node 22. That is for
 * whoever upgrades the dependency (package-lock.json pins this one), not for a seller reading the CLI's
 * output: said once in the README, silenced here.
 */
const quietNodeVersionWarning = (): void => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
}

export function createSqsQueue(s: QueueSettings, o: SqsQueueOptions = {}): OrderQueue {
  quietNodeVersionWarning()
  const endpoint = s.endpoint ?? new URL(s.queueUrl).origin
  const client = new SQSClient({
    region: s.region,
    endpoint,
    credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey },
    // The reader decides when to try again (it backs off and falls back to polling).
    maxAttempts: 1,
  })
  const timeoutMs = o.timeoutMs ?? 10_000
  const closing = new AbortController()
  const call = async <T>(what: string, run: (signal: AbortSignal) => Promise<T>, extraMs = 0): Promise<T> => {
    const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs + extraMs), closing.signal])
    try {
      return await run(signal)
    } catch (e) {
      throw classifySqsError(e, what, s.queueUrl)
    }
  }
  return {
    url: s.queueUrl,
    async receive({ waitSeconds, max, visibilitySeconds }): Promise<QueueMessage[]> {
      const res = await call(
        'receiving messages',
        (abortSignal) =>
          client.send(
            new ReceiveMessageCommand({
              QueueUrl: s.queueUrl,
              WaitTimeSeconds: waitSeconds,
              MaxNumberOfMessages: max,
              VisibilityTimeout: visibilitySeconds,
              MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
            }),
            { abortSignal },
          ),
        waitSeconds * 1000,
      )
      return (res.Messages ?? []).flatMap((m) =>
        m.MessageId && m.ReceiptHandle
          ? [
              {
                messageId: m.MessageId,
                receiptHandle: m.ReceiptHandle,
                body: m.Body ?? '',
                receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? '1') || 1,
                sentAt: m.Attributes?.SentTimestamp ? Number(m.Attributes.SentTimestamp) : null,
              },
            ]
          : [],
      )
    },
    async delete(receiptHandle) {
      await call('deleting a message', (abortSignal) =>
        client.send(new DeleteMessageCommand({ QueueUrl: s.queueUrl, ReceiptHandle: receiptHandle }), {
          abortSignal,
        }),
      )
    },
    async changeVisibility(receiptHandle, seconds) {
      await call("changing a message's visibility", (abortSignal) =>
        client.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: s.queueUrl,
            ReceiptHandle: receiptHandle,
            VisibilityTimeout: seconds,
          }),
          { abortSignal },
        ),
      )
    },
    async attributes(): Promise<QueueAttributes> {
      const res = await call('reading its attributes', (abortSignal) =>
        client.send(
          new GetQueueAttributesCommand({
            QueueUrl: s.queueUrl,
            AttributeNames: ['QueueArn', 'VisibilityTimeout', 'ApproximateNumberOfMessages'],
          }),
          { abortSignal },
        ),
      )
      const a = res.Attributes ?? {}
      if (!a.QueueArn)
        throw new ClassifiedError(
          'retryable',
          'queue.malformed',
          `Order queue ${s.queueUrl}: GetQueueAttributes answered without QueueArn`,
        )
      return {
        arn: a.QueueArn,
        visibilityTimeoutSeconds: Number(a.VisibilityTimeout ?? '30'),
        messages: Number(a.ApproximateNumberOfMessages ?? '0'),
      }
    },
    close() {
      closing.abort()
      client.destroy()
    },
  }
}
