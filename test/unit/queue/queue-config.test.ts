// The seller's queue settings: all three or none, each malformed one refused naming the field and the channel;
// the region read from the queue URL (it is not a secret), a simulator's from the channel setting.
import { describe, expect, it } from 'vitest'
import { ClassifiedError } from '../../../main/core/errors'
import { queueSettingsOf } from '../../../main/node/queue/queue-config'
import { parseQueueUrl } from '../../../shared/queue-url'

const good = {
  queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/lastunit-orders',
  queueAccessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  queueSecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
}

const refusal = (creds: Record<string, string>, settings: Record<string, unknown> = {}): ClassifiedError => {
  try {
    queueSettingsOf('Amazon (amazon-de)', creds, settings)
  } catch (e) {
    if (e instanceof ClassifiedError) return e
    throw e
  }
  throw new Error('expected a refusal')
}

describe('queue settings', () => {
  it('none: the channel has no queue; all three: the settings, the region read from the URL', () => {
    expect(queueSettingsOf('Amazon (amazon-de)', { clientId: 'x' })).toBeNull()
    expect(queueSettingsOf('Amazon (amazon-de)', good)).toEqual({
      queueUrl: good.queueUrl,
      region: 'eu-west-1',
      accessKeyId: good.queueAccessKeyId,
      secretAccessKey: good.queueSecretAccessKey,
    })
    expect(
      queueSettingsOf('x', { ...good, queueUrl: 'https://sqs.ap-southeast-2.amazonaws.com/123456789012/q_1' })
        ?.region,
    ).toBe('ap-southeast-2')
    expect(
      queueSettingsOf('x', { ...good, queueUrl: 'https://us-east-2.queue.amazonaws.com/123456789012/q' })
        ?.region,
    ).toBe('us-east-2')
  })

  it('refuses a partial or malformed set, naming the channel and the field', () => {
    const partial = refusal({ queueUrl: good.queueUrl })
    expect(partial.kind).toBe('needs_seller')
    expect(partial.message).toBe(
      'Amazon (amazon-de): order queue queueAccessKeyId is missing (the queue needs all three settings)',
    )
    expect(refusal({ ...good, queueUrl: 'sqs/queue' }).message).toMatch(/queueUrl "sqs\/queue" is not a URL/)
    expect(refusal({ ...good, queueUrl: 'http://sqs.example.com/123456789012/q' }).message).toMatch(
      /queueUrl uses http:\/\/ to sqs.example.com/,
    )
    expect(refusal({ ...good, queueUrl: 'https://sqs.eu-west-1.amazonaws.com/q' }).message).toMatch(
      /queueUrl .* does not end in \/ACCOUNT\/NAME/,
    )
    expect(refusal({ ...good, queueAccessKeyId: 'my key' }).message).toMatch(
      /queueAccessKeyId is not an AWS access key id/,
    )
  })

  it('refuses a URL that is not an SQS queue URL, with the reason', () => {
    expect(refusal({ ...good, queueUrl: 'https://example.com/123456789012/lastunit-orders' }).message).toBe(
      'Amazon (amazon-de): order queue queueUrl "example.com" is not an Amazon SQS address: a queue URL reads like https://sqs.eu-west-1.amazonaws.com/123456789012/lastunit-orders (sqs.REGION.amazonaws.com)',
    )
    expect(
      refusal({ ...good, queueUrl: 'https://sqs.Ireland.amazonaws.com/123456789012/lastunit-orders' })
        .message,
    ).toMatch(/queueUrl "sqs.ireland.amazonaws.com" is not an Amazon SQS address/)
    expect(
      refusal({ ...good, queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders.fifo' }).message,
    ).toMatch(/queueUrl names a FIFO queue/)
    // The region setting is for a simulator on this computer only: it never overrides an AWS address's own.
    expect(refusal(good, { queueRegion: 'us-east-1' }).message).toMatch(
      /queueRegion names region eu-west-1, but the channel setting queueRegion says "us-east-1"/,
    )
  })

  it('a simulator on this computer may use http:// and takes its region from the channel setting', () => {
    const local = { ...good, queueUrl: 'http://127.0.0.1:4566/000000000000/q' }
    expect(queueSettingsOf('x', local, { queueRegion: 'eu-central-1' })).toMatchObject({
      queueUrl: local.queueUrl,
      region: 'eu-central-1',
    })
    expect(refusal(local).message).toMatch(
      /queueUrl names a queue simulator on this computer, which needs its region/,
    )
    expect(refusal(local, { queueRegion: 'Ireland' }).message).toMatch(
      /queueRegion the queue simulator's region \(setting queueRegion\) "Ireland" is not an AWS region/,
    )
  })

  it('the ARN the policies name comes from the URL', () => {
    const r = parseQueueUrl(good.queueUrl)
    expect(r).toEqual({
      ok: true,
      queue: {
        url: good.queueUrl,
        region: 'eu-west-1',
        account: '123456789012',
        name: 'lastunit-orders',
        arn: 'arn:aws:sqs:eu-west-1:123456789012:lastunit-orders',
        local: false,
      },
    })
  })
})
