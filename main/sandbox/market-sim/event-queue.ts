// The discrete-event queue: a binary min-heap on (time, insertion order), so events at the same instant
// run in the order they were scheduled and a run is fully deterministic.

export interface SimEvent {
  at: number
  seq: number
  run: () => void
}

export class EventQueue {
  private readonly heap: SimEvent[] = []
  private seq = 0

  get size(): number {
    return this.heap.length
  }

  schedule(at: number, run: () => void): void {
    const e: SimEvent = { at, seq: this.seq++, run }
    const h = this.heap
    h.push(e)
    let i = h.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      const p = h[parent] as SimEvent
      if (!before(e, p)) break
      h[i] = p
      i = parent
    }
    h[i] = e
  }

  peekTime(): number {
    return this.heap[0]?.at ?? Infinity
  }

  pop(): SimEvent | undefined {
    const h = this.heap
    const top = h[0]
    const last = h.pop()
    if (top === undefined || last === undefined || h.length === 0) return top
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      if (l >= h.length) break
      const r = l + 1
      let c = l
      if (r < h.length && before(h[r] as SimEvent, h[l] as SimEvent)) c = r
      const child = h[c] as SimEvent
      if (!before(child, last)) break
      h[i] = child
      i = c
    }
    h[i] = last
    return top
  }
}

const before = (a: SimEvent, b: SimEvent): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq)
