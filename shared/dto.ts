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
    /** An order placed on the channel is seen at most this long after (its order poll interval). */
    ordersSeenWithinMs: z.number().nullable(),
    /**
     * The seller's order queue ("Faster orders"), when the channel has one: up (orders within seconds; the
     * measured median from order to pending), or down with the reason (orders seen within ordersSeenWithinMs).
     */
    orderQueue: z
      .object({
        state: z.enum(['starting', 'up', 'down']),
        reason: z.string().nullable(),
        orderToPendingMs: z.number().nullable(),
      })
      .strict()
      .nullable()
      .optional(),
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

/** The last connection test of Odoo or of a channel, as stored: its result and when it ran. */
export const connectionTestRecordDto = z
  .object({
    ok: z.boolean(),
    message: z.string(),
    hint: z.string().nullable(),
    /** The test ran on values typed in the form but not saved. */
    unsaved: z.boolean(),
    at: z.number(),
  })
  .strict()
export type ConnectionTestRecordDto = z.infer<typeof connectionTestRecordDto>

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
    /** Amazon and bol.com: the order queue's settings ("Faster orders"), each with whether it is set. */
    queueCredentials: z.array(credentialStateDto).optional(),
    odooPartnerId: z.number().int().nullable(),
    odooWarehouseId: z.number().int().nullable(),
    maxPublished: z.number().int().nullable(),
    zeroBelow: z.number().int().nullable(),
    lastTest: connectionTestRecordDto.nullable(),
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
    lastTest: connectionTestRecordDto.nullable(),
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
      /** Per channel: listings done of its total (never backwards) and the time it still needs. */
      progress: z
        .array(
          z
            .object({
              channelId: z.string(),
              total: z.number().int(),
              done: z.number().int(),
              etaMs: z.number().nullable(),
            })
            .strict(),
        )
        .optional(),
    })
    .strict(),
])
export type EngineEventDto = z.infer<typeof engineEventDto>

export const matchReason = z.enum(['manual', 'sku', 'ean', 'channel_id', 'csv', 'config'])

/** One channel listing and the Odoo product it is mapped to (null: unmapped, so it does not sync). */
export const mappingRowDto = z
  .object({
    channelId: z.string(),
    listingId: z.string(),
    sku: z.string().nullable(),
    ean: z.string().nullable(),
    title: z.string(),
    productId: z.number().int().nullable(),
    productName: z.string().nullable(),
    productSku: z.string().nullable(),
    source: matchReason.nullable(),
    /** What LastUnit last published on the listing (null: nothing yet), and whether the listing is paused. */
    published: z.number().int().nullable().optional(),
    publishedPaused: z.boolean().optional(),
    /** How that figure stands: waiting to send, sent, confirmed by the channel, refused, blocked. */
    publishedStatus: z.string().nullable().optional(),
  })
  .strict()
export type MappingRowDto = z.infer<typeof mappingRowDto>

export const productDto = z
  .object({
    id: z.number().int(),
    name: z.string(),
    sku: z.string().nullable(),
    ean: z.string().nullable(),
    /** On how many listings it is mapped. */
    listings: z.number().int(),
  })
  .strict()
export type ProductDto = z.infer<typeof productDto>

export const mappingsDto = z.object({ rows: z.array(mappingRowDto), products: z.array(productDto) }).strict()
export type MappingsDto = z.infer<typeof mappingsDto>

export const autoMatchDto = z
  .object({
    matched: z.number().int(),
    bySku: z.number().int(),
    byEan: z.number().int(),
    byChannelId: z.number().int(),
    ambiguous: z.array(
      z.object({ channelId: z.string(), listingId: z.string(), detail: z.string() }).strict(),
    ),
    stillUnmapped: z.number().int(),
  })
  .strict()
export type AutoMatchDto = z.infer<typeof autoMatchDto>

export const csvImportDto = z
  .object({
    /** Listings mapped or changed by the import. */
    applied: z.number().int(),
    errors: z.array(z.object({ line: z.number().int(), message: z.string() }).strict()),
    /** Mappings the import changed: from one product to another, named by SKU and name. */
    changed: z
      .array(
        z
          .object({
            line: z.number().int(),
            channelId: z.string(),
            listingId: z.string(),
            from: z.string(),
            to: z.string(),
          })
          .strict(),
      )
      .optional(),
    /** Rows naming the product the listing was already mapped to. */
    unchanged: z.number().int().optional(),
  })
  .strict()
export type CsvImportDto = z.infer<typeof csvImportDto>

export const velocityClassDto = z.enum(['slow', 'medium', 'fast'])

export const bufferRuleDto = z
  .object({
    id: z.number().int(),
    scope: z.enum(['global', 'velocity_class', 'channel', 'product', 'product_channel', 'peak']),
    velocityClass: velocityClassDto.nullable(),
    channelId: z.string().nullable(),
    productId: z.number().int().nullable(),
    buffer: z.number().int(),
    startsOn: z.string().nullable(),
    endsOn: z.string().nullable(),
    note: z.string().nullable(),
  })
  .strict()
export type BufferRuleDto = z.infer<typeof bufferRuleDto>

export const listingBufferDto = z
  .object({
    channelId: z.string(),
    /** What the rules give this listing now. */
    buffer: z.number().int(),
    /** The buffer policy's recommendation for it. */
    recommended: z.number().int(),
    /** The chance, per sell-out, that it still shows a unit sold elsewhere, with the recommended buffer. */
    oversellRisk: z.number(),
    explanation: z.string(),
  })
  .strict()
export type ListingBufferDto = z.infer<typeof listingBufferDto>

export const productBufferDto = z
  .object({
    productId: z.number().int(),
    name: z.string(),
    sku: z.string().nullable(),
    salesPerDay: z.number(),
    velocityClass: velocityClassDto,
    /** The velocity class default (0, 1, 2). */
    classDefault: z.number().int(),
    /** The buffer the rules give it (on its first listed channel), with the rules' own words. */
    buffer: z.number().int(),
    bufferExplanation: z.string(),
    /** Every unit of that buffer in words. */
    bufferWords: z.array(z.string()).optional(),
    /** The largest recommendation over its listings. */
    recommended: z.number().int(),
    /** The largest risk over its listings with the recommended buffers. */
    oversellRisk: z.number(),
    /** Units held back, weighted by each channel's share of the sales. */
    salesCostUnits: z.number(),
    recommendedExplanation: z.string(),
    /** Each listing: the buffer it holds and the one recommended. */
    listings: z.array(listingBufferDto),
  })
  .strict()
export type ProductBufferDto = z.infer<typeof productBufferDto>

/** What the recommendation counts for each channel. */
export const bufferChannelDto = z
  .object({
    channelId: z.string(),
    name: z.string(),
    /** An order there is seen at most this long after it is placed. */
    orderDetectionMs: z.number(),
    /** The longest push latency counted (measured p99 when sync runs, else the default). */
    pushLatencyMs: z.number(),
    /** The longest time the marketplace takes to show an accepted figure (Amazon: minutes). */
    applyDelayMs: z.number(),
    measured: z.boolean(),
  })
  .strict()

export const buffersDto = z
  .object({
    rules: z.array(bufferRuleDto),
    products: z.array(productBufferDto),
    channels: z.array(bufferChannelDto),
    targetRisk: z.number(),
  })
  .strict()
export type BuffersDto = z.infer<typeof buffersDto>

/**
 * Apply's answer: applied (the rules saved), or a question when a listing would go below its velocity
 * class default; asked again with `confirm: true`, it applies.
 */
export const applyBufferResultDto = z
  .object({
    status: z.enum(['applied', 'needs_confirmation']),
    rules: z.array(bufferRuleDto),
    lowered: z.array(
      z
        .object({
          channelId: z.string(),
          channelName: z.string(),
          current: z.number().int(),
          classDefault: z.number().int(),
          recommended: z.number().int(),
        })
        .strict(),
    ),
    message: z.string(),
  })
  .strict()
export type ApplyBufferResultDto = z.infer<typeof applyBufferResultDto>

export const listingExplanationDto = z
  .object({
    channelId: z.string(),
    listingId: z.string(),
    productId: z.number().int(),
    quantity: z.number().int(),
    explanation: z.string(),
    status: z.string().nullable(),
    blockedReason: z.string().nullable(),
    /** The listing as the seller knows it. */
    channelName: z.string().optional(),
    sku: z.string().nullable().optional(),
    productName: z.string().nullable().optional(),
    /** Each term of the figure, defined where it is used; the buffer with every unit accounted for. */
    terms: z
      .array(
        z
          .object({
            key: z.enum(['basis', 'pending', 'buffer', 'published']),
            label: z.string(),
            value: z.number(),
            words: z.string(),
            parts: z.array(z.string()).optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict()
export type ListingExplanationDto = z.infer<typeof listingExplanationDto>

export const locationDto = z
  .object({
    id: z.number().int(),
    name: z.string(),
    completeName: z.string(),
    usage: z.string(),
    parentId: z.number().int().nullable(),
    depth: z.number().int(),
    companyId: z.number().int().nullable(),
    selected: z.boolean(),
    /** Why this location is a problem when chosen, in plain words; null when fine. */
    flag: z.enum(['double_counted', 'not_internal', 'other_company']).nullable(),
  })
  .strict()
export type LocationDto = z.infer<typeof locationDto>

export const warehousesDto = z
  .object({ channelId: z.string(), locations: z.array(locationDto), problems: z.array(z.string()) })
  .strict()
export type WarehousesDto = z.infer<typeof warehousesDto>

export const resyncRunDto = z
  .object({
    runId: z.number().int(),
    state: z.enum(['running', 'done', 'cancelled', 'failed']),
    total: z.number().int(),
    done: z.number().int(),
    etaMs: z.number().nullable(),
    channels: z.array(z.string()).nullable(),
    startedAt: z.number(),
    finishedAt: z.number().nullable(),
    /** True once the estimate comes from each channel's measured pace (not only its declared limits). */
    etaMeasured: z.boolean().optional(),
    /** One bar per channel: done never goes backwards. */
    progress: z
      .array(
        z
          .object({
            channelId: z.string(),
            name: z.string(),
            total: z.number().int(),
            done: z.number().int(),
            etaMs: z.number().nullable(),
          })
          .strict(),
      )
      .optional(),
    /** Once the run ended: per channel, listings changed, left as they were, failed, still open. */
    summary: z
      .array(
        z
          .object({
            channelId: z.string(),
            name: z.string(),
            changed: z.number().int(),
            unchanged: z.number().int(),
            failed: z.number().int(),
            open: z.number().int(),
          })
          .strict(),
      )
      .nullable()
      .optional(),
    error: z.string().nullable().optional(),
  })
  .strict()
export type ResyncRunDto = z.infer<typeof resyncRunDto>

export const resyncOverviewDto = z
  .object({
    run: resyncRunDto.nullable(),
    estimate: z
      .array(
        z.object({ channelId: z.string(), listings: z.number().int(), estimatedMs: z.number() }).strict(),
      )
      .nullable(),
    awaitingConfirmation: z.array(z.string()),
    /** Every configured channel: whether a resync can include it now, and why not when it cannot. */
    channels: z
      .array(
        z
          .object({
            channelId: z.string(),
            name: z.string(),
            live: z.boolean(),
            reason: z.string().nullable(),
          })
          .strict(),
      )
      .optional(),
    /** Why the channels asked for cannot be resynced (not live, sync not running); null when they can. */
    unavailable: z.string().nullable().optional(),
  })
  .strict()
export type ResyncOverviewDto = z.infer<typeof resyncOverviewDto>

export const firstPushReviewDto = z
  .object({
    channelId: z.string(),
    hold: z.boolean(),
    reason: z.string(),
    diff: z.array(
      z
        .object({
          listingId: z.string(),
          before: z.number().nullable(),
          after: z.number(),
          sku: z.string().nullable().optional(),
          productName: z.string().nullable().optional(),
        })
        .strict(),
    ),
    channelName: z.string().optional(),
    /** setup: a dry run of what going live sends; live: what a push sends now (or what the guard holds). */
    channelState: z.enum(['setup', 'live', 'disabled']).optional(),
  })
  .strict()
export type FirstPushReviewDto = z.infer<typeof firstPushReviewDto>

/** One pre-launch check of a channel, with its evidence and the fix. */
export const checkResultDto = z
  .object({
    id: z.string(),
    title: z.string(),
    why: z.string(),
    status: z.enum(['pass', 'fail', 'warn', 'not_run', 'overridden']),
    evidence: z.string(),
    fix: z.string().nullable(),
    screen: z.enum(['connections', 'dashboard', 'buffers', 'checklist', 'mapping', 'warehouses', 'log']),
    checkedAt: z.number(),
    stale: z.boolean(),
    overrideReason: z.string().nullable(),
  })
  .strict()
export type CheckResultDto = z.infer<typeof checkResultDto>

export const checklistRunDto = z
  .object({
    channelId: z.string(),
    channelName: z.string(),
    channelState: z.enum(['setup', 'live', 'disabled']),
    passed: z.boolean(),
    results: z.array(checkResultDto),
  })
  .strict()
export type ChecklistRunDto = z.infer<typeof checklistRunDto>

export const checklistTestDto = z
  .object({ passed: z.boolean(), steps: z.array(z.string()), run: checklistRunDto })
  .strict()
export type ChecklistTestDto = z.infer<typeof checklistTestDto>

export const goLiveDto = z.object({ live: z.boolean(), message: z.string(), run: checklistRunDto }).strict()
export type GoLiveDto = z.infer<typeof goLiveDto>

// ---- Orders, dashboard, live log, checklist progress (the seller's screens, issue #22) -------------------

export const orderStateDto = z.enum(['pending', 'in_odoo', 'cancelled', 'blocked', 'not_imported'])
export type OrderStateDto = z.infer<typeof orderStateDto>

export const orderLineDto = z
  .object({
    lineId: z.string(),
    listingId: z.string().nullable(),
    sku: z.string().nullable(),
    productId: z.number().int().nullable(),
    productSku: z.string().nullable(),
    productName: z.string().nullable(),
    quantity: z.number().int(),
    cancelledQuantity: z.number().int(),
    /** Units LastUnit still holds back on every channel until Odoo reserves them. */
    pendingQuantity: z.number().int(),
  })
  .strict()
export type OrderLineDto = z.infer<typeof orderLineDto>

export const orderRowDto = z
  .object({
    channelId: z.string(),
    channelName: z.string(),
    channelType: z.enum(CHANNEL_TYPES),
    orderId: z.string(),
    /** The marketplace's own status (open, shipped, cancelled). */
    channelStatus: z.string(),
    state: orderStateDto,
    odooOrderId: z.number().int().nullable(),
    /** The sale order's name in Odoo ("S00042"); null until read. */
    odooOrderName: z.string().nullable(),
    createdAt: z.string(),
    seenAt: z.number(),
    /** Where the order stands, in a sentence. */
    detail: z.string(),
    /** For a blocked order: why, and what fixes it. */
    reason: z.string().nullable(),
    fix: z.string().nullable(),
    fixScreen: z.enum(['mapping', 'connections', 'log']).nullable(),
    lines: z.array(orderLineDto),
  })
  .strict()
export type OrderRowDto = z.infer<typeof orderRowDto>

export const orderFiguresDto = z
  .object({
    ordersToday: z.number().int(),
    unitsToday: z.number().int(),
    inOdooToday: z.number().int(),
    waitingForOdoo: z.number().int(),
    blocked: z.number().int(),
    oversellsPrevented: z.number().int(),
    oversellsDetected: z.number().int(),
  })
  .strict()
export type OrderFiguresDto = z.infer<typeof orderFiguresDto>

export const ordersDto = z
  .object({ rows: z.array(orderRowDto), total: z.number().int(), figures: orderFiguresDto })
  .strict()
export type OrdersDto = z.infer<typeof ordersDto>

/** An alert as the dashboard shows it: once, named the way the seller knows it, with the action to take. */
export const alertViewDto = z
  .object({
    key: z.string(),
    severity: z.enum(['info', 'warning', 'critical']),
    title: z.string(),
    message: z.string(),
    action: z.string(),
    screen: z.enum([
      'dashboard',
      'connections',
      'mapping',
      'buffers',
      'warehouses',
      'log',
      'orders',
      'checklist',
      'resync',
    ]),
    channelId: z.string().nullable(),
    raisedAt: z.number(),
  })
  .strict()
export type AlertViewDto = z.infer<typeof alertViewDto>

export const dashboardDto = z
  .object({
    figures: orderFiguresDto,
    alerts: z.array(alertViewDto),
    /** Odoo's trouble in plain words, with what to do; null while Odoo answers. */
    odooProblem: z.string().nullable(),
  })
  .strict()
export type DashboardDto = z.infer<typeof dashboardDto>

export const logLineDto = z
  .object({
    id: z.number().int(),
    at: z.number(),
    level: logLevel,
    kind: z.string(),
    channelId: z.string().nullable(),
    channelName: z.string().nullable(),
    listingId: z.string().nullable(),
    productId: z.number().int().nullable(),
    sku: z.string().nullable(),
    productName: z.string().nullable(),
    status: z.string().nullable(),
    /** The status in words ("confirmed", "waiting to send"). */
    statusLabel: z.string().nullable(),
    /** The line in plain words. */
    text: z.string(),
    /** The line as the engine wrote it (for support and the export). */
    message: z.string(),
  })
  .strict()
export type LogLineDto = z.infer<typeof logLineDto>

export const logPageDto = z
  .object({
    rows: z.array(logLineDto),
    /** More lines match the filter beyond this page. */
    hasMore: z.boolean(),
    /** The oldest line kept (the history goes back this far). */
    oldestAt: z.number().nullable(),
  })
  .strict()
export type LogPageDto = z.infer<typeof logPageDto>

export const checklistProgressDto = z
  .object({
    running: z.boolean(),
    startedAt: z.number().nullable(),
    /** How long a run of this channel's checks is expected to take. */
    expectedMs: z.number(),
    steps: z.array(z.object({ label: z.string(), state: z.enum(['waiting', 'running', 'done']) }).strict()),
  })
  .strict()
export type ChecklistProgressDto = z.infer<typeof checklistProgressDto>

export const returnTestDto = z
  .object({
    state: z.enum(['idle', 'waiting', 'passed', 'failed']),
    productId: z.number().int().nullable(),
    sku: z.string().nullable(),
    productName: z.string().nullable(),
    /** The channels that must show the returned unit. */
    listedOn: z.array(z.string()),
    startedAt: z.number().nullable(),
    timeoutMs: z.number(),
    steps: z.array(z.string()),
    run: checklistRunDto.nullable(),
  })
  .strict()
export type ReturnTestDto = z.infer<typeof returnTestDto>

export const zeroStockCandidateDto = z
  .object({
    listingId: z.string(),
    sku: z.string().nullable(),
    productName: z.string().nullable(),
    /** What LastUnit last published there. */
    published: z.number().int().nullable(),
  })
  .strict()
export type ZeroStockCandidateDto = z.infer<typeof zeroStockCandidateDto>
