// SKU mapping: every listing fetched from the channels against its Odoo product, auto-match, manual
// mapping, CSV import (each row checked, bad rows reported by line) and export.
import type { Database } from 'better-sqlite3'
import type { MappingRowDto, MappingsDto } from '../../../../shared/dto'
import { autoMatch, type MatchListing } from '../../../core/mapping/auto-match'
import { MAPPING_CSV_HEADER, parseMappingCsv, toCsv } from '../../../core/mapping/mapping-csv'
import { planMappingImport } from '../../../core/mapping/mapping-import'
import { deleteMapping, putMapping, DuplicateMappingError } from '../../db/repos/mappings'
import {
  mappingImportContext,
  mappingOf,
  productLabel,
  publishedByListing,
} from '../../db/repos/mapping-view'
import { getChannel } from '../../db/repos/channels'
import type { AppServices } from '../app-services'
import { HandlerError } from '../handler-error'
import type { Handlers } from '../handlers'

const ROW_SQL = `SELECT l.channel_id AS channelId, l.listing_id AS listingId, l.sku, l.ean, l.title,
    m.product_id AS productId, p.name AS productName, p.default_code AS productSku, m.source
  FROM listings l
  LEFT JOIN sku_mappings m ON m.channel_id = l.channel_id AND m.listing_id = l.listing_id
  LEFT JOIN products p ON p.id = m.product_id`

const mappingRows = (db: Database): MappingRowDto[] => {
  const listed = db.prepare(`${ROW_SQL} ORDER BY l.channel_id, l.listing_id`).all() as MappingRowDto[]
  // Mappings imported for listings not fetched (yet) still show, so nothing is hidden from the seller.
  const orphans = db
    .prepare(
      `SELECT m.channel_id AS channelId, m.listing_id AS listingId, NULL AS sku, NULL AS ean, '' AS title,
         m.product_id AS productId, p.name AS productName, p.default_code AS productSku, m.source
       FROM sku_mappings m LEFT JOIN products p ON p.id = m.product_id
       WHERE NOT EXISTS (SELECT 1 FROM listings l WHERE l.channel_id = m.channel_id AND l.listing_id = m.listing_id)`,
    )
    .all() as MappingRowDto[]
  return [...listed, ...orphans]
}

const products = (db: Database): MappingsDto['products'] =>
  db
    .prepare(
      `SELECT p.id, p.name, p.default_code AS sku, p.barcode AS ean,
         (SELECT COUNT(*) FROM sku_mappings m WHERE m.product_id = p.id) AS listings
       FROM products p WHERE p.active = 1 ORDER BY p.default_code, p.id`,
    )
    .all() as MappingsDto['products']

const oneRow = (db: Database, channelId: string, listingId: string): MappingRowDto => {
  const r = db.prepare(`${ROW_SQL} WHERE l.channel_id = ? AND l.listing_id = ?`).get(channelId, listingId) as
    MappingRowDto | undefined
  if (r) return r
  const m = mappingRows(db).find((x) => x.channelId === channelId && x.listingId === listingId)
  if (!m) throw new HandlerError('not_found', `There is no listing "${listingId}" on ${channelId}.`)
  return m
}

const productExists = (db: Database, id: number) =>
  !!db.prepare('SELECT 1 FROM products WHERE id = ?').get(id)

export function mappingHandlers(
  s: AppServices,
): Pick<
  Handlers,
  | 'listMappings'
  | 'refreshListings'
  | 'autoMatch'
  | 'setMapping'
  | 'removeMapping'
  | 'importMappingsCsv'
  | 'exportMappingsCsv'
  | 'restoreMapping'
> {
  // Mappings are catalogue, not connection settings: the engine reloads them without a restart.
  const changed = async () => {
    await s.engine()?.reloadConfig()
  }
  return {
    listMappings: async () => {
      // What LastUnit last published on each listing, beside its mapping.
      const published = publishedByListing(s.db)
      const rows = mappingRows(s.db).map((r) => {
        const p = published.get(`${r.channelId}\u0000${r.listingId}`)
        return p
          ? { ...r, published: p.quantity, publishedPaused: p.paused, publishedStatus: p.status }
          : { ...r, published: null, publishedStatus: null }
      })
      return { rows, products: products(s.db) }
    },
    refreshListings: async (req) => {
      if (!s.refreshListings)
        throw new HandlerError('unavailable', 'Listings cannot be fetched in this build.')
      return s.refreshListings(req.channelId)
    },
    autoMatch: async (req) => {
      const db = s.db
      const unmapped = db
        .prepare(
          `SELECT l.channel_id AS channelId, l.listing_id AS listingId, l.sku, l.ean, l.external_ids AS ext
           FROM listings l WHERE NOT EXISTS (SELECT 1 FROM sku_mappings m WHERE m.channel_id = l.channel_id
             AND m.listing_id = l.listing_id) ${req.channelId ? 'AND l.channel_id = ?' : ''}`,
        )
        .all(...(req.channelId ? [req.channelId] : [])) as Array<{
        channelId: string
        listingId: string
        sku: string | null
        ean: string | null
        ext: string
      }>
      const prods = db
        .prepare('SELECT id, default_code AS defaultCode, barcode FROM products WHERE active = 1')
        .all() as Array<{ id: number; defaultCode: string | null; barcode: string | null }>
      const byChannel = new Map<string, MatchListing[]>()
      for (const u of unmapped) {
        let ext: Record<string, string> = {}
        try {
          const parsed = JSON.parse(u.ext) as Record<string, unknown>
          ext = Object.fromEntries(
            Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'),
          )
        } catch {
          // A listing whose ids cannot be read still matches by SKU and EAN.
        }
        const list = byChannel.get(u.channelId) ?? []
        list.push({ listingId: u.listingId, sku: u.sku, ean: u.ean, externalIds: ext })
        byChannel.set(u.channelId, list)
      }
      const out = { matched: 0, bySku: 0, byEan: 0, byChannelId: 0, ambiguous: [] as MatchAmbiguous[] }
      db.transaction(() => {
        for (const [channelId, listings] of byChannel) {
          const r = autoMatch(listings, prods)
          for (const m of r.matches) {
            putMapping(db, { channelId, listingId: m.listingId, productId: m.productId, source: m.reason })
            out.matched++
            if (m.reason === 'sku') out.bySku++
            else if (m.reason === 'ean') out.byEan++
            else out.byChannelId++
          }
          for (const a of r.ambiguous) out.ambiguous.push({ channelId, ...a })
        }
      })()
      if (out.matched > 0) await changed()
      return { ...out, stillUnmapped: unmapped.length - out.matched }
    },
    setMapping: async (req) => {
      if (!getChannel(s.db, req.channelId))
        throw new HandlerError('not_found', `There is no channel "${req.channelId}".`)
      if (!productExists(s.db, req.productId))
        throw new HandlerError('not_found', `Odoo product ${req.productId} is not known to LastUnit.`)
      try {
        putMapping(
          s.db,
          { channelId: req.channelId, listingId: req.listingId, productId: req.productId, source: 'manual' },
          { replace: req.replace },
        )
      } catch (e) {
        if (e instanceof DuplicateMappingError)
          throw new HandlerError('conflict', e.message, 'Choose "Replace" to map it to the new product.')
        throw e
      }
      await changed()
      return oneRow(s.db, req.channelId, req.listingId)
    },
    removeMapping: async (req) => {
      const previous = mappingOf(s.db, req.channelId, req.listingId)
      deleteMapping(s.db, req.channelId, req.listingId)
      if (previous) await changed()
      return { removed: previous !== null, previous }
    },
    restoreMapping: async (req) => {
      if (!getChannel(s.db, req.channelId))
        throw new HandlerError('not_found', `There is no channel "${req.channelId}".`)
      if (!productExists(s.db, req.productId))
        throw new HandlerError('not_found', `Odoo product ${req.productId} is not known to LastUnit.`)
      // Undo of an unmap: the mapping comes back as it was, with how it was made.
      putMapping(
        s.db,
        { channelId: req.channelId, listingId: req.listingId, productId: req.productId, source: req.source },
        { replace: true },
      )
      await changed()
      return oneRow(s.db, req.channelId, req.listingId)
    },
    importMappingsCsv: async (req) => {
      const db = s.db
      const parsed = parseMappingCsv(req.csv)
      // Each row is checked first: the listing must exist on the channel (as fetched), the product in Odoo.
      const plan = planMappingImport(parsed.rows, mappingImportContext(db))
      const errors = [...parsed.errors, ...plan.errors]
      const changes: Array<{ line: number; channelId: string; listingId: string; from: string; to: string }> =
        []
      let applied = 0
      let unchanged = 0
      db.transaction(() => {
        for (const r of plan.rows) {
          if (r.change === 'same') {
            unchanged++
            continue
          }
          putMapping(
            db,
            { channelId: r.channelId, listingId: r.listingId, productId: r.productId, source: 'csv' },
            { replace: true },
          )
          applied++
          if (r.change === 'changed' && r.previous !== null)
            changes.push({
              line: r.line,
              channelId: r.channelId,
              listingId: r.listingId,
              from: productLabel(db, r.previous),
              to: productLabel(db, r.productId),
            })
        }
      })()
      errors.sort((a, b) => a.line - b.line)
      if (applied > 0) await changed()
      return { applied, errors, changed: changes, unchanged }
    },
    exportMappingsCsv: async () => {
      const rows = s.db
        .prepare(
          `SELECT m.channel_id AS c, m.listing_id AS l, p.default_code AS sku, m.product_id AS id
           FROM sku_mappings m LEFT JOIN products p ON p.id = m.product_id ORDER BY m.channel_id, m.listing_id`,
        )
        .all() as Array<{ c: string; l: string; sku: string | null; id: number }>
      return {
        csv: toCsv(
          MAPPING_CSV_HEADER,
          rows.map((r) => [r.c, r.l, r.sku, r.id]),
        ),
      }
    },
  }
}

interface MatchAmbiguous {
  channelId: string
  listingId: string
  detail: string
}
