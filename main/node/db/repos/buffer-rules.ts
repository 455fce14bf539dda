import type { Database } from 'better-sqlite3'
import { statement } from '../statement'

export type BufferScope = 'global' | 'velocity_class' | 'channel' | 'product' | 'product_channel' | 'peak'

export interface BufferRuleRow {
  id: number
  scope: BufferScope
  velocityClass: 'slow' | 'medium' | 'fast' | null
  channelId: string | null
  productId: number | null
  buffer: number
  startsOn: string | null
  endsOn: string | null
  note: string | null
}

export const listBufferRules = (db: Database): BufferRuleRow[] =>
  statement(
    db,
    `SELECT id, scope, velocity_class AS velocityClass, channel_id AS channelId, product_id AS productId, buffer,
              starts_on AS startsOn, ends_on AS endsOn, note FROM buffer_rules ORDER BY id`,
  ).all() as BufferRuleRow[]

export const insertBufferRule = (db: Database, r: Omit<BufferRuleRow, 'id'>): number =>
  Number(
    statement(
      db,
      `INSERT INTO buffer_rules (scope, velocity_class, channel_id, product_id, buffer, starts_on, ends_on, note)
         VALUES (@scope, @velocityClass, @channelId, @productId, @buffer, @startsOn, @endsOn, @note)`,
    ).run(r).lastInsertRowid,
  )

export const deleteBufferRule = (db: Database, id: number): void => {
  statement(db, 'DELETE FROM buffer_rules WHERE id = ?').run(id)
}

export const replaceBufferRules = (db: Database, rules: Omit<BufferRuleRow, 'id'>[]): void => {
  statement(db, 'DELETE FROM buffer_rules').run()
  for (const r of rules) insertBufferRule(db, r)
}

/** Deletes the rules of one scope and subject (saving a rule replaces the one it would compete with). */
export const deleteBufferRulesFor = (
  db: Database,
  r: Pick<BufferRuleRow, 'scope' | 'velocityClass' | 'channelId' | 'productId'>,
): void => {
  statement(
    db,
    `DELETE FROM buffer_rules WHERE scope = ? AND velocity_class IS ? AND channel_id IS ? AND product_id IS ?`,
  ).run(r.scope, r.velocityClass, r.channelId, r.productId)
}

/** How many peak rules cover `day` (YYYY-MM-DD). */
export const peakRulesCovering = (db: Database, day: string): number =>
  (
    statement(
      db,
      `SELECT COUNT(*) AS n FROM buffer_rules WHERE scope = 'peak' AND starts_on <= ? AND ends_on >= ?`,
    ).get(day, day) as { n: number }
  ).n

export const insertPeakRule = (
  db: Database,
  buffer: number,
  startsOn: string,
  endsOn: string,
  note: string,
): void => {
  statement(
    db,
    `INSERT INTO buffer_rules (scope, buffer, starts_on, ends_on, note) VALUES ('peak', ?, ?, ?, ?)`,
  ).run(buffer, startsOn, endsOn, note)
}

/** Deletes the peak rules with this note that start on `day` or later. */
export const deletePeakRulesFrom = (db: Database, note: string, day: string): void => {
  statement(db, `DELETE FROM buffer_rules WHERE scope = 'peak' AND note = ? AND starts_on >= ?`).run(
    note,
    day,
  )
}

/** Peak rules covering `day` end on `endsOn` instead. */
export const endPeakRulesCovering = (db: Database, day: string, endsOn: string): void => {
  statement(
    db,
    `UPDATE buffer_rules SET ends_on = ? WHERE scope = 'peak' AND starts_on <= ? AND ends_on >= ?`,
  ).run(endsOn, day, day)
}
