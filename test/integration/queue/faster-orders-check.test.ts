// "Faster orders" checked as the app's Check does, against the simulators over loopback: the queue with the
// seller's key through the AWS SDK, Amazon's subscription created and read back. Each failure says why (wrong
// key, queue missing); the handler stores nothing unless every check passed and the seller asked to save.
import { afterEach, describe, expect, it } from 'vitest'
import { getChannel, upsertChannel } from '../../../main/node/db/repos/channels'
import { credentialNames, readCredentials, storeCredential } from '../../../main/node/db/repos/credentials'
import { checkFasterOrdersWith } from '../../../main/node/runtime/faster-orders-check'
import { startAmazonSimulator, AMAZON_SIM_CREDENTIALS } from '../../../main/sandbox/channels/amazon'
import { startBolSimulator, BOL_SIM_CREDENTIALS } from '../../../main/sandbox/channels/bol'
import { SQS_SIM_CREDENTIALS, startSqsSimulator } from '../../../main/sandbox/queue/sqs-simulator'
import { checkRecorded } from '../../contract/spec-helpers'
import { createTestApp } from '../../helpers/app'
import { channelRow } from '../../helpers/channel-row'

const cleanups: Array<() => void | Promise<void>> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function world() {
  const amazon = await startAmazonSimulator({})
  cleanups.push(() => amazon.stop())
  const sqs = await startSqsSimulator({})
  cleanups.push(() => sqs.stop())
  const url = sqs.createQueue('lastunit-orders')
  amazon.connectQueue(sqs)
  const row = channelRow({
    id: 'amazon-de',
    type: 'amazon',
    name: 'Amazon DE',
    baseUrl: amazon.url,
    settings: {
      sellerId: amazon.sellerId,
      marketplaceIds: [amazon.marketplaceId],
      tokenUrl: `${amazon.url}/auth/o2/token`,
      queueRegion: sqs.region,
    },
  })
  const queue = {
    queueUrl: url,
    queueAccessKeyId: SQS_SIM_CREDENTIALS.accessKeyId,
    queueSecretAccessKey: SQS_SIM_CREDENTIALS.secretAccessKey,
  }
  return { amazon, sqs, url, row, queue, arn: `arn:aws:sqs:${sqs.region}:000000000000:lastunit-orders` }
}

const opts = { timeoutMs: 10_000 }

describe('the Faster orders check', () => {
  it('passes with the right key: the queue answers, the subscription is created and read back', async () => {
    const w = await world()
    const r = await checkFasterOrdersWith(w.row, { ...AMAZON_SIM_CREDENTIALS, ...w.queue }, opts)
    expect(r.steps.map((s) => [s.step, s.state])).toEqual([
      ['values', 'ok'],
      ['queue', 'ok'],
      ['subscription', 'ok'],
      ['event', 'skipped'],
    ])
    expect(r).toMatchObject({ ok: true, queueArn: w.arn })
    expect(r.steps[1]!.message).toContain(`The queue answers with this key: ${w.arn}`)
    expect(r.steps[3]!.message).toMatch(/^Not checked: Amazon sends no test event on request/)
  })

  it('a wrong key, a missing queue and a URL that is not a queue each fail with the reason', async () => {
    const w = await world()
    const base = { ...AMAZON_SIM_CREDENTIALS, ...w.queue }
    const wrong = await checkFasterOrdersWith(
      w.row,
      { ...base, queueAccessKeyId: 'AKIAWRONGWRONGWRONG1' },
      opts,
    )
    expect(wrong.ok).toBe(false)
    expect(wrong.steps[1]).toMatchObject({ step: 'queue', state: 'failed' })
    expect(wrong.steps[1]!.message).toMatch(/the access key id is not valid .*InvalidClientTokenId/)
    expect(wrong.steps.slice(2).map((s) => s.state)).toEqual(['skipped', 'skipped'])
    const missing = await checkFasterOrdersWith(
      w.row,
      { ...base, queueUrl: w.url.replace('lastunit-orders', 'no-such-queue') },
      opts,
    )
    expect(missing.steps[1]!.message).toMatch(/the queue does not exist/)
    const notQueue = await checkFasterOrdersWith(
      w.row,
      { ...base, queueUrl: 'https://example.com/123456789012/q' },
      opts,
    )
    expect(notQueue.steps[0]).toMatchObject({ step: 'values', state: 'failed' })
    expect(notQueue.steps[0]!.message).toMatch(/"example.com" is not an Amazon SQS address/)
  })
})

describe('checkFasterOrders (the handler)', () => {
  it('stores the typed values only when every check passed and the seller asked to save', async () => {
    const w = await world()
    const app = createTestApp({
      checkFasterOrders: (row, credentials) => checkFasterOrdersWith(row, credentials, opts),
      configChanged: () => undefined,
    })
    cleanups.push(() => app.close())
    const { state: _s, ordersWatermark: _o, ...upsert } = w.row
    upsertChannel(app.db, upsert)
    for (const [k, v] of Object.entries(AMAZON_SIM_CREDENTIALS))
      storeCredential(app.db, app.vault, 'channel:amazon-de', k, v)
    const before = credentialNames(app.db, 'channel:amazon-de')
    // Only the queue's settings are taken here, never the marketplace's own credentials or the region.
    await expect(
      app.handlers.checkFasterOrders({
        channelId: 'amazon-de',
        credentials: { queueRegion: 'eu-west-1' },
        save: true,
      }),
    ).rejects.toThrow(
      'Faster orders: "queueRegion" is not a queue setting; expected queueUrl, queueAccessKeyId, queueSecretAccessKey.',
    )

    const failed = await app.handlers.checkFasterOrders({
      channelId: 'amazon-de',
      credentials: { ...w.queue, queueAccessKeyId: 'AKIAWRONGWRONGWRONG1' },
      save: true,
    })
    expect(failed).toMatchObject({ ok: false, saved: false })
    expect(failed.hint).toMatch(/Nothing was saved\.$/)
    expect(credentialNames(app.db, 'channel:amazon-de')).toEqual(before)

    const checked = await app.handlers.checkFasterOrders({
      channelId: 'amazon-de',
      credentials: w.queue,
      save: false,
    })
    expect(checked).toMatchObject({ ok: true, saved: false })
    expect(credentialNames(app.db, 'channel:amazon-de')).toEqual(before)

    const saved = await app.handlers.checkFasterOrders({
      channelId: 'amazon-de',
      credentials: w.queue,
      save: true,
    })
    expect(saved).toMatchObject({ ok: true, saved: true })
    expect(readCredentials(app.db, app.vault, 'channel:amazon-de')).toMatchObject(w.queue)
    // Checked again later on what is stored (nothing retyped).
    const again = await app.handlers.checkFasterOrders({
      channelId: 'amazon-de',
      credentials: {},
      save: false,
    })
    expect(again.ok).toBe(true)
    // The listing of channels says which queue settings are set, never their values.
    const listed = await app.handlers.listChannels({})
    expect(listed[0]!.queueCredentials).toEqual([
      { name: 'queueUrl', set: true },
      { name: 'queueAccessKeyId', set: true },
      { name: 'queueSecretAccessKey', set: true },
    ])
    expect(JSON.stringify(listed)).not.toContain(SQS_SIM_CREDENTIALS.secretAccessKey)
  })

  it('refuses a channel without queue support and a value that is not a queue setting', async () => {
    const app = createTestApp({
      checkFasterOrders: async () => ({ ok: true, steps: [], queueArn: null, hint: null }),
    })
    cleanups.push(() => app.close())
    await expect(
      app.handlers.checkFasterOrders({ channelId: 'nope', credentials: {}, save: false }),
    ).rejects.toThrow('There is no channel "nope".')
    upsertChannel(
      app.db,
      channelRow({
        id: 'shop',
        type: 'shopify',
        name: 'Shop',
        baseUrl: 'https://x.myshopify.com',
        environment: 'production',
        settings: {},
      }),
    )
    await expect(
      app.handlers.checkFasterOrders({ channelId: 'shop', credentials: {}, save: false }),
    ).rejects.toThrow(/Shopify cannot send order events to a queue/)
  })
})

describe('checkFasterOrders on bol.com', () => {
  it('needs the IAM role bol.com writes with, refuses a malformed one, and stores it with the queue', async () => {
    const bol = await startBolSimulator({})
    cleanups.push(() => bol.stop())
    const sqs = await startSqsSimulator({})
    cleanups.push(() => sqs.stop())
    const url = sqs.createQueue('lastunit-orders')
    bol.connectQueue(sqs)
    const app = createTestApp({
      checkFasterOrders: (row, credentials) => checkFasterOrdersWith(row, credentials, opts),
      configChanged: () => undefined,
    })
    cleanups.push(() => app.close())
    upsertChannel(
      app.db,
      channelRow({
        id: 'bol-nl',
        type: 'bol',
        name: 'bol.com NL',
        baseUrl: bol.baseUrl,
        settings: { tokenUrl: bol.tokenUrl, queueRegion: sqs.region },
      }),
    )
    for (const [k, v] of Object.entries(BOL_SIM_CREDENTIALS))
      storeCredential(app.db, app.vault, 'channel:bol-nl', k, v)
    const queue = {
      queueUrl: url,
      queueAccessKeyId: SQS_SIM_CREDENTIALS.accessKeyId,
      queueSecretAccessKey: SQS_SIM_CREDENTIALS.secretAccessKey,
    }
    // Without the role, the queue answers but bol.com's subscription cannot be made: the reason says so.
    const noRole = await app.handlers.checkFasterOrders({
      channelId: 'bol-nl',
      credentials: queue,
      save: true,
    })
    expect(noRole).toMatchObject({ ok: false, saved: false })
    expect(noRole.steps.map((s) => s.state)).toEqual(['ok', 'ok', 'failed', 'skipped'])
    expect(noRole.steps[2]!.message).toMatch(/bol.com needs the IAM role it may use to write to the queue/)
    const bad = await app.handlers.checkFasterOrders({
      channelId: 'bol-nl',
      credentials: queue,
      queueRoleArn: 'bol-orders',
      save: true,
    })
    expect(bad.steps[0]!.message).toMatch(/queueRoleArn: "bol-orders" is not an IAM role ARN/)
    expect(getChannel(app.db, 'bol-nl')!.settings.queueRoleArn).toBeUndefined()
    const role = 'arn:aws:iam::000000000000:role/bol-orders'
    const ok = await app.handlers.checkFasterOrders({
      channelId: 'bol-nl',
      credentials: queue,
      queueRoleArn: role,
      save: true,
    })
    expect(ok.steps.map((s) => s.state)).toEqual(['ok', 'ok', 'ok', 'ok'])
    expect(ok.steps[3]!.message).toMatch(/^bol\.com's test event arrived in \d+\.\d s\.$/)
    expect(ok).toMatchObject({ ok: true, saved: true })
    expect(getChannel(app.db, 'bol-nl')!.settings).toMatchObject({
      queueRoleArn: role,
      queueRegion: sqs.region,
    })
    expect(readCredentials(app.db, app.vault, 'channel:bol-nl')).toMatchObject(queue)
  })
})

describe("the Faster orders check on bol.com: bol's test event", () => {
  async function bolWorld() {
    const bol = await startBolSimulator({})
    cleanups.push(() => bol.stop())
    const sqs = await startSqsSimulator({})
    cleanups.push(() => sqs.stop())
    const url = sqs.createQueue('lastunit-orders')
    bol.connectQueue(sqs)
    const role = 'arn:aws:iam::000000000000:role/bol-orders'
    const row = channelRow({
      id: 'bol-nl',
      type: 'bol',
      name: 'bol.com NL',
      baseUrl: bol.baseUrl,
      settings: { tokenUrl: bol.tokenUrl, queueRegion: sqs.region, queueRoleArn: role },
    })
    const credentials = {
      ...BOL_SIM_CREDENTIALS,
      queueUrl: url,
      queueAccessKeyId: SQS_SIM_CREDENTIALS.accessKeyId,
      queueSecretAccessKey: SQS_SIM_CREDENTIALS.secretAccessKey,
    }
    return { bol, sqs, url, row, role, credentials }
  }

  it("asks bol.com for its test push, receives it with the seller's key, deletes it and leaves other messages", async () => {
    const w = await bolWorld()
    // A message already waiting (another event) must stay for the engine's reader.
    w.sqs.send(w.url, '{"other":"event"}')
    w.sqs.allowSenders('lastunit-orders', [w.role])
    const r = await checkFasterOrdersWith(w.row, w.credentials, opts, { testEventTimeoutMs: 10_000 })
    expect(r.steps.map((s) => [s.step, s.state])).toEqual([
      ['values', 'ok'],
      ['queue', 'ok'],
      ['subscription', 'ok'],
      ['event', 'ok'],
    ])
    expect(r.ok).toBe(true)
    expect(r.steps[3]!.message).toMatch(/^bol\.com's test event arrived in \d+\.\d s\.$/)
    const tests = w.bol.received.filter(
      (q) => q.method === 'POST' && q.path.startsWith('/retailer/subscriptions/test/'),
    )
    expect(tests.map((q) => q.path)).toEqual(['/retailer/subscriptions/test/1'])
    // Every call to bol (the test push too) and its answer as Retailer API v10 specifies them.
    const report = checkRecorded(w.bol.received.filter((q) => q.path.startsWith('/retailer/subscriptions')))
    expect(report.operations.get('post-test-push-notification')).toBe(1)
    expect(report.problems).toEqual([])
    expect(report.responseProblems).toEqual([])
    // The test message is gone; the other one is still there, visible again.
    expect(w.sqs.depth('lastunit-orders')).toBe(1)
  })

  it("fails with the reason when the queue policy does not let bol.com's role send", async () => {
    const w = await bolWorld()
    w.sqs.allowSenders('lastunit-orders', ['arn:aws:iam::000000000000:role/someone-else'])
    const r = await checkFasterOrdersWith(w.row, w.credentials, opts, { testEventTimeoutMs: 2_000 })
    expect(r.ok).toBe(false)
    expect(r.steps.map((s) => s.state)).toEqual(['ok', 'ok', 'ok', 'failed'])
    expect(r.steps[3]!.message).toBe(
      "No test event within 2 s: check the queue policy lets bol.com's role send to the queue (docs/faster-orders.md).",
    )
    expect(r.hint).toMatch(/the queue policy must allow its role to SendMessage/)
  })

  it("waits on the engine's reader when it reads this queue, and says when the test event came", async () => {
    const w = await bolWorld()
    let t = 1_000_000
    let seen: number | null = null
    const r = await checkFasterOrdersWith(w.row, w.credentials, opts, {
      now: () => t,
      sleep: async (ms) => {
        t += ms
        // The reader consumes the test event 2.2 s after it was asked for.
        if (t >= 1_002_200 && seen === null) seen = t
      },
      engineQueue: (url) => (url === w.url ? { state: 'up', lastTestEventAt: seen } : null),
    })
    expect(r.steps[3]).toEqual({
      step: 'event',
      state: 'ok',
      message: "bol.com's test event arrived in 2.2 s.",
    })
    // The check did not read the queue itself: the test message is still there for the reader.
    expect(w.sqs.depth('lastunit-orders')).toBe(1)
  })

  it('the simulator answers 404 for an unknown subscription id, 202 and a message in the queue for a known one', async () => {
    const w = await bolWorld()
    const token = await fetch(`${w.bol.tokenUrl}?grant_type=client_credentials`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${BOL_SIM_CREDENTIALS.clientId}:${BOL_SIM_CREDENTIALS.clientSecret}`).toString('base64')}`,
      },
    }).then((x) => x.json() as Promise<{ access_token: string }>)
    const headers = {
      authorization: `Bearer ${token.access_token}`,
      accept: 'application/vnd.retailer.v10+json',
      'content-type': 'application/vnd.retailer.v10+json',
    }
    const res = await fetch(`${w.bol.baseUrl}/subscriptions/test/999`, { method: 'POST', headers })
    expect(res.status).toBe(404)
    expect(JSON.stringify(await res.json())).toContain('Subscription 999 was not found.')
    const made = await fetch(`${w.bol.baseUrl}/subscriptions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        resources: ['ORDER'],
        url: w.url,
        subscriptionType: 'AWS_SQS',
        identity: w.role,
      }),
    })
    expect(made.status).toBe(202)
    const sent = await fetch(`${w.bol.baseUrl}/subscriptions/test/1`, { method: 'POST', headers })
    expect(sent.status).toBe(202)
    expect(await sent.json()).toMatchObject({ entityId: '1', status: 'SUCCESS' })
    expect(w.sqs.depth('lastunit-orders')).toBe(1)
  })
})
