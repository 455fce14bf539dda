// How a simulated marketplace hands its order events to the seller's queue: as Amazon's and bol.com's senders
// do, SendMessage to the queue the subscription names. A seeded share of events is lost on the way (the
// marketplace failed to send): order polling must catch those, which is what the tests and the bench measure.
// Every body sent is kept (`sent`), so a test can validate each against the marketplace's schema.
import type { SqsSimulator } from './sqs-simulator'

export interface EventPublisherOptions {
  /** Share of events never sent (default 0). */
  lossRate?: number
  /** Seeded randomness for losses. */
  random?: () => number
}

export class EventPublisher {
  /** Every body handed to the queue, in order. */
  readonly sent: string[] = []
  lost = 0
  /** Share of events never sent; may be changed while running (a test loses every event for a while). */
  lossRate: number
  private sqs: SqsSimulator | null = null
  private readonly random: () => number

  constructor(private readonly o: EventPublisherOptions = {}) {
    this.random = o.random ?? Math.random
    this.lossRate = o.lossRate ?? 0
  }

  /** The queue simulator the marketplace sends to (null: nowhere, as without a subscription). */
  connect(sqs: SqsSimulator | null): void {
    this.sqs = sqs
  }

  /** The queue URL of an SQS ARN on the connected simulator, or null when there is none such. */
  urlOf(arn: string): string | null {
    const m = /^arn:aws:sqs:([^:]+):(\d{12}):(.+)$/.exec(arn)
    return m && this.sqs ? `${this.sqs.url}/${m[2]}/${m[3]}` : null
  }

  /**
   * Sends one event to a queue (by URL) as `sender` (the role the marketplace assumes, checked against the
   * queue policy); false when it was lost or no queue takes it.
   */
  publish(queueUrl: string, body: string, sender?: string): boolean {
    if (!this.sqs) return false
    this.sent.push(body)
    if (this.lossRate > 0 && this.random() < this.lossRate) {
      this.lost++
      return false
    }
    return this.sqs.send(queueUrl, body, sender) !== null
  }
}
