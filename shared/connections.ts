// The Connections screen's part of the IPC contract: a form's values as typed (a draft), tested in memory
// and saved only on purpose. Values are checked loosely here (types, sizes) and thoroughly by
// channel-fields.ts, whose problems name the field the seller sees.
import { z } from 'zod'
import { CHANNEL_ENVIRONMENTS, CHANNEL_TYPES, STOCK_BASES, ZERO_STOCK_ACTIONS } from './channel-types'
import { channelSummaryDto, odooConnectionDto } from './dto'

const settingValue = z.union([
  z.string().max(2000),
  z.number(),
  z.boolean(),
  z.array(z.string().max(200)).max(100),
])

/** A channel form as typed. baseUrl: the custom address or the shop address ('' when not used). */
export const channelDraftSchema = z
  .object({
    id: z.string().max(100),
    type: z.enum(CHANNEL_TYPES),
    name: z.string().max(200),
    environment: z.enum(CHANNEL_ENVIRONMENTS),
    baseUrl: z.string().max(1000),
    stockBasis: z.enum(STOCK_BASES),
    zeroStockAction: z.enum(ZERO_STOCK_ACTIONS),
    orderImport: z.boolean(),
    settings: z.record(z.string().max(60), settingValue),
    odooPartnerId: z.number().int().positive().nullable(),
    odooWarehouseId: z.number().int().positive().nullable(),
    maxPublished: z.number().int().min(0).max(1_000_000_000).nullable(),
    zeroBelow: z.number().int().min(0).max(1_000_000_000).nullable(),
  })
  .strict()
export type ChannelDraft = z.infer<typeof channelDraftSchema>

/** Secrets typed in the form: a name absent or empty keeps what is stored. */
export const typedSecretsSchema = z.record(z.string().max(60), z.string().max(10_000))

export const odooDraftSchema = z
  .object({
    url: z.string().max(1000),
    database: z.string().max(200),
    username: z.string().max(200),
    transport: z.enum(['auto', 'xmlrpc', 'json2']),
    allowInsecureHttp: z.boolean(),
    pollIntervalMs: z.number().int().min(1000).max(300_000),
    timeoutMs: z.number().int().min(1000).max(300_000),
  })
  .strict()
export type OdooDraft = z.infer<typeof odooDraftSchema>

export const fieldProblemDto = z.object({ field: z.string(), message: z.string() }).strict()

/** What a test (or the test of "Save and test") found: its verdict, words, and the fields to fix. */
export const setupTestDto = z
  .object({
    ok: z.boolean(),
    message: z.string(),
    hint: z.string().nullable(),
    problems: z.array(fieldProblemDto),
    at: z.number(),
  })
  .strict()
export type SetupTestDto = z.infer<typeof setupTestDto>

export const channelSetupRequest = z
  .object({
    draft: channelDraftSchema,
    credentials: typedSecretsSchema,
    /** The form adds a channel (refused when the id is taken) rather than editing one. */
    isNew: z.boolean(),
  })
  .strict()

export const channelSaveDto = z
  .object({
    saved: z.boolean(),
    /** The test run before saving (null for "Save anyway"), or the problems that stopped the save. */
    result: setupTestDto,
    /** The channel as stored now (unchanged when nothing was saved); null when it does not exist. */
    channel: channelSummaryDto.nullable(),
  })
  .strict()
export type ChannelSaveDto = z.infer<typeof channelSaveDto>

export const odooSetupRequest = z.object({ draft: odooDraftSchema, apiKey: z.string().max(10_000) }).strict()

export const odooSaveDto = z
  .object({
    saved: z.boolean(),
    result: setupTestDto,
    connection: odooConnectionDto.nullable(),
  })
  .strict()
export type OdooSaveDto = z.infer<typeof odooSaveDto>

export const choiceDto = z.object({ value: z.string(), label: z.string() }).strict()

/** Odoo's customers and warehouses, for the pickers of a channel's imported orders. */
export const odooChoicesDto = z
  .object({
    partners: z.array(z.object({ id: z.number().int(), name: z.string() }).strict()),
    warehouses: z.array(z.object({ id: z.number().int(), name: z.string(), code: z.string() }).strict()),
    /** More customers match than were sent: the seller narrows the search. */
    more: z.boolean(),
  })
  .strict()
export type OdooChoicesDto = z.infer<typeof odooChoicesDto>

export const channelChoicesDto = z.object({ options: z.array(choiceDto) }).strict()
