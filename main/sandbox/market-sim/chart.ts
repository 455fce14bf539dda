// The benchmark's chart as SVG text: oversell rate against lost sales, one point per strategy with its
// 95% intervals. Pure string building, so core stays free of I/O; the bench writes the file.
import type { StrategySummary } from './run-market'

const W = 860
const H = 520
const M = { left: 80, right: 130, top: 50, bottom: 70 }

// Oversell rates span three orders of magnitude (manual vs LastUnit), so the y axis is log(1 + x):
// linear near 0, logarithmic above, and 0 stays plottable (the same for lost sales below).
const sy = (v: number) => Math.log10(1 + 10 * Math.max(0, v))
// Lost sales too, at a finer grain: real-time strategies lose hundredths of a percent, buffers whole ones.
const sx = (v: number) => Math.log10(1 + 10 * Math.max(0, v))
const TICKS = [0, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000]

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** A further point of one strategy at another setting (LastUnit at other target risks). */
export interface ChartVariant {
  label: string
  summary: StrategySummary
}

export function marketChartSvg(
  summaries: readonly StrategySummary[],
  title: string,
  variants: readonly ChartVariant[] = [],
): string {
  const all = [...summaries, ...variants.map((v) => v.summary)]
  const xMax =
    Math.max(1, ...all.map((s) => sx(s.lostSalesPct.mean + finite(s.lostSalesPct.halfWidth)))) * 1.05
  const yMax = Math.max(
    1,
    ...all.map((s) => sy(s.oversellsPer1000.mean + finite(s.oversellsPer1000.halfWidth))),
  )
  const px = (x: number) => M.left + (sx(x) / xMax) * (W - M.left - M.right)
  const py = (y: number) => H - M.bottom - (sy(y) / (yMax * 1.08)) * (H - M.top - M.bottom)
  const out: string[] = []
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`,
  )
  // Axes and grid.
  const yTicks = TICKS.filter((t) => sy(t) <= yMax * 1.08)
  for (const t of yTicks) {
    const y = py(t)
    out.push(
      `<line x1="${M.left}" x2="${W - M.right}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`,
      `<text x="${M.left - 8}" y="${y + 4}" text-anchor="end">${t}</text>`,
    )
  }
  for (const t of TICKS.filter((v) => sx(v) <= xMax)) {
    const x = px(t)
    out.push(
      `<line x1="${x}" x2="${x}" y1="${M.top}" y2="${H - M.bottom}" stroke="#eeeeee"/>`,
      `<text x="${x}" y="${H - M.bottom + 18}" text-anchor="middle">${t}%</text>`,
    )
  }
  out.push(
    `<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#333"/>`,
    `<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}" stroke="#333"/>`,
    `<text x="${(M.left + W - M.right) / 2}" y="${H - 25}" text-anchor="middle">lost sales (% of demand refused while a unit was free, log scale)</text>`,
    `<text transform="translate(22 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">oversells per 1,000 orders (log scale)</text>`,
  )
  // Labels of points that sit close together are moved down until they no longer overlap.
  const placed: { x: number; y: number }[] = []
  const labelY = (x: number, y: number): number => {
    let ly = y - 7
    while (placed.some((p) => Math.abs(p.x - x) < 150 && Math.abs(p.y - ly) < 13)) ly += 13
    placed.push({ x, y: ly })
    return ly
  }
  const order = [...summaries].sort((a, b) => b.oversellsPer1000.mean - a.oversellsPer1000.mean)
  order.forEach((s) => {
    const x = px(s.lostSalesPct.mean)
    const y = py(s.oversellsPer1000.mean)
    const ours = s.name === 'lastunit'
    const color = ours ? '#d62728' : s.name.startsWith('realtime') ? '#1f77b4' : '#7f7f7f'
    const xe = finite(s.lostSalesPct.halfWidth)
    const ye = finite(s.oversellsPer1000.halfWidth)
    out.push(
      `<line x1="${px(Math.max(0, s.lostSalesPct.mean - xe))}" x2="${px(s.lostSalesPct.mean + xe)}" y1="${y}" y2="${y}" stroke="${color}" stroke-width="1"/>`,
      `<line x1="${x}" x2="${x}" y1="${py(Math.max(0, s.oversellsPer1000.mean - ye))}" y2="${py(s.oversellsPer1000.mean + ye)}" stroke="${color}" stroke-width="1"/>`,
      `<circle cx="${x}" cy="${y}" r="${ours ? 7 : 5}" fill="${color}"/>`,
      `<text x="${x + 9}" y="${labelY(x, y)}" fill="${color}"${ours ? ' font-weight="bold"' : ''}>${esc(s.name)}</text>`,
    )
  })
  variants.forEach((v) => {
    const x = px(v.summary.lostSalesPct.mean)
    const y = py(v.summary.oversellsPer1000.mean)
    out.push(
      `<circle cx="${x}" cy="${y}" r="5" fill="none" stroke="#d62728" stroke-width="1.5"/>`,
      `<text x="${x + 8}" y="${labelY(x, y + 14)}" fill="#d62728" font-size="11">${esc(v.label)}</text>`,
    )
  })
  out.push('</svg>')
  return out.join('\n') + '\n'
}

const finite = (x: number) => (Number.isFinite(x) ? x : 0)
