// SKU mapping: every listing fetched from the channels against its Odoo product, auto-match, manual
// mapping, CSV import (each row checked, bad rows reported by line) and export.
import type { Database } from 'better-sqlite3'
import type { MappingRowDto, MappingsDto } from '../../../../shared/dto'
import { autoMatch, type MatchListing } from '../../../core/mapping/auto-match'
import { MAPPING_CSV_HEADER, toCsv } from '../../../core/mapping/mapping-csv'
import { parseMappingCsv } from '../../mapping/mapping-csv-parser'
import { planMappingImport } from '../../../core/mapping/mapping-import'
import {
  deleteMapping,
  putMapping,
  DuplicateMappingError,
  mappingScreenRow,
  mappingScreenRows,
  mappingsWithSku,
} from '../../db/repos/mappings'
import {
  mappingImportContext,
  mappingOf,
  productLabel,
  publishedByListing,
} from '../../db/repos/mapping-view'
import { getChannel } from '../../db/repos/channels'
import { unmappedListingsToMatch } from '../../db/repos/listings'
import { matchableProducts, productExists, productsWithListingCount } from '../../db/repos/products'
import type { HandlerContext } from '../handler-context'
import { HandlerError } from '../handler-error'
import type { Handlers } from '../handler-types'

const mappingRows = (db: Database): MappingRowDto[] => mappingScreenRows(db)

const products = (db: Database): MappingsDto['products'] => productsWithListingCount(db)

const oneRow = (db: Database, channelId: string, listingId: string): MappingRowDto => {
  const r = mappingScreenRow(db, channelId, listingId)
  if (r) return r
  const m = mappingRows(db).find((x) => x.channelId === channelId && x.listingId === listingId)
  if (!m) throw new HandlerError('not_found', `There is no listing "${listingId}" on ${channelId}.`)
  return m
}

export function mappingHandlers(
  s: HandlerContext,
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
      const unmapped = unmappedListingsToMatch(db, req.channelId)
      const prods = matchableProducts(db)
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
      const rows = mappingsWithSku(s.db)
      return {
        csv: toCsv(
          MAPPING_CSV_HEADER,
          rows.map((r) => [r.channelId, r.listingId, r.sku, r.productId]),
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
