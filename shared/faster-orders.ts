// "Faster orders" (docs/faster-orders.md): the guided step that connects a channel's marketplace notifications
// to the seller's own SQS queue. The renderer sends what the seller typed (write-only, like every credential);
// main checks it step by step and answers each step in plain words. Nothing is stored unless every check
// passed and the seller asked to save.
import { z } from 'zod'
import { typedSecretsSchema } from './connections'

export const fasterOrdersRequest = z
  .object({
    channelId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be a channel id like "amazon-de"'),
    /** queueUrl, queueAccessKeyId, queueSecretAccessKey as typed; absent or empty keeps what is stored. */
    credentials: typedSecretsSchema,
    /** bol.com: the IAM role bol.com writes to the queue with (arn:aws:iam::ACCOUNT:role/NAME). */
    queueRoleArn: z.string().max(300).optional(),
    /** Store the values when every check passes. */
    save: z.boolean(),
  })
  .strict()

export const FASTER_ORDERS_STEPS = ['values', 'queue', 'subscription', 'event'] as const

export const fasterOrdersStepDto = z
  .object({
    step: z.enum(FASTER_ORDERS_STEPS),
    /** ok: checked and works; failed: checked, the message says why; skipped: not checked (the message says why). */
    state: z.enum(['ok', 'failed', 'skipped']),
    message: z.string(),
  })
  .strict()
export type FasterOrdersStepDto = z.infer<typeof fasterOrdersStepDto>

export const fasterOrdersCheckDto = z
  .object({
    ok: z.boolean(),
    saved: z.boolean(),
    steps: z.array(fasterOrdersStepDto),
    /** What to do next, when a step failed. */
    hint: z.string().nullable(),
    /** The queue's ARN as SQS answered it (null when the queue could not be read). */
    queueArn: z.string().nullable(),
    at: z.number(),
  })
  .strict()
export type FasterOrdersCheckDto = z.infer<typeof fasterOrdersCheckDto>
