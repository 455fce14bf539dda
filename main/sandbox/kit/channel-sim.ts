// What every channel simulator is underneath: a real HTTP server on 127.0.0.1 (routing, the request log,
// fault injection) whose faults the fault campaign switches, started from the simulator's common options.
import {
  startSimServer,
  type FaultConfig,
  type SimHandler,
  type SimRoute,
  type SimServer,
} from '../http/sim-server'

/** Options every channel simulator takes. */
export interface ChannelServerOptions {
  port?: number
  faults?: FaultConfig
  /** Deterministic fault decisions for tests. */
  random?: () => number
}

export function startChannelServer(
  name: string,
  routes: SimRoute[],
  notFound: SimHandler,
  opts: ChannelServerOptions,
): Promise<SimServer> {
  return startSimServer({
    name,
    routes,
    ...(opts.port === undefined ? {} : { port: opts.port }),
    ...(opts.faults ? { faults: opts.faults } : {}),
    ...(opts.random ? { random: opts.random } : {}),
    notFound,
  })
}

/** What every channel simulator's handle has: its server, the faults it injects now, and stop. */
export interface ChannelSimBase {
  /** The HTTP server underneath (fault counters, own 429s). */
  readonly server: SimServer
  faults: FaultConfig
  stop(): Promise<void>
}

/** `sim` with the server's part added: `server`, `faults` (read and switched on the server) and `stop`. */
export function withServer<S extends ChannelSimBase>(
  server: SimServer,
  sim: Omit<S, keyof ChannelSimBase>,
): S {
  return Object.defineProperties(sim, {
    server: { value: server, enumerable: true },
    faults: {
      get: () => server.faults,
      set: (f: FaultConfig) => {
        server.faults = f
      },
      enumerable: true,
    },
    stop: { value: () => server.stop(), enumerable: true },
  }) as S
}
