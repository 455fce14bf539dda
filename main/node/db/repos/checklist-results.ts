// checklist_results: one row per (channel, check), the latest result with the time and the hash of the
// configuration it covered.
import type { Database } from 'better-sqlite3'
import { CHECK_IDS, type CheckId, type CheckStatus, type StoredCheckResult } from '../../../core/checklist'
import { statement } from '../statement'

interface Raw {
  check_id: string
  status: CheckStatus
  evidence: string
  config_hash: string
  checked_at: number
  override_reason: string | null
}

const isCheckId = (x: string): x is CheckId => (CHECK_IDS as readonly string[]).includes(x)

export function readStoredResults(
  db: Database,
  channelId: string,
): Partial<Record<CheckId, StoredCheckResult>> {
  const rows = statement(
    db,
    'SELECT check_id, status, evidence, config_hash, checked_at, override_reason FROM checklist_results WHERE channel_id = ?',
  ).all(channelId) as Raw[]
  const out: Partial<Record<CheckId, StoredCheckResult>> = {}
  for (const r of rows) {
    if (!isCheckId(r.check_id)) continue
    out[r.check_id] = {
      checkId: r.check_id,
      status: r.status,
      evidence: r.evidence,
      configHash: r.config_hash,
      checkedAt: r.checked_at,
      overrideReason: r.override_reason,
    }
  }
  return out
}

export function saveResult(db: Database, channelId: string, r: StoredCheckResult): void {
  statement(
    db,
    `INSERT INTO checklist_results (channel_id, check_id, status, evidence, config_hash, checked_at, override_reason)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (channel_id, check_id) DO UPDATE SET status = excluded.status, evidence = excluded.evidence,
       config_hash = excluded.config_hash, checked_at = excluded.checked_at, override_reason = excluded.override_reason`,
  ).run(channelId, r.checkId, r.status, r.evidence, r.configHash, r.checkedAt, r.overrideReason)
}
