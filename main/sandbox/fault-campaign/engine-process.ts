// One run of the headless engine (`lastunit run`) as the fault campaign starts and kills it, and what a kill
// counts as. A kill counts (`live_synced`) only when the SIGKILL ended an engine that was running AND had
// synced, judged from the engine's own output before the signal was sent:
// - it had opened the database and started: its line "LastUnit is syncing" or "LastUnit is running ...
//   and polls Odoo" (printed once the database is open, Odoo answered and the engine runs; the second is
//   what it says when its channels had not reported yet), and
// - it had completed a push cycle: after that line, a push log line saying a channel accepted or confirmed
//   a write ("info  push     <channel>: ... accepted|confirmed ...", a single write or a batch).
// Everything else is reported apart: killed after syncing started but before a push completed, killed
// before it said it syncs, or an engine that had already exited on its own (its exit was not the SIGKILL).
import { spawn, type ChildProcess } from 'node:child_process'

export type KillOutcome =
  /** Running and had synced: counted in `kills`. */
  | 'live_synced'
  /** Running, syncing had started, no push had completed yet. */
  | 'live_not_synced'
  /** Running, but had not said it syncs (opening the database, reaching Odoo, starting). */
  | 'live_starting'
  /** Had exited on its own before the SIGKILL could end it. */
  | 'already_exited'

export const KILL_OUTCOMES: readonly KillOutcome[] = [
  'live_synced',
  'live_not_synced',
  'live_starting',
  'already_exited',
]

/** The engine's line once the database is open, Odoo answered and the engine runs. */
export const SYNCING_LINE = /LastUnit is syncing|LastUnit is running \(data: .*\) and polls Odoo/
/** A push log line of a completed write (a channel accepted or confirmed it). */
export const PUSH_DONE_LINE = /\binfo {2}push {5}\S+: .*\b(accepted|confirmed)\b/

export interface EngineExit {
  code: number | null
  signal: NodeJS.Signals | null
}

export class EngineProcess {
  readonly child: ChildProcess
  /** Resolves true once the engine says it syncs, false if it exits first. */
  readonly syncing: Promise<boolean>
  /** Resolves true once a push completed after syncing started, false if it exits first. */
  readonly synced: Promise<boolean>
  readonly exited: Promise<EngineExit>
  private sawSyncing = false
  private sawPush = false
  private exit: EngineExit | null = null

  /** `argv`: the command and its arguments (node and the CLI bundle, or a stand-in in tests). */
  constructor(argv: readonly string[], env: NodeJS.ProcessEnv, log: NodeJS.WritableStream, label: string) {
    const [cmd, ...args] = argv
    if (!cmd) throw new RangeError('EngineProcess: no command to run')
    this.child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    log.write(`\n===== ${label} (pid ${this.child.pid}) =====\n`)
    this.child.stdout!.pipe(log, { end: false })
    this.child.stderr!.pipe(log, { end: false })
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal }
        resolve(this.exit)
      }),
    )
    let resolveSyncing: (v: boolean) => void = () => undefined
    let resolveSynced: (v: boolean) => void = () => undefined
    this.syncing = new Promise((r) => (resolveSyncing = r))
    this.synced = new Promise((r) => (resolveSynced = r))
    let buf = ''
    this.child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString('utf8')
      const lines = buf.split('\n')
      buf = lines.pop() ?? ''
      for (const line of lines) {
        if (!this.sawSyncing && SYNCING_LINE.test(line)) {
          this.sawSyncing = true
          resolveSyncing(true)
        } else if (this.sawSyncing && !this.sawPush && PUSH_DONE_LINE.test(line)) {
          this.sawPush = true
          resolveSynced(true)
        }
      }
    })
    // 'close' comes after the last of its output was read: a line printed just before exiting still counts.
    this.child.once('close', () => {
      resolveSyncing(false)
      resolveSynced(false)
    })
  }

  /** What the engine had shown when asked: running (no exit seen), syncing, a completed push. */
  state(): { running: boolean; syncing: boolean; synced: boolean } {
    return {
      running: this.exit === null && this.child.exitCode === null && this.child.signalCode === null,
      syncing: this.sawSyncing,
      synced: this.sawPush,
    }
  }

  /**
   * Sends SIGKILL and waits for the exit. The outcome is judged on what the engine had shown when the
   * signal was sent, and on how it exited: an engine whose exit was not that SIGKILL had already ended.
   */
  async kill(): Promise<KillOutcome> {
    const before = this.state()
    if (!before.running) {
      await this.exited
      return 'already_exited'
    }
    this.child.kill('SIGKILL')
    const exit = await this.exited
    if (exit.signal !== 'SIGKILL') return 'already_exited'
    return before.synced ? 'live_synced' : before.syncing ? 'live_not_synced' : 'live_starting'
  }
}
