// Retailer API v10 subscriptions (../shared/specs/bol/retailer-v10.json: POST and GET /retailer/subscriptions,
// GET /retailer/subscriptions/{id}; SubscriptionRequest, SubscriptionResponse, SubscriptionsResponse), and the
// ORDER event the simulator sends for each order placed to the queue of an AWS_SQS subscription.
// - A request is validated against the spec, and for AWS_SQS `identity` must be an IAM role ARN (the spec:
//   "Must be provided if subscriptionType = AWS_SQS and must be in format of AWS ARN"). POST answers 202 with a
//   ProcessStatus; the subscription then shows in the list (here at once).
// - `url` of an AWS_SQS subscription is taken as the queue URL (the spec documents `url` for WEBHOOK and
//   GCP_PUBSUB only: an assumption, said in docs/faster-orders.md).
// - bol.com publishes no schema for an ORDER event. The body follows bol's documented push message (Retailer
//   API "Subscriptions" page, PROCESS_STATUS and SHIPMENT examples): {retailerId, timestamp, event: {resource,
//   type, resourceId}}, with resource ORDER and the order id as resourceId; the event `type` value for a new
//   order is an assumption (NEW_ORDER), and the reader does not rely on it.
// - POST /retailer/subscriptions/test/{subscription-id} ("Send test push notification for subscriptions"):
//   202 with a ProcessStatus (the spec); an unknown id answers 404 (the spec lists 400 for a bad request only;
//   bol.com's answer to an id it does not know is assumed). The test message is published to the
//   subscription's queue. bol.com publishes no schema for its body: assumed to be the push envelope above with
//   event {resource: the subscription's first resource, type: "TEST", resourceId: the subscription id}.
// - Events are sent as the subscription's `identity` (the role bol.com assumes), so a queue policy that does not
//   allow that role drops them, as SQS would.
import { randomUUID } from 'node:crypto'
import type { SimResponse, SimRoute } from '../../http/sim-server'
import type { BolContext } from './context'
import { api } from './gateway'
import { check, problem, validation } from './views'

const ROLE_ARN = /^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/

export interface BolSimSubscription {
  id: string
  resources: string[]
  url: string
  subscriptionType: 'WEBHOOK' | 'GCP_PUBSUB' | 'AWS_SQS'
  enabled: boolean
  identity: string | null
}

export const BOL_SIM_RETAILER_ID = 1234567

/** Sends an order's ORDER event to every enabled AWS_SQS subscription of ORDER. */
export function notifyOrder(ctx: BolContext, orderId: string, type: string): void {
  for (const s of ctx.subscriptions.values()) {
    if (!s.enabled || s.subscriptionType !== 'AWS_SQS' || !s.resources.includes('ORDER')) continue
    ctx.publisher.publish(
      s.url,
      JSON.stringify({
        retailerId: BOL_SIM_RETAILER_ID,
        timestamp: new Date(ctx.time.now()).toISOString(),
        event: { resource: 'ORDER', type, resourceId: orderId },
      }),
      s.identity ?? undefined,
    )
  }
}

/** bol.com's 202 answer: the process status of a subscription action, done at once in the simulator. */
function processStatus(ctx: BolContext, id: string, eventType: string, description: string): SimResponse {
  return {
    status: 202,
    body: {
      processStatusId: String(1_000_000 + ++ctx.state.seq),
      entityId: id,
      eventType,
      description,
      status: 'SUCCESS',
      createTimestamp: new Date(ctx.time.now()).toISOString(),
      links: [{ rel: 'self', href: `/shared/process-status/${randomUUID()}`, method: 'GET' }],
    },
  }
}

export function subscriptionRoutes(ctx: BolContext): SimRoute[] {
  return [
    api(ctx, 'GET', '/retailer/subscriptions', 'subscriptions', 'v10', () => ({
      status: 200,
      body: { subscriptions: [...ctx.subscriptions.values()] },
    })),
    api(ctx, 'GET', '/retailer/subscriptions/:id', 'subscriptions', 'v10', (req) => {
      const s = ctx.subscriptions.get(req.params.id ?? '')
      return s
        ? { status: 200, body: s }
        : problem(404, 'Not Found', `Subscription ${req.params.id ?? ''} was not found.`, 'v10')
    }),
    api(ctx, 'POST', '/retailer/subscriptions/test/:id', 'subscriptions', 'v10', (req) => {
      const id = req.params.id ?? ''
      const s = ctx.subscriptions.get(id)
      if (!s) return problem(404, 'Not Found', `Subscription ${id} was not found.`, 'v10')
      if (s.subscriptionType === 'AWS_SQS' && s.enabled)
        ctx.publisher.publish(
          s.url,
          JSON.stringify({
            retailerId: BOL_SIM_RETAILER_ID,
            timestamp: new Date(ctx.time.now()).toISOString(),
            event: { resource: s.resources[0] ?? 'ORDER', type: 'TEST', resourceId: id },
          }),
          s.identity ?? undefined,
        )
      return processStatus(
        ctx,
        id,
        'SEND_TEST_NOTIFICATION',
        `Send test push notification for subscription ${id}.`,
      )
    }),
    api(ctx, 'POST', '/retailer/subscriptions', 'subscriptions', 'v10', (req) => {
      if (req.jsonError) return validation([`body: not valid JSON (${req.jsonError})`], 'v10')
      const problems = check('bol/retailer-v10.json', undefined, req)
      const b = req.json as Partial<BolSimSubscription> | undefined
      if (b?.subscriptionType === 'AWS_SQS' && (typeof b.identity !== 'string' || !ROLE_ARN.test(b.identity)))
        problems.push(
          'identity: must be provided for AWS_SQS, as an IAM role ARN (arn:aws:iam::<account>:role/<name>)',
        )
      if (problems.length > 0) return validation(problems, 'v10')
      const id = String(ctx.subscriptions.size + 1)
      ctx.subscriptions.set(id, {
        id,
        resources: b!.resources!,
        url: b!.url!,
        subscriptionType: b!.subscriptionType!,
        enabled: b!.enabled ?? true,
        identity: b!.identity ?? null,
      })
      return processStatus(ctx, id, 'CREATE_SUBSCRIPTION', `Create subscription ${id}.`)
    }),
  ]
}
