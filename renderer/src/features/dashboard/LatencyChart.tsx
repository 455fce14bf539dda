import { strings } from '../../strings'
import type { LatencyPoint } from '../../stores/app-store'

const t = strings.dashboard
const W = 640
const H = 190
const LEFT = 52
const RIGHT = 56
const TOP = 14
const BOTTOM = 40
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

const hhmm = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })

/**
 * Updates sent per time slice (bars, right axis: a count) and the median time they took to reach the
 * channel (line, left axis: seconds), over the last hours at most. A legend and both units are shown.
 */
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
  const plotW = W - LEFT - RIGHT
  const plotH = H - TOP - BOTTOM
  const bw = plotW / BUCKETS
  const x = (i: number) => LEFT + i * bw
  const yMs = (ms: number) => TOP + plotH - (ms / maxMs) * plotH
  const yCount = (n: number) => TOP + plotH - (n / maxPushes) * plotH
  const line = buckets
    .map((b, i) => (b.medianMs === null ? null : `${x(i) + bw / 2},${yMs(b.medianMs)}`))
    .filter((p): p is string => p !== null)
    .join(' ')
  const total = buckets.reduce((n, b) => n + b.pushes, 0)
  const latest = [...buckets].reverse().find((b) => b.medianMs !== null)?.medianMs ?? null
  const summary =
    total === 0
      ? t.chartEmpty
      : `${t.chartPushes(total)}; ${t.latency.toLowerCase()} ${
          latest === null ? '–' : strings.common.seconds(latest)
        }`
  const sliceMin = slice / 60_000
  const ticks = [0, 0.5, 1]
  return (
    <figure className="chart" aria-labelledby="chart-title">
      <figcaption id="chart-title">
        <strong>{t.chartTitle}</strong>
        <span className="muted" data-testid="chart-summary">
          {summary}
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} className="chart-svg">
        {ticks.map((f) => (
          <g key={f}>
            <line
              x1={LEFT}
              x2={W - RIGHT}
              y1={TOP + plotH * (1 - f)}
              y2={TOP + plotH * (1 - f)}
              className="grid"
            />
            <text x={LEFT - 6} y={TOP + plotH * (1 - f) + 4} className="tick" textAnchor="end">
              {`${((maxMs * f) / 1000).toFixed(maxMs < 10_000 ? 1 : 0)} s`}
            </text>
            <text x={W - RIGHT + 6} y={TOP + plotH * (1 - f) + 4} className="tick">
              {Math.round(maxPushes * f)}
            </text>
          </g>
        ))}
        <line x1={LEFT} y1={TOP + plotH} x2={W - RIGHT} y2={TOP + plotH} className="axis" />
        {buckets.map((b, i) =>
          b.pushes === 0 ? null : (
            <rect
              key={i}
              x={x(i) + 1}
              width={Math.max(1, bw - 2)}
              y={yCount(b.pushes)}
              height={TOP + plotH - yCount(b.pushes)}
              className="bar"
            />
          ),
        )}
        {line ? <polyline points={line} className="line" /> : null}
        <text x={LEFT} y={H - 22} className="tick">
          {hhmm(start)}
        </text>
        <text x={W - RIGHT} y={H - 22} className="tick" textAnchor="end">
          {hhmm(now)}
        </text>
        <text x={LEFT + plotW / 2} y={H - 6} className="tick" textAnchor="middle">
          {t.chartAxisTime}
        </text>
        <text
          x={12}
          y={TOP + plotH / 2}
          className="tick"
          textAnchor="middle"
          transform={`rotate(-90 12 ${TOP + plotH / 2})`}
        >
          {t.chartAxisSeconds}
        </text>
        <text
          x={W - 10}
          y={TOP + plotH / 2}
          className="tick"
          textAnchor="middle"
          transform={`rotate(90 ${W - 10} ${TOP + plotH / 2})`}
        >
          {t.chartAxisUpdates}
        </text>
      </svg>
      <ul className="legend" aria-label="Legend">
        <li>
          <span className="swatch swatch-bar" aria-hidden="true" />
          {t.chartLegendBars(sliceMin)}
        </li>
        <li>
          <span className="swatch swatch-line" aria-hidden="true" />
          {t.chartLegendLine}
        </li>
      </ul>
    </figure>
  )
}
