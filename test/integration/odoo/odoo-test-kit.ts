// Shared set-up for the Odoo integration tests: a simulator per version and a gateway on it, plus the
// simulator's own figures (the ground truth) to compare with what LastUnit computes.
import { createOdooGateway } from '../../../main/node/odoo/create-odoo-gateway'
import type { OdooConnectionConfig } from '../../../main/node/odoo/odoo-connection'
import type { RpcOdooGateway } from '../../../main/node/odoo/rpc-gateway'
import { startOdooSim, type OdooSim, type OdooSimOptions } from '../../../main/sandbox/odoo/odoo-sim'
import type { SimVersion } from '../../../main/sandbox/odoo/sim-models'

export const VERSIONS: SimVersion[] = [17, 18, 19]

export async function startSim(version: SimVersion, extra: Partial<OdooSimOptions> = {}): Promise<OdooSim> {
  return startOdooSim({ version, catalogue: { products: 40, historyDays: 10, seed: 7 }, ...extra })
}

export function connectionFor(sim: OdooSim, extra: Partial<OdooConnectionConfig> = {}): OdooConnectionConfig {
  return {
    url: sim.url,
    database: sim.database,
    login: sim.login,
    secret: sim.apiKey,
    timeoutMs: 5000,
    ...extra,
  }
}

export async function gatewayFor(
  sim: OdooSim,
  extra: Partial<OdooConnectionConfig> = {},
): Promise<RpcOdooGateway> {
  const gw = await createOdooGateway(connectionFor(sim, extra))
  await gw.login()
  return gw
}

/** Free stock (on hand - reserved) per storable product, from the simulator's own quants. */
export function truthFree(sim: OdooSim, roots: number[]): Map<number, number> {
  const out = new Map<number, number>()
  for (const p of sim.store.products.values())
    if (p.storable) out.set(p.id, round(sim.store.stockOf(p.id, roots).free))
  return out
}

export const round = (n: number) => Math.round(n * 1e6) / 1e6

/** LastUnit's view: free stock per product as computed through the gateway. */
export async function computedFree(
  gw: RpcOdooGateway,
  roots: number[],
  productIds?: number[],
): Promise<Map<number, number>> {
  const rows = await gw.stockByProduct(roots, productIds)
  return new Map(rows.map((r) => [r.productId, round(r.onHand - r.reserved)]))
}

/** Keeps LastUnit's cache the way the engine does: recompute changed products, never patch. */
export class StockMirror {
  readonly free = new Map<number, number>()
  cursor: Record<string, unknown> | null = null
  constructor(
    private readonly gw: RpcOdooGateway,
    private readonly roots: number[],
  ) {}

  async fullRecompute(): Promise<void> {
    const all = await computedFree(this.gw, this.roots)
    this.free.clear()
    for (const [k, v] of all) this.free.set(k, v)
  }

  async poll(): Promise<{ changed: number[]; calls: number }> {
    const r = await this.gw.pollChanges(this.cursor)
    if (r.changedProductIds.length > 0) {
      const fresh = await computedFree(this.gw, this.roots, r.changedProductIds)
      for (const [k, v] of fresh) this.free.set(k, v)
    }
    // Only once the changed products are recomputed: a failed recompute must be retried from the old cursor.
    this.cursor = r.cursor
    return { changed: r.changedProductIds, calls: r.calls }
  }

  /** Products whose cached figure differs from the truth (absent means 0). */
  diff(truth: Map<number, number>): Array<{ productId: number; cached: number; truth: number }> {
    const out: Array<{ productId: number; cached: number; truth: number }> = []
    for (const [id, t] of truth) {
      const c = this.free.get(id) ?? 0
      if (Math.abs(c - t) > 1e-6) out.push({ productId: id, cached: c, truth: t })
    }
    return out
  }
}
