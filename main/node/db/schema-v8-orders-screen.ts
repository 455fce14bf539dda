// Schema 8: what the orders and full-resync screens read.
// - orders.odoo_order_name: the sale order's name in Odoo ("S00042"), read once the order is in Odoo, so
//   the seller finds it there by the name Odoo shows.
// - resync_baseline: what each listing showed before a full resync started, so the run can say at the end
//   how many listings it changed, left as they were, or could not update.
export const SCHEMA_V8_ORDERS_SCREEN = /* sql */ `
ALTER TABLE orders ADD COLUMN odoo_order_name TEXT;
CREATE INDEX orders_seen_at ON orders(seen_at);
CREATE INDEX order_lines_product ON order_lines(product_id);

CREATE TABLE resync_baseline (
  run_id INTEGER NOT NULL REFERENCES resync_runs(id) ON DELETE CASCADE,
  channel_id TEXT NOT NULL,
  listing_id TEXT NOT NULL,
  quantity INTEGER,
  action TEXT,
  PRIMARY KEY (run_id, channel_id, listing_id)
) STRICT;
`
