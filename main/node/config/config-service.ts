// Importing and exporting the configuration file. An import is all or nothing: every problem is reported
// with its JSON path, and the database is changed only when there are none (one transaction).
import type { Database } from 'better-sqlite3'
import {
  CONFIG_FORMAT_VERSION,
  type ConfigFile,
  type ConfigProblem,
  jsonPath,
  validateConfig,
  type BufferRuleConfig,
} from '../../../shared/config-schema'
import type { SecretVault } from '../../core/ports/secret-vault'
import { listChannels } from '../db/repos/channels'
import { credentialNames, storeCredential, type CredentialOwner } from '../db/repos/credentials'
import { getOdooConnection, saveOdooConnection } from '../db/repos/odoo-connection'
import { listMappings, putMapping } from '../db/repos/mappings'
import { listBufferRules, replaceBufferRules, type BufferRuleRow } from '../db/repos/buffer-rules'
import { channelLocations, setChannelLocations } from '../db/repos/location-rules'
import { defaultBaseUrl } from './channel-defaults'
import { clearOdooKeyIfMoved, saveChannelBoundCredentials } from './credential-binding'
import { decodeUtf8Strict, duplicateJsonKey, stripBom } from './strict-text'
import { insecureAddressProblem } from '../../../shared/credential-address'

export interface ImportOutcome {
  applied: boolean
  problems: ConfigProblem[]
  summary: string
}

export interface ImportOptions {
  /**
   * The environment `{"env": "NAME"}` references are read from: the command line passes its own. Without
   * it (the API the renderer and the preview use) such a reference is refused: the main process's
   * environment holds the vault key and other secrets no page may ask for.
   */
  env?: Record<string, string | undefined>
  /** Validate only; change nothing. */
  dryRun?: boolean
}

const parseJson = (text: string): { ok: true; doc: unknown } | { ok: false; problem: ConfigProblem } => {
  try {
    const doc = JSON.parse(text) as unknown
    // JSON.parse keeps the last of two equal keys: a second "baseUrl" must not win unseen.
    const dup = duplicateJsonKey(text)
    if (dup)
      return {
        ok: false,
        problem: { path: dup.path, message: `is written twice in the same object; keep one "${dup.key}"` },
      }
    return { ok: true, doc }
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e)
    const pos = /position (\d+)/.exec(msg)
    let where = ''
    if (pos) {
      const offset = Number(pos[1])
      const before = text.slice(0, offset)
      const line = before.split('\n').length
      const col = offset - before.lastIndexOf('\n')
      where = ` at line ${line}, column ${col}`
    }
    return { ok: false, problem: { path: '$', message: `is not valid JSON${where}: ${msg}` } }
  }
}

const ruleRow = (r: BufferRuleConfig): Omit<BufferRuleRow, 'id'> => ({
  scope: r.scope,
  velocityClass: r.scope === 'velocity_class' ? r.velocityClass : null,
  channelId: r.scope === 'channel' || r.scope === 'product_channel' ? r.channel : null,
  productId: r.scope === 'product' || r.scope === 'product_channel' ? r.productId : null,
  buffer: r.buffer,
  startsOn: r.scope === 'peak' ? r.from : null,
  endsOn: r.scope === 'peak' ? r.to : null,
  note: r.scope === 'peak' ? (r.note ?? null) : null,
})

export function importConfig(
  db: Database,
  vault: SecretVault,
  input: string | Uint8Array,
  opts: ImportOptions = {},
): ImportOutcome {
  const env = opts.env
  let text: string
  if (typeof input === 'string') text = stripBom(input)
  else {
    const decoded = decodeUtf8Strict(input)
    if (!decoded.ok)
      return {
        applied: false,
        problems: [{ path: '$', message: decoded.message }],
        summary: 'Nothing was changed.',
      }
    text = decoded.text
  }
  const parsed = parseJson(text)
  if (!parsed.ok) return { applied: false, problems: [parsed.problem], summary: 'Nothing was changed.' }
  const v = validateConfig(parsed.doc)
  if (!v.ok) return { applied: false, problems: v.problems, summary: 'Nothing was changed.' }
  const cfg = v.config
  const problems: ConfigProblem[] = []

  // References to channels may point at channels in the file or already in the database.
  const known = new Set([...listChannels(db).map((c) => c.id), ...cfg.channels.map((c) => c.id)])
  cfg.bufferRules.forEach((r, i) => {
    if ((r.scope === 'channel' || r.scope === 'product_channel') && !known.has(r.channel))
      problems.push({
        path: jsonPath(['bufferRules', i, 'channel']),
        message: `no channel with id "${r.channel}"`,
      })
  })
  cfg.mappings.forEach((m, i) => {
    if (!known.has(m.channel))
      problems.push({
        path: jsonPath(['mappings', i, 'channel']),
        message: `no channel with id "${m.channel}"`,
      })
  })
  const existingMappings = new Map(
    listMappings(db).map((m) => [`${m.channelId}\u0000${m.listingId}`, m.productId]),
  )
  cfg.mappings.forEach((m, i) => {
    const current = existingMappings.get(`${m.channel}\u0000${m.listing}`)
    if (current !== undefined && current !== m.productId)
      problems.push({
        path: jsonPath(['mappings', i, 'listing']),
        message: `listing "${m.listing}" on "${m.channel}" is already mapped to product ${current}; remove that mapping first`,
      })
  })

  // Secrets: resolve environment references now, so a missing variable is reported, not stored empty.
  const secrets: { owner: CredentialOwner; name: string; value: string }[] = []
  const addSecret = (path: (string | number)[], owner: CredentialOwner, name: string, value: string) => {
    // U+FFFD is what a wrong encoding leaves behind; control characters are never part of a key.
    if (value.includes('\uFFFD') || [...value].some((ch) => ch.charCodeAt(0) < 0x20 || ch === '\u007F'))
      problems.push({
        path: jsonPath(path),
        message:
          'holds a replacement character (U+FFFD) or a control character: the value was damaged on its way (an encoding other than UTF-8?); copy it again',
      })
    else secrets.push({ owner, name, value })
  }
  const resolveSecret = (value: unknown, path: (string | number)[], owner: CredentialOwner, name: string) => {
    if (value === null || value === undefined) return
    if (typeof value === 'string') addSecret(path, owner, name, value)
    else {
      const ref = (value as { env: string }).env
      if (!env) {
        problems.push({
          path: jsonPath(path),
          message: `{"env": "${ref}"} is read from the environment only by the command line (lastunit config import); here, paste the value itself, or write null to keep the stored one`,
        })
        return
      }
      const resolved = env[ref]
      if (!resolved)
        problems.push({ path: jsonPath(path), message: `environment variable ${ref} is not set` })
      else addSecret(path, owner, name, resolved)
    }
  }
  if (cfg.odoo) {
    resolveSecret(cfg.odoo.apiKey, ['odoo', 'apiKey'], 'odoo', 'apiKey')
    if (insecureAddressProblem(cfg.odoo.url) && !cfg.odoo.allowInsecureHttp)
      problems.push({
        path: '$.odoo.url',
        message:
          'uses http:// to a non-local host: the API key would travel unencrypted. Use https:// or set allowInsecureHttp',
      })
  }
  const stored = new Map(listChannels(db).map((c) => [c.id, c]))
  cfg.channels.forEach((c, i) => {
    const before = stored.get(c.id)
    if (before && before.type !== c.type)
      problems.push({
        path: jsonPath(['channels', i, 'type']),
        message: `"${c.id}" is a ${before.type} channel; its type cannot change. Add a new channel with another id instead`,
      })
    const base = c.baseUrl ? insecureAddressProblem(c.baseUrl) : null
    if (base) problems.push({ path: jsonPath(['channels', i, 'baseUrl']), message: base })
    const tokenUrl = c.settings.tokenUrl
    const login = typeof tokenUrl === 'string' ? insecureAddressProblem(tokenUrl) : null
    if (login) problems.push({ path: jsonPath(['channels', i, 'settings', 'tokenUrl']), message: login })
    for (const [name, value] of Object.entries(c.credentials))
      resolveSecret(value, ['channels', i, 'credentials', name], `channel:${c.id}`, name)
  })

  if (problems.length > 0) return { applied: false, problems, summary: 'Nothing was changed.' }
  if (opts.dryRun)
    return { applied: false, problems: [], summary: 'The file is valid (dry run: nothing was changed).' }

  const cleared: string[] = []
  db.transaction(() => {
    if (cfg.odoo) {
      const keep = secrets.some((x) => x.owner === 'odoo')
      if (clearOdooKeyIfMoved(db, cfg.odoo.url, keep)) cleared.push('Odoo')
      saveOdooConnection(db, {
        url: cfg.odoo.url,
        database: cfg.odoo.database,
        username: cfg.odoo.username,
        transport: cfg.odoo.transport,
        allowInsecureHttp: cfg.odoo.allowInsecureHttp,
        pollIntervalMs: cfg.odoo.pollIntervalMs,
        timeoutMs: cfg.odoo.timeoutMs,
      })
    }
    for (const c of cfg.channels) {
      const typed = secrets.filter((x) => x.owner === `channel:${c.id}`).map((x) => x.name)
      const gone = saveChannelBoundCredentials(
        db,
        {
          id: c.id,
          type: c.type,
          name: c.name ?? c.id,
          baseUrl: c.baseUrl ?? defaultBaseUrl(c.type, c.environment, c.settings),
          environment: c.environment,
          settings: c.settings,
          stockBasis: c.stockBasis,
          zeroStockAction: c.zeroStockAction,
          orderImport: c.orderImport,
          odooPartnerId: c.odooPartnerId ?? null,
          odooWarehouseId: c.odooWarehouseId ?? null,
          maxPublished: c.maxPublished ?? null,
          zeroBelow: c.zeroBelow ?? null,
        },
        typed,
      )
      if (gone.length > 0) cleared.push(`"${c.id}" (${gone.join(', ')})`)
      if (c.locations.length > 0) setChannelLocations(db, c.id, c.locations)
    }
    for (const s of secrets) storeCredential(db, vault, s.owner, s.name, s.value)
    if (cfg.bufferRules.length > 0) replaceBufferRules(db, cfg.bufferRules.map(ruleRow))
    for (const m of cfg.mappings)
      putMapping(db, { channelId: m.channel, listingId: m.listing, productId: m.productId, source: 'config' })
  })()

  const parts = [
    cfg.odoo ? 'the Odoo connection' : null,
    `${cfg.channels.length} channel(s)`,
    `${cfg.bufferRules.length} buffer rule(s)`,
    `${cfg.mappings.length} mapping(s)`,
    `${secrets.length} credential(s) (encrypted)`,
  ].filter(Boolean)
  const note =
    cleared.length > 0
      ? ` The stored credentials of ${cleared.join(', ')} were cleared: the file moves them to another address, and credentials are only sent to the address they were entered for. Enter them again (in Connections, or in this file).`
      : ''
  return { applied: true, problems: [], summary: `Imported ${parts.join(', ')}.${note}` }
}

/** The current configuration as a config file. Secrets are never exported: each stored one appears as null. */
export function exportConfig(db: Database): ConfigFile {
  const odoo = getOdooConnection(db)
  const rules = listBufferRules(db)
  const toRule = (r: BufferRuleRow): BufferRuleConfig => {
    switch (r.scope) {
      case 'global':
        return { scope: 'global', buffer: r.buffer }
      case 'velocity_class':
        return { scope: 'velocity_class', velocityClass: r.velocityClass ?? 'slow', buffer: r.buffer }
      case 'channel':
        return { scope: 'channel', channel: r.channelId ?? '', buffer: r.buffer }
      case 'product':
        return { scope: 'product', productId: r.productId ?? 0, buffer: r.buffer }
      case 'product_channel':
        return {
          scope: 'product_channel',
          productId: r.productId ?? 0,
          channel: r.channelId ?? '',
          buffer: r.buffer,
        }
      case 'peak':
        return {
          scope: 'peak',
          from: r.startsOn ?? '',
          to: r.endsOn ?? '',
          buffer: r.buffer,
          ...(r.note ? { note: r.note } : {}),
        }
    }
  }
  return {
    version: CONFIG_FORMAT_VERSION,
    ...(odoo
      ? {
          odoo: {
            url: odoo.url,
            database: odoo.database,
            username: odoo.username,
            ...(credentialNames(db, 'odoo').includes('apiKey') ? { apiKey: null } : {}),
            transport: odoo.transport,
            allowInsecureHttp: odoo.allowInsecureHttp,
            pollIntervalMs: odoo.pollIntervalMs,
            timeoutMs: odoo.timeoutMs,
          },
        }
      : {}),
    channels: listChannels(db).map((c) => ({
      id: c.id,
      type: c.type,
      name: c.name,
      environment: c.environment,
      baseUrl: c.baseUrl,
      settings: c.settings,
      credentials: Object.fromEntries(credentialNames(db, `channel:${c.id}`).map((n) => [n, null])),
      stockBasis: c.stockBasis,
      zeroStockAction: c.zeroStockAction,
      orderImport: c.orderImport,
      ...(c.odooPartnerId === null ? {} : { odooPartnerId: c.odooPartnerId }),
      ...(c.odooWarehouseId === null ? {} : { odooWarehouseId: c.odooWarehouseId }),
      ...(c.maxPublished === null ? {} : { maxPublished: c.maxPublished }),
      ...(c.zeroBelow === null ? {} : { zeroBelow: c.zeroBelow }),
      locations: channelLocations(db, c.id),
    })),
    bufferRules: rules.map(toRule),
    mappings: listMappings(db).map((m) => ({
      channel: m.channelId,
      listing: m.listingId,
      productId: m.productId,
    })),
  }
}
