// The benchmark's chart as SVG text: oversell rate against lost sales, one point per strategy with its
// 95% intervals. Pure string building, so core stays free of I/O; the bench writes the file.
import type { StrategySummary } from './run-market'

const W = 860
const H = 520
const M = { left: 80, right: 30, top: 50, bottom: 70 }

// Oversell rates span three orders of magnitude (manual vs LastUnit), so the y axis is log(1 + x):
// linear near 0, logarithmic above, and 0 stays plottable.
const sy = (v: number) => Math.log10(1 + Math.max(0, v))

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

export function marketChartSvg(summaries: readonly StrategySummary[], title: string): string {
  const xMax =
    Math.max(1, ...summaries.map((s) => s.lostSalesPct.mean + finite(s.lostSalesPct.halfWidth))) * 1.1
  const yMax = Math.max(
    1,
    ...summaries.map((s) => sy(s.oversellsPer1000.mean + finite(s.oversellsPer1000.halfWidth))),
  )
  const px = (x: number) => M.left + (x / xMax) * (W - M.left - M.right)
  const py = (y: number) => H - M.bottom - (sy(y) / (yMax * 1.08)) * (H - M.top - M.bottom)
  const out: string[] = []
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`,
  )
  // Axes and grid.
  const yTicks = [0, 0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000].filter((t) => sy(t) <= yMax * 1.08)
  for (const t of yTicks) {
    const y = py(t)
    out.push(
      `<line x1="${M.left}" x2="${W - M.right}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`,
      `<text x="${M.left - 8}" y="${y + 4}" text-anchor="end">${t}</text>`,
    )
  }
  const step = niceStep(xMax)
  for (let t = 0; t <= xMax; t += step) {
    const x = px(t)
    out.push(
      `<line x1="${x}" x2="${x}" y1="${M.top}" y2="${H - M.bottom}" stroke="#eeeeee"/>`,
      `<text x="${x}" y="${H - M.bottom + 18}" text-anchor="middle">${round(t)}%</text>`,
    )
  }
  out.push(
    `<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#333"/>`,
    `<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}" stroke="#333"/>`,
    `<text x="${(M.left + W - M.right) / 2}" y="${H - 25}" text-anchor="middle">lost sales (% of demand refused while a unit was free)</text>`,
    `<text transform="translate(22 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">oversells per 1,000 orders (log scale)</text>`,
  )
  summaries.forEach((s) => {
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
      `<text x="${x + 9}" y="${y - 7}" fill="${color}"${ours ? ' font-weight="bold"' : ''}>${esc(s.name)}</text>`,
    )
  })
  out.push('</svg>')
  return out.join('\n') + '\n'
}

const finite = (x: number) => (Number.isFinite(x) ? x : 0)
const round = (x: number) => Math.round(x * 100) / 100

function niceStep(max: number): number {
  const raw = max / 6
  const mag = 10 ** Math.floor(Math.log10(raw))
  const f = raw / mag
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag
}
