// The first schema. Secrets are stored as ciphertext only (credentials.ciphertext); nothing else holds one.
export const SCHEMA_V1 = /* sql */ `
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE odoo_connection (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  url TEXT NOT NULL,
  database TEXT NOT NULL,
  username TEXT NOT NULL,
  transport TEXT NOT NULL DEFAULT 'auto' CHECK (transport IN ('auto', 'xmlrpc', 'json2')),
  allow_insecure_http INTEGER NOT NULL DEFAULT 0,
  timeout_ms INTEGER NOT NULL DEFAULT 30000,
  poll_interval_ms INTEGER NOT NULL DEFAULT 5000,
  poll_cursor TEXT,
  server_version TEXT,
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE TABLE channels (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL CHECK (type IN ('amazon', 'bol', 'zalando', 'kaufland', 'ebay', 'shopify', 'woocommerce')),
  name TEXT NOT NULL,
  base_url TEXT NOT NULL,
  environment TEXT NOT NULL DEFAULT 'production' CHECK (environment IN ('production', 'sandbox', 'custom')),
  settings TEXT NOT NULL DEFAULT '{}',
  stock_basis TEXT NOT NULL DEFAULT 'free' CHECK (stock_basis IN ('free', 'on_hand', 'forecast')),
  zero_stock_action TEXT NOT NULL DEFAULT 'push_zero' CHECK (zero_stock_action IN ('push_zero', 'pause')),
  order_import INTEGER NOT NULL DEFAULT 1,
  odoo_partner_id INTEGER,
  odoo_warehouse_id INTEGER,
  max_published INTEGER,
  zero_below INTEGER,
  state TEXT NOT NULL DEFAULT 'setup' CHECK (state IN ('setup', 'live', 'disabled')),
  orders_watermark TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE TABLE credentials (
  owner TEXT NOT NULL,
  name TEXT NOT NULL,
  ciphertext BLOB NOT NULL,
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (owner, name)
) STRICT;

CREATE TABLE products (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  default_code TEXT,
  barcode TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  company_id INTEGER,
  sales_per_day REAL NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX products_default_code ON products(default_code);
CREATE INDEX products_barcode ON products(barcode);

CREATE TABLE product_stock (
  product_id INTEGER NOT NULL,
  scope TEXT NOT NULL,
  on_hand REAL NOT NULL,
  reserved REAL NOT NULL,
  forecast REAL,
  computed_at INTEGER NOT NULL,
  PRIMARY KEY (product_id, scope)
) STRICT;

CREATE TABLE listings (
  channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  listing_id TEXT NOT NULL,
  sku TEXT,
  ean TEXT,
  external_ids TEXT NOT NULL DEFAULT '{}',
  title TEXT NOT NULL DEFAULT '',
  quantity INTEGER,
  paused INTEGER NOT NULL DEFAULT 0,
  fetched_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (channel_id, listing_id)
) STRICT;

CREATE TABLE sku_mappings (
  channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  listing_id TEXT NOT NULL,
  product_id INTEGER NOT NULL,
  source TEXT NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'sku', 'ean', 'channel_id', 'csv', 'config')),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (channel_id, listing_id)
) STRICT;
CREATE INDEX sku_mappings_product ON sku_mappings(product_id);

CREATE TABLE buffer_rules (
  id INTEGER PRIMARY KEY,
  scope TEXT NOT NULL CHECK (scope IN ('global', 'velocity_class', 'channel', 'product', 'product_channel', 'peak')),
  velocity_class TEXT CHECK (velocity_class IN ('slow', 'medium', 'fast')),
  channel_id TEXT REFERENCES channels(id) ON DELETE CASCADE,
  product_id INTEGER,
  buffer INTEGER NOT NULL CHECK (buffer >= 0),
  starts_on TEXT,
  ends_on TEXT,
  note TEXT
) STRICT;

CREATE TABLE location_rules (
  channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  location_id INTEGER NOT NULL,
  PRIMARY KEY (channel_id, location_id)
) STRICT;

CREATE TABLE odoo_locations (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  complete_name TEXT NOT NULL,
  usage TEXT NOT NULL,
  parent_id INTEGER,
  parent_path TEXT NOT NULL,
  warehouse_id INTEGER,
  company_id INTEGER,
  active INTEGER NOT NULL DEFAULT 1
) STRICT;

-- The durable outbox: one row per (channel, listing) holding the LATEST desired absolute quantity.
-- A newer stamp supersedes a queued older one; a row is never rewritten with an older stamp.
CREATE TABLE outbox (
  channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  listing_id TEXT NOT NULL,
  quantity INTEGER NOT NULL CHECK (quantity >= 0),
  action TEXT NOT NULL DEFAULT 'set' CHECK (action IN ('set', 'pause', 'resume')),
  stamp INTEGER NOT NULL,
  enqueued_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  explanation TEXT,
  PRIMARY KEY (channel_id, listing_id)
) STRICT;
CREATE INDEX outbox_due ON outbox(channel_id, next_attempt_at);

-- What each listing was last sent and what the channel said.
CREATE TABLE push_state (
  channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  listing_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'accepted', 'confirmed', 'rejected', 'superseded', 'skipped', 'blocked')),
  quantity INTEGER,
  action TEXT,
  stamp INTEGER NOT NULL,
  confirmation_token TEXT,
  sent_at INTEGER,
  confirmed_at INTEGER,
  failure_code TEXT,
  failure_count INTEGER NOT NULL DEFAULT 0,
  blocked_reason TEXT,
  PRIMARY KEY (channel_id, listing_id)
) STRICT;

CREATE TABLE orders (
  channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  order_id TEXT NOT NULL,
  status TEXT NOT NULL,
  channel_updated_at TEXT NOT NULL,
  created_at TEXT NOT NULL,
  currency TEXT NOT NULL DEFAULT 'EUR',
  import_state TEXT NOT NULL DEFAULT 'new' CHECK (import_state IN ('new', 'waiting_mapping', 'creating', 'created', 'confirmed', 'cancelling', 'cancelled', 'skipped', 'failed')),
  odoo_order_id INTEGER,
  last_error TEXT,
  seen_at INTEGER NOT NULL,
  PRIMARY KEY (channel_id, order_id)
) STRICT;

CREATE TABLE order_lines (
  channel_id TEXT NOT NULL,
  order_id TEXT NOT NULL,
  line_id TEXT NOT NULL,
  listing_id TEXT,
  sku TEXT,
  ean TEXT,
  external_ids TEXT NOT NULL DEFAULT '{}',
  product_id INTEGER,
  quantity INTEGER NOT NULL,
  cancelled_quantity INTEGER NOT NULL DEFAULT 0,
  unit_price REAL NOT NULL DEFAULT 0,
  -- Units still pending: seen on the channel but not yet reserved in Odoo.
  pending_quantity INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (channel_id, order_id, line_id),
  FOREIGN KEY (channel_id, order_id) REFERENCES orders(channel_id, order_id) ON DELETE CASCADE
) STRICT;
CREATE INDEX order_lines_pending ON order_lines(product_id) WHERE pending_quantity > 0;

CREATE TABLE alerts (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  channel_id TEXT,
  subject TEXT NOT NULL,
  message TEXT NOT NULL,
  details TEXT NOT NULL DEFAULT '{}',
  raised_at INTEGER NOT NULL,
  cleared_at INTEGER,
  UNIQUE (kind, subject)
) STRICT;

CREATE TABLE sync_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('debug', 'info', 'warn', 'error')),
  kind TEXT NOT NULL,
  channel_id TEXT,
  listing_id TEXT,
  product_id INTEGER,
  status TEXT,
  message TEXT NOT NULL,
  data TEXT
) STRICT;
CREATE INDEX sync_log_at ON sync_log(at);
CREATE INDEX sync_log_channel ON sync_log(channel_id, at);

CREATE TABLE checklist_results (
  channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  check_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pass', 'fail', 'warn', 'not_run', 'overridden')),
  evidence TEXT NOT NULL DEFAULT '',
  config_hash TEXT NOT NULL,
  checked_at INTEGER NOT NULL,
  override_reason TEXT,
  PRIMARY KEY (channel_id, check_id)
) STRICT;

CREATE TABLE resync_runs (
  id INTEGER PRIMARY KEY,
  channel_filter TEXT,
  state TEXT NOT NULL CHECK (state IN ('running', 'done', 'cancelled', 'failed')),
  total INTEGER NOT NULL DEFAULT 0,
  done INTEGER NOT NULL DEFAULT 0,
  started_at INTEGER NOT NULL,
  finished_at INTEGER
) STRICT;
`
