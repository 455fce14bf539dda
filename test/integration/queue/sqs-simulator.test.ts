// The real AWS SDK (through createSqsQueue) against the SQS simulator over loopback: long polling,
// visibility timeout and redelivery, deletes by the latest receipt handle, the refusals SQS answers.
import { afterEach, describe, expect, it } from 'vitest'
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import { ClassifiedError } from '../../../main/core/errors'
import { createSqsQueue } from '../../../main/node/queue/sqs-queue'
import {
  SQS_SIM_CREDENTIALS,
  startSqsSimulator,
  type SqsSimulator,
} from '../../../main/sandbox/queue/sqs-simulator'

let sim: SqsSimulator | undefined
afterEach(async () => {
  await sim?.stop()
  sim = undefined
})

const settings = (queueUrl: string) => ({
  queueUrl,
  region: 'eu-west-1',
  accessKeyId: SQS_SIM_CREDENTIALS.accessKeyId,
  secretAccessKey: SQS_SIM_CREDENTIALS.secretAccessKey,
})

describe('SQS simulator with the AWS SDK', () => {
  it('long-polls until a message arrives, hides it for the visibility timeout, delivers it again after', async () => {
    let now = 1_000_000
    sim = await startSqsSimulator({ clock: { now: () => now } })
    const url = sim.createQueue('orders')
    const q = createSqsQueue(settings(url))
    const t0 = Date.now()
    const waiting = q.receive({ waitSeconds: 2, max: 10, visibilitySeconds: 30 })
    setTimeout(() => sim!.send(url, '{"hello":1}'), 150)
    const got = await waiting
    expect(Date.now() - t0).toBeGreaterThanOrEqual(100)
    expect(got).toHaveLength(1)
    expect(got[0]!.body).toBe('{"hello":1}')
    expect(got[0]!.receiveCount).toBe(1)
    expect(got[0]!.sentAt).toBe(1_000_000)
    // Hidden while in flight: an immediate receive finds nothing.
    expect(await q.receive({ waitSeconds: 0, max: 10, visibilitySeconds: 30 })).toHaveLength(0)
    now += 31_000
    const again = await q.receive({ waitSeconds: 0, max: 10, visibilitySeconds: 30 })
    expect(again.map((m) => [m.messageId, m.receiveCount])).toEqual([[got[0]!.messageId, 2]])
    // The first handle is stale: the delete succeeds but the message stays (SQS's documented behaviour).
    await q.delete(got[0]!.receiptHandle)
    expect(sim.depth('orders')).toBe(1)
    await q.delete(again[0]!.receiptHandle)
    expect(sim.depth('orders')).toBe(0)
    const attrs = await q.attributes()
    expect(attrs.arn).toBe('arn:aws:sqs:eu-west-1:000000000000:orders')
    q.close()
  })

  it('changes visibility of a message in flight and refuses one not in flight', async () => {
    const now = 5_000
    sim = await startSqsSimulator({ clock: { now: () => now } })
    const url = sim.createQueue('orders')
    const q = createSqsQueue(settings(url))
    sim.send(url, 'x')
    const [m] = await q.receive({ waitSeconds: 0, max: 1, visibilitySeconds: 30 })
    await q.changeVisibility(m!.receiptHandle, 0)
    const [again] = await q.receive({ waitSeconds: 0, max: 1, visibilitySeconds: 30 })
    expect(again?.receiveCount).toBe(2)
    await q.changeVisibility(again!.receiptHandle, 0)
    await expect(q.changeVisibility(again!.receiptHandle, 0)).rejects.toThrow(/MessageNotInflight/)
    q.close()
  })

  it('a deleted queue is QueueDoesNotExist and a revoked key InvalidClientTokenId: both need the seller', async () => {
    sim = await startSqsSimulator()
    const url = sim.createQueue('orders')
    const q = createSqsQueue(settings(url))
    sim.deleteQueue('orders')
    const gone = await q.receive({ waitSeconds: 0, max: 1, visibilitySeconds: 30 }).catch((e: unknown) => e)
    expect(gone).toBeInstanceOf(ClassifiedError)
    expect((gone as ClassifiedError).kind).toBe('needs_seller')
    expect((gone as ClassifiedError).message).toMatch(/does not exist.*QueueDoesNotExist/)
    sim.createQueue('orders')
    sim.revokeKey(SQS_SIM_CREDENTIALS.accessKeyId)
    const revoked = await q.attributes().catch((e: unknown) => e)
    expect((revoked as ClassifiedError).kind).toBe('needs_seller')
    expect((revoked as ClassifiedError).message).toMatch(/InvalidClientTokenId/)
    q.close()
  })

  it('refuses an unsigned request with MissingAuthenticationToken', async () => {
    sim = await startSqsSimulator()
    const url = sim.createQueue('orders')
    const res = await fetch(`${sim.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ReceiveMessage' },
      body: JSON.stringify({ QueueUrl: url }),
    })
    expect(res.status).toBe(403)
    expect(await res.json()).toEqual({
      __type: 'com.amazonaws.sqs#MissingAuthenticationToken',
      message: 'Request is missing Authentication Token',
    })
  })

  it('delivers a seeded share of messages twice under one MessageId, and holds messages back by the delay', async () => {
    let now = 0
    sim = await startSqsSimulator({
      clock: { now: () => now },
      duplicateRate: 0.5,
      deliveryDelayMs: { min: 1000, max: 3000 },
      seed: 7,
    })
    const url = sim.createQueue('orders')
    for (let i = 0; i < 40; i++) sim.send(url, `m${i}`)
    const client = new SQSClient({ region: 'eu-west-1', endpoint: sim.url, credentials: SQS_SIM_CREDENTIALS })
    const first = await client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }))
    expect(first.Messages ?? []).toHaveLength(0)
    now = 3000
    const ids: string[] = []
    for (;;) {
      const r = await client.send(
        new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 600 }),
      )
      if (!r.Messages?.length) break
      ids.push(...r.Messages.map((m) => m.MessageId!))
    }
    expect(sim.counts.duplicated).toBeGreaterThan(5)
    expect(ids.length).toBe(40 + sim.counts.duplicated)
    expect(new Set(ids).size).toBe(40)
    client.destroy()
  })
})
