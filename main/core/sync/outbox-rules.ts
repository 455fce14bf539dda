// The one ordering rule of the outbox: a desired state replaces another only when its stamp is newer.
// Applied both when enqueuing and when an in-flight send completes, so an older value is never sent,
// and never recorded as current, after a newer one.
export interface StampedState {
  quantity: number
  action: 'set' | 'pause' | 'resume'
  stamp: number
}

export const supersedes = (incoming: StampedState, existing: StampedState | null): boolean =>
  existing === null || incoming.stamp > existing.stamp

/** True when sending `desired` would change nothing the channel was last told (same value and action). */
export const sameAsSent = (desired: StampedState, sent: StampedState | null): boolean =>
  sent !== null && sent.quantity === desired.quantity && sent.action === desired.action
