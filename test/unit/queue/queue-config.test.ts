// The seller's queue settings: all four or none, each malformed one refused naming the field and the channel.
import { describe, expect, it } from 'vitest'
import { ClassifiedError } from '../../../main/core/errors'
import { queueArnOf, queueSettingsOf } from '../../../main/node/queue/queue-config'

const good = {
  queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/lastunit-orders',
  queueRegion: 'eu-west-1',
  queueAccessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  queueSecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
}

const refusal = (creds: Record<string, string>): ClassifiedError => {
  try {
    queueSettingsOf('Amazon (amazon-de)', creds)
  } catch (e) {
    if (e instanceof ClassifiedError) return e
    throw e
  }
  throw new Error('expected a refusal')
}

describe('queue settings', () => {
  it('none: the channel has no queue; all four: the settings', () => {
    expect(queueSettingsOf('Amazon (amazon-de)', { clientId: 'x' })).toBeNull()
    expect(queueSettingsOf('Amazon (amazon-de)', good)).toEqual({
      queueUrl: good.queueUrl,
      region: 'eu-west-1',
      accessKeyId: good.queueAccessKeyId,
      secretAccessKey: good.queueSecretAccessKey,
    })
    expect(queueArnOf(good.queueUrl, 'eu-west-1')).toBe('arn:aws:sqs:eu-west-1:123456789012:lastunit-orders')
  })

  it('refuses a partial or malformed set, naming the channel and the field', () => {
    const partial = refusal({ queueUrl: good.queueUrl })
    expect(partial.kind).toBe('needs_seller')
    expect(partial.message).toBe(
      'Amazon (amazon-de): order queue queueRegion is missing (the queue needs all four settings)',
    )
    expect(refusal({ ...good, queueUrl: 'sqs/queue' }).message).toMatch(/queueUrl "sqs\/queue" is not a URL/)
    expect(refusal({ ...good, queueUrl: 'http://sqs.example.com/123456789012/q' }).message).toMatch(
      /queueUrl uses http:\/\/ to sqs.example.com/,
    )
    expect(refusal({ ...good, queueUrl: 'https://sqs.eu-west-1.amazonaws.com/q' }).message).toMatch(
      /queueUrl .* does not end in \/ACCOUNT\/NAME/,
    )
    expect(refusal({ ...good, queueRegion: 'Ireland' }).message).toMatch(
      /queueRegion "Ireland" is not an AWS region/,
    )
    expect(refusal({ ...good, queueAccessKeyId: 'my key' }).message).toMatch(
      /queueAccessKeyId is not an AWS access key id/,
    )
    // A simulator on this computer may use http://.
    expect(
      queueSettingsOf('x', { ...good, queueUrl: 'http://127.0.0.1:4566/000000000000/q' })?.queueUrl,
    ).toBe('http://127.0.0.1:4566/000000000000/q')
  })
})
