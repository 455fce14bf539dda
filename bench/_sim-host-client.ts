// The engine benchmark's side of the simulators (main/sandbox/stand-ins/sim-host.ts for the channels,
// bench/_odoo-sim-process.ts for Odoo): requests over the process IPC channel, each answered by id. Shared by
// both of the benchmark's processes.
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createOdooGateway } from '../main/node/odoo/create-odoo-gateway'
import type { OdooGateway } from '../main/core/ports/odoo-gateway'
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

/** The p-quantile of `xs`: the value at index floor(p·n) of the sorted values, one rank above the nearest rank when p·n is whole (p99 of 100 values is the largest), so never below it; NaN when empty. */
export const pct = (xs: number[], p: number): number => {
  if (xs.length === 0) return NaN
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!
}

interface OdooReady {
  ready: true
  url: string
  database: string
  login: string
  apiKey: string
  productIds: number[]
}

/**
 * The engine benchmark's simulators in two processes: the Odoo simulator (bench/_odoo-sim-process.ts) and the
 * channel simulators (main/sandbox/stand-ins/sim-host.ts --odoo-elsewhere). In the seller's world Odoo and
 * the marketplaces are different servers: while Odoo computes a large answer (the late-commit sweep's grouped
 * read of every quant), the marketplaces still answer order polls and pushes. `warp` puts both on the
 * engine's warped clock (same factor and origin).
 */
export class Simulators {
  readonly ready: Promise<SimHostReady & { odoo: NonNullable<SimHostReady['odoo']> }>
  private readonly channels: SimHost
  private readonly odooChild: ChildProcess
  private readonly channelChild: ChildProcess
  private odooSeq = 0
  private readonly odooWaiters = new Map<number, () => void>()

  constructor(skus: number, warp?: { factor: number; origin: number }) {
    const env = { ...process.env, ...(warp ? { LASTUNIT_WARP: `${warp.factor}:${warp.origin}` } : {}) }
    const opts = {
      execArgv: ['--import', 'tsx'],
      env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'] as ['ignore', 'inherit', 'inherit', 'ipc'],
    }
    this.odooChild = fork(
      fileURLToPath(new URL('./_odoo-sim-process.ts', import.meta.url)),
      ['18', String(skus), '{"historyDays":0}'],
      opts,
    )
    this.channelChild = fork(
      fileURLToPath(
        new URL(warp ? './_warped-sim-host.ts' : '../main/sandbox/stand-ins/sim-host.ts', import.meta.url),
      ),
      [String(skus), '--odoo-elsewhere'],
      opts,
    )
    this.channels = new SimHost(this.channelChild)
    const odooReady = new Promise<OdooReady>((resolve, reject) => {
      this.odooChild.once('exit', (code) => reject(new Error(`Odoo simulator exited (${code})`)))
      this.odooChild.on('message', (raw) => {
        const m = raw as { ready?: true; id?: number }
        if (m.ready) return resolve(raw as OdooReady)
        if (m.id !== undefined) {
          this.odooWaiters.get(m.id)?.()
          this.odooWaiters.delete(m.id)
        }
      })
    })
    this.ready = odooReady.then(async (o) => {
      this.channelChild.send({ cmd: 'init', id: 0, productIds: o.productIds })
      const c = await this.channels.ready
      return {
        ...c,
        odoo: { url: o.url, database: o.database, login: o.login, apiKey: o.apiKey },
        productIds: o.productIds,
      }
    })
  }

  /** A stock change in Odoo is expected on every channel first, then made in Odoo. */
  async request(r: RequestWithoutId, timeoutMs = 60_000): Promise<SimHostMessage> {
    if (r.cmd === 'stop') {
      this.odooChild.send({ cmd: 'stop' })
      return this.channels.request(r, timeoutMs)
    }
    if (r.cmd !== 'change') return this.channels.request(r, timeoutMs)
    const done = this.channels.request({ cmd: 'expect', productId: r.productId }, timeoutMs)
    const id = ++this.odooSeq
    // The channel host registers the expectation before Odoo changes: the latency counts from there.
    await new Promise<void>((resolve) => {
      this.odooWaiters.set(id, resolve)
      this.odooChild.send({ cmd: 'receive', id, productId: r.productId })
    })
    return done
  }

  kill(): void {
    this.odooChild.kill()
    this.channelChild.kill()
  }
}

/** The shipped Odoo gateway on the Odoo simulator the bench started (plain http on this machine). */
export const odooGatewayOf = (ready: { odoo: NonNullable<SimHostReady['odoo']> }): Promise<OdooGateway> =>
  createOdooGateway({
    url: ready.odoo.url,
    database: ready.odoo.database,
    login: ready.odoo.login,
    secret: ready.odoo.apiKey,
    allowInsecureHttp: true,
  })
