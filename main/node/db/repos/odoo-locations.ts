// Odoo's location tree as last read (odoo_locations), for the warehouse screen and the checklist.
import type { Database } from 'better-sqlite3'
import type { SnapshotLocation } from '../../../core/checklist'
import type { OdooLocation } from '../../../core/ports/odoo-gateway'
import { statement } from '../statement'

export interface StoredLocation {
  id: number
  name: string
  completeName: string
  usage: string
  parentId: number | null
  parentPath: string
  companyId: number | null
}

/** Replaces the stored tree with a fresh read, in one transaction. */
export function replaceOdooLocations(db: Database, locations: readonly OdooLocation[]): void {
  db.transaction(() => {
    statement(db, 'DELETE FROM odoo_locations').run()
    const ins = statement(
      db,
      `INSERT INTO odoo_locations (id, name, complete_name, usage, parent_id, parent_path, warehouse_id, company_id, active)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    for (const l of locations)
      ins.run(
        l.id,
        l.name,
        l.completeName,
        l.usage,
        l.parentId,
        l.parentPath,
        l.warehouseId,
        l.companyId,
        l.active ? 1 : 0,
      )
  })()
}

export const hasOdooLocations = (db: Database): boolean =>
  !!statement(db, 'SELECT 1 FROM odoo_locations LIMIT 1').get()

/** The active locations, by full name. */
export const activeOdooLocations = (db: Database): StoredLocation[] =>
  statement(
    db,
    `SELECT id, name, complete_name AS completeName, usage, parent_id AS parentId, parent_path AS parentPath,
       company_id AS companyId FROM odoo_locations WHERE active = 1 ORDER BY complete_name`,
  ).all() as StoredLocation[]

/** The active locations as the checklist reads them, in table order. */
export const activeLocationTree = (db: Database): SnapshotLocation[] =>
  statement(
    db,
    `SELECT id, complete_name AS completeName, usage, parent_path AS parentPath, company_id AS companyId
     FROM odoo_locations WHERE active = 1`,
  ).all() as SnapshotLocation[]
