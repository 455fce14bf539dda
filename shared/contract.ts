// The IPC contract: for every method in ipc-channels.ts, the schema of its request and of its response.
// main validates every request against it and every response too (so nothing undeclared, like a secret,
// reaches the renderer); the preload and the renderer's api.ts are typed from it.
import { z } from 'zod'
import { CHANNEL_ENVIRONMENTS, CHANNEL_TYPES, STOCK_BASES, ZERO_STOCK_ACTIONS } from './channel-types'
import type { IpcMethod } from './ipc-channels'
import type { IpcResult } from './ipc-result'
import {
  checklistRunDto,
  checklistTestDto,
  goLiveDto,
  alertDto,
  appInfoDto,
  autoMatchDto,
  applyBufferResultDto,
  bufferRuleDto,
  buffersDto,
  csvImportDto,
  firstPushReviewDto,
  listingExplanationDto,
  mappingRowDto,
  mappingsDto,
  resyncOverviewDto,
  warehousesDto,
  channelSummaryDto,
  configImportDto,
  connectionTestDto,
  logEntryDto,
  logLevel,
  matchReason,
  odooConnectionDto,
  statusDto,
  checklistProgressDto,
  dashboardDto,
  logPageDto,
  ordersDto,
  orderStateDto,
  returnTestDto,
  zeroStockCandidateDto,
} from './dto'
import {
  channelChoicesDto,
  channelDraftSchema,
  channelSaveDto,
  channelSetupRequest,
  odooChoicesDto,
  odooSaveDto,
  odooSetupRequest,
  setupTestDto,
  typedSecretsSchema,
} from './connections'
import { fasterOrdersCheckDto, fasterOrdersRequest } from './faster-orders'

export interface Operation<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  request: Req
  response: Res
}

const op = <Req extends z.ZodType, Res extends z.ZodType>(
  request: Req,
  response: Res,
): Operation<Req, Res> => ({
  request,
  response,
})

const empty = z.object({}).strict()
const channelId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be a channel id like "amazon-de"')

export const contract = {
  getAppInfo: op(empty, appInfoDto),
  getStatus: op(empty, statusDto),
  listChannels: op(empty, z.array(channelSummaryDto)),
  saveChannel: op(
    z
      .object({
        id: channelId,
        type: z.enum(CHANNEL_TYPES),
        name: z.string().min(1).max(80),
        environment: z.enum(CHANNEL_ENVIRONMENTS),
        baseUrl: z.url({ protocol: /^https?$/ }).optional(),
        stockBasis: z.enum(STOCK_BASES),
        zeroStockAction: z.enum(ZERO_STOCK_ACTIONS),
        orderImport: z.boolean(),
        settings: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])),
      })
      .strict(),
    channelSummaryDto,
  ),
  removeChannel: op(z.object({ id: channelId }).strict(), z.object({ removed: z.boolean() }).strict()),
  setCredential: op(
    z
      .object({
        owner: z.union([z.literal('odoo'), channelId]),
        name: z.string().min(1).max(60),
        value: z.string().min(1, 'must not be empty').max(10_000),
      })
      .strict(),
    z.object({ owner: z.string(), name: z.string(), set: z.literal(true) }).strict(),
  ),
  testConnection: op(
    z.object({ target: z.union([z.literal('odoo'), channelId]) }).strict(),
    connectionTestDto,
  ),
  saveOdooConnection: op(
    z
      .object({
        url: z.url({ protocol: /^https?$/, message: 'must be a URL like https://mycompany.odoo.com' }),
        database: z.string().min(1, 'must name the database'),
        username: z.string().min(1, 'must name the user (login)'),
        transport: z.enum(['auto', 'xmlrpc', 'json2']),
        allowInsecureHttp: z.boolean(),
        pollIntervalMs: z.number().int().min(1000).max(300_000),
        timeoutMs: z.number().int().min(1000).max(300_000),
      })
      .strict(),
    odooConnectionDto,
  ),
  getOdooConnection: op(empty, odooConnectionDto.nullable()),
  exportConfig: op(empty, z.object({ json: z.string() }).strict()),
  importConfig: op(z.object({ json: z.string().max(50_000_000) }).strict(), configImportDto),
  recentLog: op(
    z
      .object({
        limit: z.number().int().min(1).max(5000).default(200),
        channelId: z.string().optional(),
        level: logLevel.optional(),
      })
      .strict(),
    z.array(logEntryDto),
  ),
  listAlerts: op(empty, z.array(alertDto)),
  startDemo: op(empty, z.object({ started: z.boolean(), message: z.string() }).strict()),
  setPaused: op(z.object({ paused: z.boolean() }).strict(), statusDto),
  setPeakMode: op(z.object({ enabled: z.boolean() }).strict(), statusDto),
  startResync: op(
    z.object({ channels: z.array(channelId).optional() }).strict(),
    z.object({ runId: z.number().int(), total: z.number().int(), etaMs: z.number().nullable() }).strict(),
  ),
  listMappings: op(empty, mappingsDto),
  refreshListings: op(
    z.object({ channelId: channelId.optional() }).strict(),
    z.array(
      z.object({ channelId: z.string(), listings: z.number().int(), mapped: z.number().int() }).strict(),
    ),
  ),
  autoMatch: op(z.object({ channelId: channelId.optional() }).strict(), autoMatchDto),
  setMapping: op(
    z
      .object({
        channelId,
        listingId: z.string().min(1).max(200),
        productId: z.number().int().positive(),
        replace: z.boolean().default(false),
      })
      .strict(),
    mappingRowDto,
  ),
  removeMapping: op(
    z.object({ channelId, listingId: z.string().min(1).max(200) }).strict(),
    z
      .object({
        removed: z.boolean(),
        /** The mapping removed, so it can be put back (undo). */
        previous: z
          .object({ productId: z.number().int(), source: matchReason })
          .strict()
          .nullable()
          .optional(),
      })
      .strict(),
  ),
  importMappingsCsv: op(z.object({ csv: z.string().max(20_000_000) }).strict(), csvImportDto),
  exportMappingsCsv: op(empty, z.object({ csv: z.string() }).strict()),
  getBuffers: op(empty, buffersDto),
  saveBufferRule: op(
    z
      .object({
        scope: z.enum(['global', 'velocity_class', 'channel', 'product', 'product_channel', 'peak']),
        velocityClass: z.enum(['slow', 'medium', 'fast']).nullable().default(null),
        channelId: channelId.nullable().default(null),
        productId: z.number().int().positive().nullable().default(null),
        buffer: z.number().int().min(0).max(1000),
        startsOn: z.iso.date().nullable().default(null),
        endsOn: z.iso.date().nullable().default(null),
        note: z.string().max(200).nullable().default(null),
      })
      .strict(),
    bufferRuleDto,
  ),
  deleteBufferRule: op(
    z.object({ id: z.number().int() }).strict(),
    z.object({ removed: z.boolean() }).strict(),
  ),
  applyRecommendedBuffer: op(
    z.object({ productId: z.number().int().positive(), confirm: z.boolean().default(false) }).strict(),
    applyBufferResultDto,
  ),
  explainListing: op(
    z.object({ channelId, listingId: z.string().min(1).max(200) }).strict(),
    listingExplanationDto.nullable(),
  ),
  getWarehouses: op(z.object({ channelId, refresh: z.boolean().default(false) }).strict(), warehousesDto),
  setWarehouses: op(
    z.object({ channelId, locationIds: z.array(z.number().int()).max(10_000) }).strict(),
    warehousesDto,
  ),
  getResync: op(z.object({ channels: z.array(channelId).optional() }).strict(), resyncOverviewDto),
  cancelResync: op(
    z.object({ runId: z.number().int() }).strict(),
    z.object({ cancelled: z.boolean() }).strict(),
  ),
  reviewFirstPush: op(z.object({ channelId }).strict(), firstPushReviewDto),
  confirmFirstPush: op(z.object({ channelId }).strict(), z.object({ confirmed: z.boolean() }).strict()),
  exportLogCsv: op(
    z
      .object({
        channelId: z.string().optional(),
        level: logLevel.optional(),
        status: z.string().optional(),
        search: z.string().max(200).optional(),
        limit: z.number().int().min(1).max(100_000).default(10_000),
      })
      .strict(),
    z.object({ csv: z.string(), rows: z.number().int() }).strict(),
  ),
  getChecklist: op(z.object({ channelId }).strict(), checklistRunDto),
  runChecklist: op(z.object({ channelId }).strict(), checklistRunDto),
  runZeroStockTest: op(
    z.object({ channelId, listingId: z.string().min(1).optional() }).strict(),
    checklistTestDto,
  ),
  runReturnTest: op(z.object({ channelId }).strict(), checklistTestDto),
  goLive: op(
    z
      .object({
        channelId,
        overrideReason: z
          .string()
          .trim()
          .min(10, 'say in a sentence why the channel may go live anyway')
          .max(500)
          .optional(),
      })
      .strict(),
    goLiveDto,
  ),
  // Connections: forms tested in memory, saved on purpose (ui-connect)
  testOdooSettings: op(odooSetupRequest, setupTestDto),
  saveOdooSettings: op(odooSetupRequest.extend({ test: z.boolean() }).strict(), odooSaveDto),
  testChannelSettings: op(channelSetupRequest, setupTestDto),
  saveChannelSettings: op(channelSetupRequest.extend({ test: z.boolean() }).strict(), channelSaveDto),
  getOdooChoices: op(z.object({ search: z.string().max(100).default('') }).strict(), odooChoicesDto),
  getChannelChoices: op(
    z
      .object({ draft: channelDraftSchema, credentials: typedSecretsSchema, setting: z.string().max(60) })
      .strict(),
    channelChoicesDto,
  ),
  confirmSingleSource: op(z.object({ channelId }).strict(), checklistRunDto),
  // ---- The seller's screens (issue #22) ----
  listOrders: op(
    z
      .object({
        search: z.string().max(200).optional(),
        state: orderStateDto.optional(),
        channelId: channelId.optional(),
        limit: z.number().int().min(1).max(2000).default(200),
        /** The start of the seller's day (ms), for the day's figures. */
        dayStart: z.number().optional(),
      })
      .strict(),
    ordersDto,
  ),
  getDashboard: op(z.object({ dayStart: z.number().optional() }).strict(), dashboardDto),
  browseLog: op(
    z
      .object({
        afterId: z.number().int().optional(),
        beforeId: z.number().int().optional(),
        from: z.number().optional(),
        to: z.number().optional(),
        channelId: z.string().optional(),
        level: logLevel.optional(),
        status: z.string().max(40).optional(),
        search: z.string().max(200).optional(),
        limit: z.number().int().min(1).max(5000).default(500),
      })
      .strict(),
    logPageDto,
  ),
  validateWarehouses: op(
    z.object({ channelId, locationIds: z.array(z.number().int()).max(10_000) }).strict(),
    warehousesDto,
  ),
  restoreMapping: op(
    z
      .object({
        channelId,
        listingId: z.string().min(1).max(200),
        productId: z.number().int().positive(),
        source: matchReason,
      })
      .strict(),
    mappingRowDto,
  ),
  checklistProgress: op(z.object({ channelId }).strict(), checklistProgressDto),
  startReturnTest: op(
    z.object({ channelId, productId: z.number().int().positive().optional() }).strict(),
    returnTestDto,
  ),
  returnTestStatus: op(z.object({ channelId }).strict(), returnTestDto),
  cancelReturnTest: op(z.object({ channelId }).strict(), returnTestDto),
  zeroStockCandidates: op(z.object({ channelId }).strict(), z.array(zeroStockCandidateDto)),
  // ---- Faster orders (issue #23) ----
  checkFasterOrders: op(fasterOrdersRequest, fasterOrdersCheckDto),
} satisfies Record<IpcMethod, Operation>

export type Contract = typeof contract
export type RequestOf<M extends IpcMethod> = z.input<Contract[M]['request']>
export type ParsedRequestOf<M extends IpcMethod> = z.output<Contract[M]['request']>
export type ResponseOf<M extends IpcMethod> = z.output<Contract[M]['response']>

/** The API the preload exposes as window.api: one method per operation. */
export type LastUnitApi = {
  [M in IpcMethod]: (request: RequestOf<M>) => Promise<IpcResult<ResponseOf<M>>>
} & {
  /** Subscribes to batched engine events; returns the unsubscribe function. */
  onEvents(listener: (events: unknown[]) => void): () => void
}
