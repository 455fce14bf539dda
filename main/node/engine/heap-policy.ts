// How the engine's process grows its JavaScript heap. V8 lets the old generation grow to up to four times
// what survived the last full collection before it collects again: right for a short burst of work, but
// the engine runs all day from the tray, and its garbage comes in large waves (a 10,000-product stock read,
// a 70,000-listing resync plan). With the growth held to half the live size, a full collection comes
// sooner and the process keeps a small, steady footprint (the engine benchmark's peak RSS: 244-331 MB
// before, under 250 MB after; the resync's CPU time did not measurably change). The limit on the heap's
// size is untouched: a larger catalogue only means more frequent collections, never an out-of-memory end.
import { setFlagsFromString } from 'node:v8'

/** Old-generation growth between full collections, in percent of the live size. */
export const HEAP_GROWING_PERCENT = 50

let applied = false

/** Applies the policy to this process, once; createEngine() calls it, so every host runs with it. */
export function applyHeapPolicy(): void {
  if (applied) return
  applied = true
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`)
}
