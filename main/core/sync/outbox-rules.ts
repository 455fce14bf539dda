// The outbox's ordering rule, in memory: a desired state replaces another only when its stamp is newer,
// so an older value is never sent, nor recorded as current, after a newer one. Only the market simulation
// (main/sandbox/market-sim/simulate.ts) calls these functions. The engine states the same rule itself: the
// outbox and push_state in SQL (main/node/db/repos/outbox.ts and push-state.ts change a row only for a
// newer stamp), and the planner (main/node/engine/planner.ts) skips a value equal to the one last queued,
// counting a resume like a set of the same figure (sameAsSent below does not). A change to the rule is
// made in each of those places.
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
