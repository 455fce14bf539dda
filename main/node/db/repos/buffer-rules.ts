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
