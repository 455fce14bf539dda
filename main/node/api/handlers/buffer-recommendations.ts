// Each product's recommended buffers from the one buffer policy (core/buffers/buffer-policy.ts), with the
// figures the app has: the channels each product is mapped on, each channel's effective order interval and
// measured push latency from the running engine (its configured interval and the shipped defaults when no
// engine runs), the marketplace's apply delay, the product's velocity from Odoo's sales history, and the
// seller's target. The Buffers screen, Apply and `lastunit buffers` all read it from here.
import type { Database } from 'better-sqlite3'
import {
  DEFAULT_TARGET_RISK,
  recommendBuffers,
  type ProductBufferRecommendation,
} from '../../../core/buffers/buffer-policy'
import { resolveBuffer, type BufferRule } from '../../../core/buffers/buffer-rules'
import { policyChannel, type ChannelTiming } from '../../../core/buffers/policy-channels'
import {
  VELOCITY_DEFAULT_BUFFER,
  velocityClass,
  type VelocityClass,
} from '../../../core/buffers/velocity-class'
import { defaultCapabilities } from '../../../core/channels/channel-capabilities'
import { chosenOrderPollMs, orderDetectionOf } from '../../../core/channels/order-detection'
import type { PolicyChannel } from '../../../core/buffers/buffer-policy'
import { listBufferRules } from '../../db/repos/buffer-rules'
import { listChannels } from '../../db/repos/channels'
import { listMappings } from '../../db/repos/mappings'
import { productsByVelocity } from '../../db/repos/products'
import { getSetting } from '../../db/repos/settings'
import type { EngineStatus } from '../../engine'

/** The seller's target (setting `buffers.targetRisk`, a share between 0 and 1), else the policy's default. */
export function bufferTargetRisk(db: Database): number {
  const raw = getSetting(db, 'buffers.targetRisk')
  if (raw === undefined) return DEFAULT_TARGET_RISK
  const v = Number(raw)
  return v > 0 && v < 1 ? v : DEFAULT_TARGET_RISK
}

export interface ChannelPolicyView {
  channelId: string
  name: string
  type: string
  policy: PolicyChannel
  /** True when the interval and latency come from the running engine, false for configured defaults. */
  measured: boolean
}

/** Every channel that is not disabled, as the policy sees it. */
export function policyChannels(db: Database, status: EngineStatus | null | undefined): ChannelPolicyView[] {
  const running = new Map((status?.channels ?? []).map((c) => [c.channelId, c]))
  return listChannels(db)
    .filter((c) => c.state !== 'disabled')
    .map((c) => {
      const st = running.get(c.id)
      const chosen = chosenOrderPollMs(
        orderDetectionOf(c.type, defaultCapabilities(c.type)),
        c.settings.orderPollSeconds,
        c.name,
      )
      const timing: ChannelTiming = {
        channelId: c.id,
        type: c.type,
        orderPollIntervalMs: st?.orderPollIntervalMs ?? ('ms' in chosen ? chosen.ms : null),
        latencyP50Ms: st?.latencyP50Ms ?? null,
        latencyP99Ms: st?.latencyP99Ms ?? null,
        // While the channel's queue works its orders are seen within seconds (policy-channels.ts).
        orderQueue: st?.orderQueue ?? null,
      }
      return {
        channelId: c.id,
        name: c.name,
        type: c.type,
        policy: policyChannel(timing),
        measured: st !== undefined && st.latencyP99Ms !== null,
      }
    })
}

export interface ListingRecommendation {
  channelId: string
  /** What the rules give this listing now (peak mode included). */
  current: number
  recommended: number
  oversellRisk: number
  explanation: string
}

export interface ProductRecommendation {
  productId: number
  name: string
  sku: string | null
  salesPerDay: number
  velocityClass: VelocityClass
  /** The velocity class default (0, 1, 2): Apply asks before going below it. */
  classDefault: number
  channelCount: number
  listings: ListingRecommendation[]
  policy: ProductBufferRecommendation | null
}

/** Every active product with its listings' current and recommended buffers. */
export function productRecommendations(
  db: Database,
  channels: readonly ChannelPolicyView[],
  targetRisk: number,
  today: string,
  onlyProductId?: number,
): ProductRecommendation[] {
  const byId = new Map(channels.map((c) => [c.channelId, c]))
  const listedOn = new Map<number, string[]>()
  for (const m of listMappings(db)) {
    if (!byId.has(m.channelId)) continue
    const list = listedOn.get(m.productId) ?? []
    if (!list.includes(m.channelId)) list.push(m.channelId)
    listedOn.set(m.productId, list)
  }
  const rules: BufferRule[] = listBufferRules(db)
  return productsByVelocity(db)
    .filter((p) => onlyProductId === undefined || p.id === onlyProductId)
    .map((p): ProductRecommendation => {
      const v = Math.max(0, p.v)
      const cls = velocityClass(v)
      const ids = (listedOn.get(p.id) ?? []).sort()
      const policy =
        ids.length > 0
          ? recommendBuffers({
              salesPerDay: v,
              channels: ids.map((id) => (byId.get(id) as ChannelPolicyView).policy),
              targetRisk,
            })
          : null
      const listings = ids.map((channelId): ListingRecommendation => {
        const rec = policy?.listings[channelId]
        return {
          channelId,
          current: resolveBuffer(
            { productId: p.id, channelId, salesPerDay: v, channelCount: ids.length, today },
            rules,
          ).buffer,
          recommended: rec?.buffer ?? 0,
          oversellRisk: rec?.oversellRisk ?? 0,
          explanation: rec?.explanation ?? '',
        }
      })
      return {
        productId: p.id,
        name: p.name,
        sku: p.sku,
        salesPerDay: v,
        velocityClass: cls,
        classDefault: VELOCITY_DEFAULT_BUFFER[cls],
        channelCount: ids.length,
        listings,
        policy,
      }
    })
}

/** The listings whose recommendation is below both the class default and what they hold now. */
export const loweredBelowDefault = (p: ProductRecommendation): ListingRecommendation[] =>
  p.listings.filter((l) => l.recommended < p.classDefault && l.recommended < l.current)
