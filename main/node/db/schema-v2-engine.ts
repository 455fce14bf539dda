// Schema 2, for the sync engine: the engine's own small key/value state (stamp counter, poll cursors,
// order watermarks), what each listing last had applied (so equal values are not re-sent and an older
// result never overwrites a newer one), in-flight markers, and when Odoo's reservation of an order
// appeared (so a pending reservation is released exactly once).
export const SCHEMA_V2_ENGINE = /* sql */ `
CREATE TABLE engine_state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

ALTER TABLE outbox ADD COLUMN inflight_stamp INTEGER;

ALTER TABLE push_state ADD COLUMN applied_quantity INTEGER;
ALTER TABLE push_state ADD COLUMN applied_action TEXT;
ALTER TABLE push_state ADD COLUMN applied_stamp INTEGER;
ALTER TABLE push_state ADD COLUMN enqueued_at INTEGER;
ALTER TABLE push_state ADD COLUMN explanation TEXT;
ALTER TABLE push_state ADD COLUMN last_error TEXT;
CREATE INDEX push_state_accepted ON push_state(channel_id, sent_at) WHERE status = 'accepted';

ALTER TABLE orders ADD COLUMN reserved_in_odoo_at INTEGER;
ALTER TABLE order_lines ADD COLUMN seen_at INTEGER;

ALTER TABLE resync_runs ADD COLUMN start_stamp INTEGER;
ALTER TABLE resync_runs ADD COLUMN error TEXT;
`
