// The engine benchmark's second process (npm run bench -- engine, bench/engine.ts), bundled like the first:
// orders on every channel with the shipped order intervals (Amazon 225 s), on a clock WARP times faster
// (bench/_time-warp.ts). The warp is installed here, before anything else runs; the engine and the
// measurement are imported after it (a dynamic import, which the bundle evaluates only then), so every
// timer and Date they use is warped. The simulator host gets the same factor and origin.
import { installTimeWarp } from './_time-warp'

const factor = Number(process.env.BENCH_ENGINE_WARP ?? 5)
if (!(Number.isFinite(factor) && factor >= 1 && factor <= 50))
  throw new RangeError(
    `BENCH_ENGINE_WARP must be a number from 1 to 50, got "${process.env.BENCH_ENGINE_WARP}"`,
  )
const warp = installTimeWarp(factor)
const { measureOrders } = await import('./_engine-orders')
await measureOrders(warp).then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e))
    process.exit(1)
  },
)
