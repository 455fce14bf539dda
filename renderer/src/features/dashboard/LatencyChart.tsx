import { strings } from '../../strings'
import type { LatencyPoint } from '../../stores/app-store'

const W = 560
const H = 140
const PAD = 28
const BUCKETS = 30
const MAX_SPAN_MS = 3 * 3600_000

interface Bucket {
  pushes: number
  medianMs: number | null
}

const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] ?? null
}

/** Pushes per time slice (bars) and their median latency (line), over the last hours at most. */
export function LatencyChart({ points, now }: { points: LatencyPoint[]; now: number }) {
  const first = points[0]?.at ?? now
  const span = Math.max(60_000, Math.min(MAX_SPAN_MS, now - first))
  const start = now - span
  const slice = span / BUCKETS
  const groups: number[][] = Array.from({ length: BUCKETS }, () => [])
  for (const p of points) {
    if (p.at < start) continue
    const i = Math.min(BUCKETS - 1, Math.floor((p.at - start) / slice))
    groups[i]?.push(p.ms)
  }
  const buckets: Bucket[] = groups.map((g) => ({ pushes: g.length, medianMs: median(g) }))
  const maxPushes = Math.max(1, ...buckets.map((b) => b.pushes))
  const maxMs = Math.max(1000, ...buckets.map((b) => b.medianMs ?? 0))
  const bw = (W - 2 * PAD) / BUCKETS
  const x = (i: number) => PAD + i * bw
  const yMs = (ms: number) => H - PAD - (ms / maxMs) * (H - 2 * PAD)
  const line = buckets
    .map((b, i) => (b.medianMs === null ? null : `${x(i) + bw / 2},${yMs(b.medianMs)}`))
    .filter((p): p is string => p !== null)
    .join(' ')
  const total = buckets.reduce((n, b) => n + b.pushes, 0)
  const latest = [...buckets].reverse().find((b) => b.medianMs !== null)?.medianMs ?? null
  const summary =
    total === 0
      ? strings.dashboard.chartEmpty
      : `${strings.dashboard.chartPushes(total)}; ${strings.dashboard.latency.toLowerCase()} ${
          latest === null ? '–' : strings.common.seconds(latest)
        }`
  return (
    <figure className="chart" aria-labelledby="chart-title">
      <figcaption id="chart-title">
        <strong>{strings.dashboard.chartTitle}</strong>
        <span className="muted" data-testid="chart-summary">
          {summary}
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} className="chart-svg">
        <line x1={PAD} y1={H - PAD} x2={W - PAD} y2={H - PAD} className="axis" />
        {buckets.map((b, i) =>
          b.pushes === 0 ? null : (
            <rect
              key={i}
              x={x(i) + 1}
              width={Math.max(1, bw - 2)}
              y={H - PAD - (b.pushes / maxPushes) * (H - 2 * PAD) * 0.6}
              height={(b.pushes / maxPushes) * (H - 2 * PAD) * 0.6}
              className="bar"
            />
          ),
        )}
        {line ? <polyline points={line} className="line" /> : null}
        <text x={PAD} y={14} className="tick">
          {strings.common.seconds(maxMs)}
        </text>
        <text x={PAD} y={H - 8} className="tick">
          {new Date(start).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
        </text>
        <text x={W - PAD} y={H - 8} className="tick" textAnchor="end">
          {new Date(now).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
        </text>
      </svg>
    </figure>
  )
}
