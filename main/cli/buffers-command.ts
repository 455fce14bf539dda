// `lastunit buffers`: each product's recommended buffer per listing from the one buffer policy, beside the
// buffer its rules give it now, and what the recommendation counts per channel. Read only: the app's
// Apply (or `config import` with product_channel rules) changes buffers.
import type { Command } from 'commander'
import {
  bufferTargetRisk,
  policyChannels,
  productRecommendations,
} from '../node/api/handlers/buffer-recommendations'
import { todayUtc } from '../node/api/peak-mode'
import { syncHostState } from '../node/runtime/host-status'
import { CliExit, openStore, type CliContext } from './cli-context'

const pct = (x: number) => `${(x * 100).toFixed(x < 0.001 ? 3 : 2)}%`
const s = (ms: number) => `${Math.round(ms / 1000)} s`

export function registerBuffersCommand(program: Command, { io, opts: g }: CliContext): void {
  program
    .command('buffers')
    .description("each product's recommended buffer per listing, beside the buffer its rules give it now")
    .option('--product <sku-or-id>', 'only this product (its internal reference or Odoo id)')
    .option('--json', 'print JSON')
    .action((o: { product?: string; json?: boolean }) => {
      const { db } = openStore(g(), io)
      try {
        // Measured figures from the engine that syncs this folder (its heartbeat), else the shipped defaults.
        const host = syncHostState(db)
        const views = policyChannels(db, host.running ? host.snapshot.engine : null)
        const risk = bufferTargetRisk(db)
        let products = productRecommendations(db, views, risk, todayUtc())
        if (o.product !== undefined) {
          const want = o.product.trim()
          products = products.filter((p) => p.sku === want || String(p.productId) === want)
          if (products.length === 0)
            throw new CliExit(1, `lastunit buffers: no active product has the reference or id "${want}".`)
        }
        if (o.json) {
          io.out(
            JSON.stringify(
              {
                targetRisk: risk,
                channels: views.map((c) => ({ channelId: c.channelId, measured: c.measured, ...c.policy })),
                products: products.map(({ policy: _policy, ...p }) => p),
              },
              null,
              2,
            ),
          )
          return
        }
        io.out(`Target: at most ${pct(risk)} chance per sell-out that a listing shows a unit sold elsewhere.`)
        for (const c of views)
          io.out(
            `  ${c.channelId}: orders seen within ${s(c.policy.orderDetectionMs)}, push accepted within ` +
              `${s(c.policy.pushLatency.maxMs)}` +
              (c.policy.applyDelay.maxMs > 0 ? `, shown within ${s(c.policy.applyDelay.maxMs)} more` : '') +
              (c.measured ? ' (measured)' : ' (default)'),
          )
        if (products.length === 0) io.out('No active products.')
        for (const p of products) {
          const label = `${p.sku ?? `#${p.productId}`} ${p.name}`
          if (p.listings.length === 0) {
            io.out(`${label}: not mapped on any channel`)
            continue
          }
          const cells = p.listings.map(
            (l) =>
              `${l.channelId} ${l.current}${l.current === l.recommended ? '' : ` -> ${l.recommended}`}` +
              ` (risk ${pct(l.oversellRisk)})`,
          )
          const below = p.listings.some((l) => l.recommended < p.classDefault)
          io.out(
            `${label}: ${p.salesPerDay.toFixed(1)}/day, ${p.velocityClass} (default ${p.classDefault}): ` +
              cells.join(', ') +
              (below ? '; below the class default on some listings' : ''),
          )
        }
      } finally {
        db.close()
      }
    })
}
