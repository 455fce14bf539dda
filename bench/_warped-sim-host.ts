// The simulator host (main/sandbox/stand-ins/sim-host.ts) on the engine's warped clock: same factor, same
// origin (LASTUNIT_WARP=factor:origin), so the orders' timestamps and both sides' rate limits agree with the
// engine's time. The warp is installed before the host is imported.
import { installTimeWarp } from './_time-warp'

const [factor, origin] = (process.env.LASTUNIT_WARP ?? '').split(':').map(Number)
if (!factor || !origin)
  throw new Error(`LASTUNIT_WARP must be "factor:origin", got "${process.env.LASTUNIT_WARP}"`)
installTimeWarp(factor, origin)
await import('../main/sandbox/stand-ins/sim-host')
