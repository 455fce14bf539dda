// Buffers: the rules at every scope, each product's measured velocity and the buffer the rules give it,
// the recommended buffer with its risk and cost (applied with one click), and any listing's figure
// explained by the engine itself.
import type { Database } from 'better-sqlite3'
import type { BufferRuleDto, ProductBufferDto } from '../../../../shared/dto'
import { resolveBuffer, validateBufferRule, type BufferRule } from '../../../core/buffers/buffer-rules'
import { recommendedBuffer } from '../../../core/buffers/recommended-buffer'
import { velocityClass } from '../../../core/buffers/velocity-class'
import {
  insertBufferRule,
  listBufferRules,
  deleteBufferRule,
  deleteBufferRulesFor,
} from '../../db/repos/buffer-rules'
import { productSalesPerDay, productsByVelocity } from '../../db/repos/products'
import { bufferInWords, figureInWords } from '../../../core/buffers/buffer-words'
import { channelNames, listingLabels } from '../../db/repos/labels'
import { getSetting } from '../../db/repos/settings'
import type { HandlerContext } from '../handler-context'
import { HandlerError } from '../handler-error'
import type { Handlers } from '../handler-types'
import { todayUtc } from '../peak-mode'

const DEFAULT_WINDOW_MS = 10_000

/** How long a sale can go unseen: Odoo's poll interval plus the slowest channel's typical push latency. */
const exposureWindowMs = (s: HandlerContext): number => {
  const st = s.engine()?.status()
  if (!st) return DEFAULT_WINDOW_MS
  const push = Math.max(0, ...st.channels.map((c) => c.latencyP50Ms ?? 0))
  return st.odoo.pollIntervalMs + (push || DEFAULT_WINDOW_MS / 2)
}

const targetRisk = (db: Database): number => {
  const v = Number(getSetting(db, 'buffers.targetRisk') ?? '0.01')
  return v > 0 && v < 1 ? v : 0.01
}

const asRule = (r: BufferRuleDto): BufferRule => r

const productBuffers = (s: HandlerContext, rules: BufferRuleDto[], windowMs: number, risk: number) => {
  const rows = productsByVelocity(s.db)
  const today = todayUtc()
  const typed = rules.map(asRule)
  const names = channelNames(s.db)
  return rows.map((p): ProductBufferDto => {
    const v = Math.max(0, p.v)
    const resolved = resolveBuffer(
      { productId: p.id, channelId: p.channelId ?? '', salesPerDay: v, channelCount: p.channels, today },
      typed,
    )
    const rec = recommendedBuffer(v, windowMs, risk)
    return {
      productId: p.id,
      name: p.name,
      sku: p.sku,
      salesPerDay: v,
      velocityClass: velocityClass(v),
      buffer: resolved.buffer,
      bufferExplanation: resolved.explanation,
      bufferWords: bufferInWords(resolved.parts, {
        channel: p.channelId ? (names.get(p.channelId) ?? p.channelId) : 'its channels',
        product: `${p.sku ?? `#${p.id}`} ${p.name}`,
        salesPerDay: v,
      }),
      recommended: rec.buffer,
      oversellRisk: rec.oversellRisk,
      salesCostUnits: rec.salesCostUnits,
      recommendedExplanation: rec.explanation,
    }
  })
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
      const windowMs = exposureWindowMs(s)
      const risk = targetRisk(s.db)
      return {
        rules,
        products: productBuffers(s, rules, windowMs, risk),
        exposureWindowMs: windowMs,
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
      const v = productSalesPerDay(s.db, req.productId)
      if (v === undefined)
        throw new HandlerError('not_found', `Odoo product ${req.productId} is not known to LastUnit.`)
      const rec = recommendedBuffer(Math.max(0, v), exposureWindowMs(s), targetRisk(s.db))
      return save(
        {
          scope: 'product',
          velocityClass: null,
          channelId: null,
          productId: req.productId,
          buffer: rec.buffer,
          startsOn: null,
          endsOn: null,
          note: 'Recommended buffer',
        },
        true,
      )
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
