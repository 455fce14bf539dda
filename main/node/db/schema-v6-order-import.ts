// Schema 6: the order import's own tables. What was sent to Odoo for an order (the lines and the revision
// of its sale order, and an older revision's order still to cancel), and the retries of orders Odoo
// refused. Versions before 6 created them on first use, outside the migrations; IF NOT EXISTS lets such a
// database upgrade keeping its rows (their shape has not changed since).
export const SCHEMA_V6_ORDER_IMPORT = /* sql */ `
CREATE TABLE IF NOT EXISTS order_import_odoo (
  channel_id TEXT NOT NULL,
  order_id TEXT NOT NULL,
  revision INTEGER NOT NULL DEFAULT 1,
  sent_lines TEXT,
  -- An older revision's sale order still to cancel once its replacement is confirmed.
  cancel_ref TEXT,
  PRIMARY KEY (channel_id, order_id),
  FOREIGN KEY (channel_id, order_id) REFERENCES orders(channel_id, order_id) ON DELETE CASCADE
) STRICT;

CREATE TABLE IF NOT EXISTS order_import_retry (
  channel_id TEXT NOT NULL,
  order_id TEXT NOT NULL,
  -- Where a retry resumes: the import state the order was in when Odoo refused it.
  resume_state TEXT,
  attempts INTEGER NOT NULL,
  first_failed_at INTEGER NOT NULL,
  next_retry_at INTEGER NOT NULL,
  PRIMARY KEY (channel_id, order_id),
  FOREIGN KEY (channel_id, order_id) REFERENCES orders(channel_id, order_id) ON DELETE CASCADE
) STRICT;
`
