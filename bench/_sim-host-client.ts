// The engine benchmark's side of the simulator host (main/sandbox/stand-ins/sim-host.ts): requests over the
// process IPC channel, each answered by id. Shared by both of the benchmark's processes.
import type { ChildProcess } from 'node:child_process'
import type { SimHostMessage, SimHostReady, SimHostRequest } from '../main/sandbox/stand-ins/sim-host'

/** The request types without their id (Omit does not distribute over a union). */
export type RequestWithoutId = SimHostRequest extends infer R
  ? R extends { id: number }
    ? Omit<R, 'id'>
    : never
  : never

export class SimHost {
  private seq = 0
  private readonly waiters = new Map<number, (m: SimHostMessage) => void>()
  readonly ready: Promise<SimHostReady>

  constructor(private readonly child: ChildProcess) {
    this.ready = new Promise((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`simulator host exited (${code})`)))
      child.on('message', (raw) => {
        const m = raw as SimHostMessage
        if (m.type === 'ready') return resolve(m)
        const w = this.waiters.get(m.id)
        if (w) {
          this.waiters.delete(m.id)
          w(m)
        }
      })
    })
  }

  request(r: RequestWithoutId, timeoutMs = 60_000): Promise<SimHostMessage> {
    const id = ++this.seq
    return new Promise((resolve, reject) => {
      const t = setTimeout(
        () => reject(new Error(`simulator host: no answer to ${r.cmd} within ${timeoutMs} ms`)),
        timeoutMs,
      )
      this.waiters.set(id, (m) => {
        clearTimeout(t)
        resolve(m)
      })
      this.child.send({ ...r, id })
    })
  }
}

/** The p-quantile of `xs` (nearest rank below); NaN when empty. */
export const pct = (xs: number[], p: number): number => {
  if (xs.length === 0) return NaN
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!
}
