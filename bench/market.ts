// `npm run bench -- market [--seeds N]`: every sync strategy a seller can pick, on the same simulated
// market (five channels, 60 products, 14 normal days and a peak day at 4x, a daily cycle, orders of one
// to three units), 20 seeds by default. `lastunit` is the shipped product: the shipped order intervals,
// the shipped buffer policy and default target, the engine's published-quantity and buffer code.
// `lastunit_notified` is the same product with Amazon's and bol.com's orders also coming through the seller's
// queue (issue #23): seen 1-3 s after they are placed, 1% of events lost and left to order polling, and the
// buffer policy counting that window for those channels (policy-channels.ts notifiedDetection).
// Prints the table with 95% intervals, writes docs/market-chart.svg, and ends with the JSON line.
import { mkdirSync, writeFileSync } from 'node:fs'
import { marketChartSvg } from '../main/sandbox/market-sim/chart'
import { detectionIntervalMs, toPolicyChannel } from '../main/sandbox/market-sim/channel-profile'
import type { Estimate } from '../main/sandbox/market-sim/confidence'
import { benchmarkLine, runMarket } from '../main/sandbox/market-sim/run-market'
import { defaultScenario, stressScenario } from '../main/sandbox/market-sim/scenario'
import { strategies, DEFAULT_TARGET_RISK, NOTIFIED_AMAZON_BOL } from '../main/sandbox/market-sim/strategy'
import { SHIPPED_CODE } from '../main/sandbox/market-sim/simulate'
import { meanUnits } from '../main/sandbox/market-sim/demand'
import { recommendBuffers } from '../main/core/buffers/buffer-policy'

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : undefined
}
const seedCount = Number(arg('seeds') ?? process.env.MARKET_SEEDS ?? 20)
const target = Number(arg('target') ?? DEFAULT_TARGET_RISK)
const seeds = Array.from({ length: seedCount }, (_, i) => i + 1)
const scenario = defaultScenario()
const strats = strategies(target)

const t0 = performance.now()
const result = runMarket(scenario, seeds, strats, (seed) =>
  process.stderr.write(`seed ${seed}/${seedCount}\r`),
)
// LastUnit at other targets the seller can choose, on the same seeds: the trade-off curve.
const sweepTargets = [0.01, 0.002].filter((t) => t !== target)
const lastunit = strats.find((s) => s.name === 'lastunit')
const sweep = lastunit
  ? sweepTargets.map((t) => ({
      target: t,
      summary: runMarket(scenario, seeds, [{ ...lastunit, targetRisk: t }]).summaries[0],
    }))
  : []
// The same strategies in a harder market (Amazon 5-15 min late, three peak days at 8x): not in the JSON.
const stressNames = new Set([
  'batch_15m',
  'realtime',
  'realtime_fixed_table',
  'realtime_pending',
  'lastunit',
  'lastunit_default_buffers',
  'lastunit_notified',
])
const stress = runMarket(
  stressScenario(),
  seeds,
  strats.filter((s) => stressNames.has(s.name)),
)
const seconds = (performance.now() - t0) / 1000
process.stderr.write('\n')

const ci = (e: Estimate, digits = 2) =>
  `${e.mean.toFixed(digits)} ±${(Number.isFinite(e.halfWidth) ? e.halfWidth : 0).toFixed(digits)}`
const totalDemand = result.summaries[0]?.totals.demand ?? 0
console.log(
  `Market simulation: ${scenario.channels.length} channels (${scenario.channels.map((c) => c.id).join(', ')}), ` +
    `${scenario.products.length} products, ${scenario.normalDays} days + ${scenario.peakDays} peak day at ` +
    `${scenario.peakMultiplier}x, ${seedCount} seeds, ${totalDemand} orders per strategy, ${seconds.toFixed(1)} s`,
)
console.log(
  `Demand: daily cycle x${(1 - scenario.dailyCycle.amplitude).toFixed(1)} to x${(1 + scenario.dailyCycle.amplitude).toFixed(1)} ` +
    `(busiest at ${scenario.dailyCycle.peakHour}:00); order sizes ` +
    `${scenario.orderSizes.map((o) => `${o.units} unit${o.units > 1 ? 's' : ''} ${Math.round(o.weight * 100)}%`).join(', ')} ` +
    `(mean ${meanUnits(scenario.orderSizes).toFixed(2)})`,
)
console.log(
  `Order detection (shipped defaults): ${scenario.channels.map((c) => `${c.id} ${detectionIntervalMs(c) / 1000} s`).join(', ')}; ` +
    `apply delay ${scenario.channels
      .filter((c) => c.applyDelay.maxMs > 0)
      .map((c) => `${c.id} ${c.applyDelay.minMs / 60_000}-${c.applyDelay.maxMs / 60_000} min`)
      .join(', ')}; ` +
    `LastUnit target risk ${target}`,
)
console.log('Shipped code the real-time strategies run:')
for (const f of SHIPPED_CODE) console.log(`  main/${f}`)
console.log('Mean over seeds ± 95% confidence interval half-width.\n')
const header = [
  'strategy'.padEnd(24),
  'oversells/1000'.padStart(16),
  'lost sales %'.padStart(15),
  'lost units'.padStart(14),
  'peak oversells/1000'.padStart(20),
  'peak lost %'.padStart(14),
  'oversells'.padStart(10),
  'sell-outs'.padStart(10),
  'pushes'.padStart(9),
]
console.log(header.join(' '))
for (const s of result.summaries)
  console.log(
    [
      s.name.padEnd(24),
      ci(s.oversellsPer1000).padStart(16),
      ci(s.lostSalesPct).padStart(15),
      ci(s.lostSalesUnits, 1).padStart(14),
      ci(s.peakOversellsPer1000).padStart(20),
      ci(s.peakLostSalesPct).padStart(14),
      String(s.totals.oversells).padStart(10),
      String(s.totals.sellOuts).padStart(10),
      String(Math.round(s.pushesPerSeed)).padStart(9),
    ].join(' '),
  )

console.log('\nWhere the oversells happened (all seeds):')
for (const s of result.summaries) {
  const parts = Object.entries(s.oversellsByChannel)
    .sort((a, b) => b[1] - a[1])
    .map(([id, n]) => `${id} ${n}`)
  console.log(`  ${s.name.padEnd(24)} ${parts.join(', ') || 'none'}`)
}

const by = (n: string) => result.summaries.find((s) => s.name === n)
const lu = by('lastunit')
const b15 = by('batch_15m')
const fixed = by('realtime_fixed_table')
if (lu && b15 && fixed) {
  const fewer = (a: number, b: number) =>
    b > 0 ? `${((1 - a / b) * 100).toFixed(1)}% fewer` : 'n/a (0 baseline)'
  console.log('')
  console.log(
    `lastunit vs batch_15m: ${fewer(lu.oversellsPer1000.mean, b15.oversellsPer1000.mean)} oversells (target >= 90%)`,
  )
  console.log(
    `lastunit vs realtime_fixed_table: ${fewer(lu.oversellsPer1000.mean, fixed.oversellsPer1000.mean)} oversells ` +
      `(target >= 50%; ${lu.totals.oversells} vs ${fixed.totals.oversells} in total), lost sales ` +
      `${lu.lostSalesPct.mean.toFixed(2)}% vs ${fixed.lostSalesPct.mean.toFixed(2)}% (target: no more)`,
  )
}

const ln = by('lastunit_notified')
if (lu && ln) {
  const n = ln.totals
  console.log(
    `lastunit_notified vs lastunit (Amazon's and bol.com's orders through the seller's queue: 1-3 s, ` +
      `${NOTIFIED_AMAZON_BOL.lossRate * 100}% of events lost and left to order polling): oversells/1000 ` +
      `${ci(ln.oversellsPer1000)} vs ${ci(lu.oversellsPer1000)}, lost sales % ${ci(ln.lostSalesPct)} vs ` +
      `${ci(lu.lostSalesPct)}, ${n.oversells} vs ${lu.totals.oversells} oversells in ${n.sellOuts} vs ` +
      `${lu.totals.sellOuts} sell-outs`,
  )
}

console.log('\nLastUnit at other target risks (same seeds):')
for (const v of sweep) {
  if (!v.summary) continue
  console.log(
    `  target ${v.target}: oversells/1000 ${ci(v.summary.oversellsPer1000)}, lost sales % ${ci(v.summary.lostSalesPct)}, ` +
      `oversells ${v.summary.totals.oversells} in ${v.summary.totals.sellOuts} sell-outs`,
  )
}

console.log('\nStress market (Amazon applies pushes 5-15 min late; 7 days + 3 peak days at 8x), same seeds:')
for (const s of stress.summaries)
  console.log(
    `  ${s.name.padEnd(24)} oversells/1000 ${ci(s.oversellsPer1000).padStart(14)}   lost sales % ${ci(s.lostSalesPct).padStart(13)}   ` +
      `oversells ${String(s.totals.oversells).padStart(6)} in ${s.totals.sellOuts} sell-outs`,
  )

// What the recommendation looks like for one product of each velocity class.
const policyChannels = scenario.channels.map((c) => toPolicyChannel(c))
// With Amazon's and bol.com's queues up (lastunit_notified): what the engine's status then reports.
const notifiedChannels = scenario.channels.map((c) =>
  toPolicyChannel(c, NOTIFIED_AMAZON_BOL.types.includes(c.type) ? NOTIFIED_AMAZON_BOL.delay : null),
)
for (const [label, channels] of [
  ['', policyChannels],
  [', Amazon and bol.com notified', notifiedChannels],
] as const) {
  console.log(`\nRecommended buffers (recommendBuffers as the app calls it, target risk ${target}${label})`)
  for (const rate of [2, 10, 30, 60, 160]) {
    const r = recommendBuffers({ salesPerDay: rate, channels, targetRisk: target })
    const cells = Object.entries(r.listings).map(
      ([id, l]) => `${id} ${l.buffer} (risk ${(l.oversellRisk * 100).toFixed(2)}%)`,
    )
    console.log(
      `  ${String(rate).padStart(4)}/day: ${cells.join(', ')}; last units to ${r.ownerChannelId ?? 'none'}`,
    )
  }
}

const chart = new URL('../docs/market-chart.svg', import.meta.url)
mkdirSync(new URL('../docs/', import.meta.url), { recursive: true })
writeFileSync(
  chart,
  marketChartSvg(
    result.summaries,
    `Oversells vs lost sales, ${seedCount} seeds, ${scenario.products.length} products x ${scenario.channels.length} channels`,
    sweep.flatMap((v) => (v.summary ? [{ label: `lastunit @ ${v.target * 100}%`, summary: v.summary }] : [])),
  ),
)
console.log(`\nChart written to docs/market-chart.svg`)
console.log(JSON.stringify(benchmarkLine(result)))
