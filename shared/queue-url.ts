// The seller's SQS queue URL read into its parts: region, account, name and ARN. The region is not a secret and
// not a separate setting: SQS names it in the queue's own address (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME,
// "Amazon SQS queue and message identifiers" in the SQS Developer Guide). Only a queue simulator on this computer
// (http://127.0.0.1:PORT/ACCOUNT/NAME) has no region in its address: it takes the channel's non-secret setting
// `queueRegion`, refused for any other address. The renderer uses this to fill the seller's ARN into the policies
// it shows; the engine uses it to sign for the right region.
import { parseWebAddress } from './channel-fields'
import { isLocalHost, insecureAddressProblem } from './credential-address'

export interface QueueAddress {
  url: string
  region: string
  account: string
  name: string
  /** arn:aws:sqs:REGION:ACCOUNT:NAME */
  arn: string
  /** A simulator on this computer, not AWS. */
  local: boolean
}

export type QueueUrlResult =
  | { ok: true; queue: QueueAddress }
  /** field: what to fix, the URL or the simulator's region setting. */
  | { ok: false; problem: string; field: 'queueUrl' | 'queueRegion' }

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/
/** sqs.REGION.amazonaws.com (.com.cn in China), and the legacy REGION.queue.amazonaws.com. */
const AWS_HOSTS = [
  /^sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/,
  /^([a-z0-9-]+)\.queue\.amazonaws\.com(?:\.cn)?$/,
]

export const QUEUE_URL_EXAMPLE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/lastunit-orders'

/**
 * Reads a queue URL. `localRegion`: the region a simulator on this computer signs for (the channel setting
 * `queueRegion`); refused with an AWS address, whose region is its own.
 */
export function parseQueueUrl(raw: string, localRegion?: string): QueueUrlResult {
  const fail = (problem: string, field: 'queueUrl' | 'queueRegion' = 'queueUrl'): QueueUrlResult => ({
    ok: false,
    problem,
    field,
  })
  const url = raw.trim()
  if (!url) return fail(`enter the queue's URL, like ${QUEUE_URL_EXAMPLE}`)
  const u = parseWebAddress(url)
  if (!u) return fail(`"${url}" is not a URL (an SQS queue URL reads like ${QUEUE_URL_EXAMPLE})`)
  const insecure = insecureAddressProblem(url)
  if (insecure) return fail(insecure)
  const parts = u.pathname
    .replace(/[?#].*$/, '')
    .split('/')
    .filter(Boolean)
  if (parts.length === 2 && parts[1]!.endsWith('.fifo'))
    return fail('names a FIFO queue: the marketplaces deliver to a standard queue (create one without .fifo)')
  if (parts.length !== 2 || !/^\d{12}$/.test(parts[0]!) || !/^[A-Za-z0-9_-]{1,80}$/.test(parts[1]!))
    return fail(
      `"${url}" does not end in /ACCOUNT/NAME (a 12-digit AWS account id, then the queue name): copy the URL from the queue's page in the SQS console`,
    )
  const host = u.hostname.toLowerCase()
  const local = isLocalHost(host)
  let region: string
  if (local) {
    const r = localRegion?.trim() ?? ''
    if (!REGION.test(r))
      return fail(
        r
          ? `the queue simulator's region (setting queueRegion) "${r}" is not an AWS region like eu-west-1`
          : `names a queue simulator on this computer, which needs its region in the channel setting queueRegion (like eu-west-1)`,
        r ? 'queueRegion' : 'queueUrl',
      )
    region = r
  } else {
    const m = AWS_HOSTS.map((re) => re.exec(host)).find(Boolean)
    if (!m || !REGION.test(m[1]!))
      return fail(
        `"${u.host}" is not an Amazon SQS address: a queue URL reads like ${QUEUE_URL_EXAMPLE} (sqs.REGION.amazonaws.com)`,
      )
    region = m[1]!
    if (localRegion?.trim() && localRegion.trim() !== region)
      return fail(
        `names region ${region}, but the channel setting queueRegion says "${localRegion.trim()}": that setting is only for a queue simulator on this computer; remove it`,
        'queueRegion',
      )
  }
  const [account, name] = parts as [string, string]
  return {
    ok: true,
    queue: { url, region, account, name, arn: `arn:aws:sqs:${region}:${account}:${name}`, local },
  }
}
