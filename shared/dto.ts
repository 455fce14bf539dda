// What the renderer sees. Every schema is strict: a field that is not declared here (a secret, say) makes
// the main process refuse to send the DTO. Credentials appear only as names with a "set" flag.
import { z } from 'zod'
import { CHANNEL_ENVIRONMENTS, CHANNEL_TYPES, STOCK_BASES, ZERO_STOCK_ACTIONS } from './channel-types'

export const appInfoDto = z
  .object({
    name: z.string(),
    version: z.string(),
    dataDir: z.string(),
    mode: z.enum(['empty', 'demo', 'configured']),
    vault: z.string(),
    host: z.enum(['electron', 'browser', 'cli']),
  })
  .strict()
export type AppInfoDto = z.infer<typeof appInfoDto>

export const channelHealth = z.enum(['ok', 'degraded', 'failing', 'paused', 'unknown'])

export const channelStatusDto = z
  .object({
    id: z.string(),
    type: z.enum(CHANNEL_TYPES),
    name: z.string(),
    state: z.enum(['setup', 'live', 'disabled']),
    health: channelHealth,
    queued: z.number().int(),
    blocked: z.number().int(),
    lastConfirmedPushAt: z.number().nullable(),
    latencyMs: z.number().nullable(),
    message: z.string(),
  })
  .strict()
export type ChannelStatusDto = z.infer<typeof channelStatusDto>

export const statusDto = z
  .object({
    state: z.enum(['healthy', 'syncing', 'attention', 'paused', 'stopped']),
    message: z.string(),
    engineRunning: z.boolean(),
    paused: z.boolean(),
    peakMode: z.boolean(),
    openAlerts: z.number().int(),
    channels: z.array(channelStatusDto),
  })
  .strict()
export type StatusDto = z.infer<typeof statusDto>

export const credentialStateDto = z.object({ name: z.string(), set: z.boolean() }).strict()

export const channelSummaryDto = z
  .object({
    id: z.string(),
    type: z.enum(CHANNEL_TYPES),
    name: z.string(),
    environment: z.enum(CHANNEL_ENVIRONMENTS),
    baseUrl: z.string(),
    stockBasis: z.enum(STOCK_BASES),
    zeroStockAction: z.enum(ZERO_STOCK_ACTIONS),
    orderImport: z.boolean(),
    state: z.enum(['setup', 'live', 'disabled']),
    settings: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])),
    credentials: z.array(credentialStateDto),
  })
  .strict()
export type ChannelSummaryDto = z.infer<typeof channelSummaryDto>

export const odooConnectionDto = z
  .object({
    url: z.string(),
    database: z.string(),
    username: z.string(),
    transport: z.enum(['auto', 'xmlrpc', 'json2']),
    allowInsecureHttp: z.boolean(),
    pollIntervalMs: z.number().int(),
    timeoutMs: z.number().int(),
    apiKeySet: z.boolean(),
    serverVersion: z.string().nullable(),
  })
  .strict()
export type OdooConnectionDto = z.infer<typeof odooConnectionDto>

export const connectionTestDto = z
  .object({ ok: z.boolean(), message: z.string(), hint: z.string().optional() })
  .strict()
export type ConnectionTestDto = z.infer<typeof connectionTestDto>

export const configProblemDto = z.object({ path: z.string(), message: z.string() }).strict()

export const configImportDto = z
  .object({
    applied: z.boolean(),
    problems: z.array(configProblemDto),
    summary: z.string(),
  })
  .strict()
export type ConfigImportDto = z.infer<typeof configImportDto>

export const logLevel = z.enum(['debug', 'info', 'warn', 'error'])
export type LogLevel = z.infer<typeof logLevel>

export const logEntryDto = z
  .object({
    id: z.number().int(),
    at: z.number(),
    level: logLevel,
    kind: z.string(),
    channelId: z.string().nullable(),
    listingId: z.string().nullable(),
    productId: z.number().int().nullable(),
    status: z.string().nullable(),
    message: z.string(),
  })
  .strict()
export type LogEntryDto = z.infer<typeof logEntryDto>

export const alertDto = z
  .object({
    id: z.number().int(),
    kind: z.string(),
    severity: z.enum(['info', 'warning', 'critical']),
    channelId: z.string().nullable(),
    subject: z.string(),
    message: z.string(),
    raisedAt: z.number(),
  })
  .strict()
export type AlertDto = z.infer<typeof alertDto>

/** Events pushed from main to the renderer, batched. */
export const engineEventDto = z.discriminatedUnion('type', [
  z.object({ type: z.literal('log'), entry: logEntryDto }).strict(),
  z.object({ type: z.literal('status'), status: statusDto }).strict(),
  z.object({ type: z.literal('alert'), alert: alertDto }).strict(),
  z
    .object({
      type: z.literal('resync'),
      runId: z.number().int(),
      done: z.number().int(),
      total: z.number().int(),
      etaMs: z.number().nullable(),
      state: z.enum(['running', 'done', 'cancelled', 'failed']),
    })
    .strict(),
])
export type EngineEventDto = z.infer<typeof engineEventDto>
