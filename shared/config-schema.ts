// The LastUnit configuration file: one JSON document that describes the Odoo connection, every channel,
// location rules, buffer rules and SKU mappings, so a seller or a script can set LastUnit up without the UI.
// Documented in README.md ("Configuration file"); `lastunit config export` writes one.
import { z } from 'zod'
import {
  CHANNEL_ENVIRONMENTS,
  CHANNEL_TYPES,
  STOCK_BASES,
  ZERO_STOCK_ACTIONS,
  CHANNEL_ZERO_STOCK_ACTIONS,
  acceptedCredentialFields,
} from './channel-types'

export const CONFIG_FORMAT_VERSION = 1

/**
 * A secret in the config file: the value itself (encrypted on import), a reference to an environment
 * variable, or null to keep what is stored (an export writes null: secrets never leave LastUnit).
 */
export const secretValueSchema = z.union([
  z.string().min(1, 'must not be empty'),
  z
    .object({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name') })
    .strict(),
  z.null(),
])
export type SecretValue = z.infer<typeof secretValueSchema>

const positiveId = z.number().int('must be a whole number').positive('must be a positive Odoo id')
/** True for a day that exists (2026-02-29 and 2026-13-45 do not). */
export const isRealDate = (v: string): boolean => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const t = new Date(Date.UTC(y, mo - 1, d))
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d
}
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-11-23')
  .refine(
    (v) => !/^\d{4}-\d{2}-\d{2}$/.test(v) || isRealDate(v),
    'is not a date that exists (month 01-12, a day the month has)',
  )

const httpUrl = z.url({
  protocol: /^https?$/,
  message:
    'must be a URL starting with https:// (or http:// for a local server), e.g. https://example.odoo.com',
})

export const odooConfigSchema = z
  .object({
    url: httpUrl,
    database: z.string().min(1, 'must name the Odoo database'),
    username: z.string().min(1, 'must name the Odoo user (login)'),
    apiKey: secretValueSchema.optional(),
    transport: z.enum(['auto', 'xmlrpc', 'json2']).default('auto'),
    allowInsecureHttp: z.boolean().default(false),
    pollIntervalMs: z.number().int().min(1000, 'must be at least 1000 ms').max(300_000).default(5000),
    timeoutMs: z.number().int().min(1000).max(300_000).default(30_000),
  })
  .strict()

export const channelConfigSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be lowercase letters, digits and dashes, e.g. "amazon-de"'),
    type: z.enum(CHANNEL_TYPES, { message: `must be one of ${CHANNEL_TYPES.join(', ')}` }),
    name: z.string().min(1).max(80).optional(),
    environment: z.enum(CHANNEL_ENVIRONMENTS).default('production'),
    baseUrl: httpUrl.optional(),
    settings: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]))
      .default({}),
    credentials: z.record(z.string(), secretValueSchema).default({}),
    stockBasis: z.enum(STOCK_BASES).default('free'),
    zeroStockAction: z.enum(ZERO_STOCK_ACTIONS).default('push_zero'),
    orderImport: z.boolean().default(true),
    odooPartnerId: positiveId.optional(),
    odooWarehouseId: positiveId.optional(),
    maxPublished: z.number().int().min(0).optional(),
    zeroBelow: z.number().int().min(0).optional(),
    locations: z.array(positiveId).default([]),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.environment === 'custom' && !c.baseUrl)
      ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: 'is required when environment is "custom"' })
    const allowed = CHANNEL_ZERO_STOCK_ACTIONS[c.type]
    if (!allowed.includes(c.zeroStockAction))
      ctx.addIssue({
        code: 'custom',
        path: ['zeroStockAction'],
        message: `"${c.zeroStockAction}" is not available on ${c.type}; use ${allowed.join(' or ')}`,
      })
    const fields = acceptedCredentialFields(c.type)
    for (const key of Object.keys(c.credentials))
      if (!fields.includes(key))
        ctx.addIssue({
          code: 'custom',
          path: ['credentials', key],
          message: `is not a ${c.type} credential; expected ${fields.join(', ')}`,
        })
  })

export const bufferRuleConfigSchema = z.discriminatedUnion('scope', [
  z.object({ scope: z.literal('global'), buffer: z.number().int().min(0) }).strict(),
  z
    .object({
      scope: z.literal('velocity_class'),
      velocityClass: z.enum(['slow', 'medium', 'fast']),
      buffer: z.number().int().min(0),
    })
    .strict(),
  z.object({ scope: z.literal('channel'), channel: z.string(), buffer: z.number().int().min(0) }).strict(),
  z.object({ scope: z.literal('product'), productId: positiveId, buffer: z.number().int().min(0) }).strict(),
  z
    .object({
      scope: z.literal('product_channel'),
      productId: positiveId,
      channel: z.string(),
      buffer: z.number().int().min(0),
    })
    .strict(),
  z
    .object({
      scope: z.literal('peak'),
      from: isoDate,
      to: isoDate,
      buffer: z.number().int().min(1, 'peak mode adds at least 1').max(10),
      note: z.string().optional(),
    })
    .strict(),
])

export const mappingConfigSchema = z
  .object({ channel: z.string(), listing: z.string().min(1), productId: positiveId })
  .strict()

export const configFileSchema = z
  .object({
    $schema: z.string().optional(),
    version: z.literal(CONFIG_FORMAT_VERSION, { message: `must be ${CONFIG_FORMAT_VERSION}` }),
    odoo: odooConfigSchema.optional(),
    channels: z.array(channelConfigSchema).default([]),
    bufferRules: z.array(bufferRuleConfigSchema).default([]),
    mappings: z.array(mappingConfigSchema).default([]),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const ids = new Map<string, number>()
    cfg.channels.forEach((c, i) => {
      const first = ids.get(c.id)
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['channels', i, 'id'],
          message: `"${c.id}" is already used by channels[${first}]`,
        })
      else ids.set(c.id, i)
    })
    cfg.bufferRules.forEach((r, i) => {
      if (r.scope === 'peak' && r.from > r.to)
        ctx.addIssue({
          code: 'custom',
          path: ['bufferRules', i, 'to'],
          message: `must not be before "from" (${r.from})`,
        })
    })
    const seen = new Map<string, number>()
    cfg.mappings.forEach((m, i) => {
      const key = `${m.channel}\u0000${m.listing}`
      const first = seen.get(key)
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['mappings', i, 'listing'],
          message: `listing "${m.listing}" on "${m.channel}" is already mapped by mappings[${first}]`,
        })
      else seen.set(key, i)
    })
  })

export type ConfigFile = z.infer<typeof configFileSchema>
export type ConfigFileInput = z.input<typeof configFileSchema>
export type ChannelConfig = z.infer<typeof channelConfigSchema>
export type OdooConfig = z.infer<typeof odooConfigSchema>
export type BufferRuleConfig = z.infer<typeof bufferRuleConfigSchema>
export type MappingConfig = z.infer<typeof mappingConfigSchema>

export interface ConfigProblem {
  /** JSON path, e.g. "$.channels[1].type" */
  path: string
  message: string
}

/** Formats a path like ['channels', 1, 'type'] as "$.channels[1].type". */
export const jsonPath = (path: ReadonlyArray<PropertyKey>): string =>
  '$' +
  path
    .map((p) =>
      typeof p === 'number'
        ? `[${p}]`
        : /^[A-Za-z_$][\w$]*$/.test(String(p))
          ? `.${String(p)}`
          : `[${JSON.stringify(String(p))}]`,
    )
    .join('')

export const zodProblems = (error: z.ZodError): ConfigProblem[] =>
  error.issues.map((i) => ({ path: jsonPath(i.path), message: i.message }))

/** Validates a parsed config document; every problem is reported with its JSON path. */
export function validateConfig(
  doc: unknown,
): { ok: true; config: ConfigFile } | { ok: false; problems: ConfigProblem[] } {
  const r = configFileSchema.safeParse(doc)
  return r.success ? { ok: true, config: r.data } : { ok: false, problems: zodProblems(r.error) }
}
