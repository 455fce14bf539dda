// Buffers: the rules at every scope, each product's measured velocity and the buffer the rules give it,
// each listing's recommended buffer from the one buffer policy (buffer-recommendations.ts) with its risk
// and cost, applied with one click (and a question when it goes below the class default), and any
// listing's figure explained by the engine itself.
import type { BufferRuleDto, BuffersDto, ProductBufferDto } from '../../../../shared/dto'
import { resolveBuffer, validateBufferRule } from '../../../core/buffers/buffer-rules'
import {
  insertBufferRule,
  listBufferRules,
  deleteBufferRule,
  deleteBufferRulesFor,
} from '../../db/repos/buffer-rules'
import { productSalesPerDay } from '../../db/repos/products'
import { bufferInWords, figureInWords } from '../../../core/buffers/buffer-words'
import { channelNames, listingLabels } from '../../db/repos/labels'
import type { HandlerContext } from '../handler-context'
import { HandlerError } from '../handler-error'
import type { Handlers } from '../handler-types'
import { todayUtc } from '../peak-mode'
import {
  bufferTargetRisk,
  loweredBelowDefault,
  policyChannels,
  productRecommendations,
  type ChannelPolicyView,
  type ProductRecommendation,
} from './buffer-recommendations'

const channelDtos = (views: readonly ChannelPolicyView[]): BuffersDto['channels'] =>
  views.map((c) => ({
    channelId: c.channelId,
    name: c.name,
    orderDetectionMs: c.policy.orderDetectionMs,
    pushLatencyMs: c.policy.pushLatency.maxMs,
    applyDelayMs: c.policy.applyDelay.maxMs,
    measured: c.measured,
  }))

const productDto = (
  p: ProductRecommendation,
  rules: readonly BufferRuleDto[],
  names: ReadonlyMap<string, string>,
  today: string,
): ProductBufferDto => {
  const first = p.listings[0]?.channelId ?? ''
  const resolved = resolveBuffer(
    {
      productId: p.productId,
      channelId: first,
      salesPerDay: p.salesPerDay,
      channelCount: p.channelCount,
      today,
    },
    rules,
  )
  const name = (id: string) => names.get(id) ?? id
  return {
    productId: p.productId,
    name: p.name,
    sku: p.sku,
    salesPerDay: p.salesPerDay,
    velocityClass: p.velocityClass,
    classDefault: p.classDefault,
    buffer: resolved.buffer,
    bufferExplanation: resolved.explanation,
    bufferWords: bufferInWords(resolved.parts, {
      channel: first ? name(first) : 'its channels',
      product: `${p.sku ?? `#${p.productId}`} ${p.name}`,
      salesPerDay: p.salesPerDay,
    }),
    recommended: Math.max(0, ...p.listings.map((l) => l.recommended)),
    oversellRisk: Math.max(0, ...p.listings.map((l) => l.oversellRisk)),
    salesCostUnits: p.policy?.weightedBuffer ?? 0,
    recommendedExplanation:
      p.listings.length === 0
        ? 'Not mapped on any channel: nothing to recommend.'
        : p.listings.map((l) => `${name(l.channelId)}: ${l.explanation}`).join('\n'),
    listings: p.listings.map((l) => ({
      channelId: l.channelId,
      buffer: l.current,
      recommended: l.recommended,
      oversellRisk: l.oversellRisk,
      explanation: l.explanation,
    })),
  }
}

export function bufferHandlers(
  s: HandlerContext,
): Pick<
  Handlers,
  'getBuffers' | 'saveBufferRule' | 'deleteBufferRule' | 'applyRecommendedBuffer' | 'explainListing'
> {
  const reload = async () => {
    await s.engine()?.reloadConfig()
  }
  const save = async (rule: Omit<BufferRuleDto, 'id'>, replaceSameScope: boolean): Promise<BufferRuleDto> => {
    try {
      validateBufferRule(rule, 'This rule')
    } catch (e) {
      throw new HandlerError('invalid_payload', (e as Error).message)
    }
    const db = s.db
    const id = db.transaction(() => {
      // One rule per subject: saving a rule for the same scope and subject replaces the old one, so the
      // seller never wonders which of two rules wins.
      if (replaceSameScope && rule.scope !== 'peak') deleteBufferRulesFor(db, rule)
      return insertBufferRule(db, rule)
    })()
    await reload()
    const saved = listBufferRules(db).find((r) => r.id === id)
    if (!saved) throw new HandlerError('failed', 'The rule was not saved.')
    return saved
  }
  return {
    getBuffers: async () => {
      const rules = listBufferRules(s.db)
      const risk = bufferTargetRisk(s.db)
      const views = policyChannels(s.db, s.engine()?.status())
      const today = todayUtc()
      const names = channelNames(s.db)
      return {
        rules,
        products: productRecommendations(s.db, views, risk, today).map((p) =>
          productDto(p, rules, names, today),
        ),
        channels: channelDtos(views),
        targetRisk: risk,
      }
    },
    saveBufferRule: async (req) => save(req, true),
    deleteBufferRule: async (req) => {
      const had = listBufferRules(s.db).some((r) => r.id === req.id)
      deleteBufferRule(s.db, req.id)
      if (had) await reload()
      return { removed: had }
    },
    applyRecommendedBuffer: async (req) => {
      const views = policyChannels(s.db, s.engine()?.status())
      const [p] = productRecommendations(s.db, views, bufferTargetRisk(s.db), todayUtc(), req.productId)
      if (!p) throw new HandlerError('not_found', `Odoo product ${req.productId} is not known to LastUnit.`)
      if (p.listings.length === 0)
        throw new HandlerError(
          'invalid_payload',
          `Product ${p.sku ?? `#${p.productId}`} is not mapped on any channel, so there is no buffer to recommend.`,
          'Map its listings on the SKU mapping screen first.',
        )
      const names = channelNames(s.db)
      const lowered = loweredBelowDefault(p).map((l) => ({
        channelId: l.channelId,
        channelName: names.get(l.channelId) ?? l.channelId,
        current: l.current,
        classDefault: p.classDefault,
        recommended: l.recommended,
      }))
      const label = `${p.sku ?? `#${p.productId}`} ${p.name}`
      if (lowered.length > 0 && !req.confirm)
        return {
          status: 'needs_confirmation' as const,
          rules: [],
          lowered,
          message:
            `The recommendation lowers ${label} below the ${p.velocityClass} seller default of ${p.classDefault}: ` +
            lowered.map((l) => `${l.channelName} ${l.current} → ${l.recommended}`).join(', ') +
            '. Apply it anyway?',
        }
      const db = s.db
      const ids = db.transaction(() =>
        p.listings.map((l) => {
          // One rule per listing, replacing an earlier one for the same product and channel.
          const rule = {
            scope: 'product_channel' as const,
            velocityClass: null,
            channelId: l.channelId,
            productId: p.productId,
            buffer: l.recommended,
            startsOn: null,
            endsOn: null,
            note: 'Recommended buffer',
          }
          deleteBufferRulesFor(db, rule)
          return insertBufferRule(db, rule)
        }),
      )()
      await reload()
      const saved = listBufferRules(db).filter((r) => ids.includes(r.id))
      return {
        status: 'applied' as const,
        rules: saved,
        lowered,
        message:
          `Applied to ${label}: ` +
          p.listings.map((l) => `${names.get(l.channelId) ?? l.channelId} ${l.recommended}`).join(', ') +
          '.',
      }
    },
    explainListing: async (req) => {
      const e = s.engine()
      if (!e)
        throw new HandlerError(
          'unavailable',
          'Sync is not running, so no figure can be explained now.',
          'Start the demo or connect Odoo and a channel.',
        )
      const x = e.explain(req.channelId, req.listingId)
      if (!x) return null
      const label = listingLabels(s.db, req.channelId, [req.listingId]).get(req.listingId)
      const channel = channelNames(s.db).get(req.channelId) ?? req.channelId
      const sales = productSalesPerDay(s.db, x.productId)
      const ctx = {
        channel,
        product: label?.productName
          ? `${label.sku ?? ''} ${label.productName}`.trim()
          : `product ${x.productId}`,
        ...(sales !== undefined ? { salesPerDay: Math.max(0, sales) } : {}),
      }
      const f = x.figures
      return {
        channelId: x.channelId,
        listingId: x.listingId,
        productId: x.productId,
        quantity: x.quantity,
        explanation: x.explanation,
        status: x.status,
        blockedReason: x.blockedReason,
        channelName: channel,
        sku: label?.sku ?? null,
        productName: label?.productName ?? null,
        ...(f
          ? {
              terms: figureInWords(
                {
                  quantity: x.quantity,
                  basis: f.basis,
                  basisValue: f.basisValue,
                  pending: f.pending,
                  buffer: f.buffer,
                  capped: f.capped,
                  zeroedBelow: f.zeroedBelow,
                  kit: f.kit,
                },
                f.bufferParts,
                ctx,
              ),
            }
          : {}),
      }
    },
  }
}
