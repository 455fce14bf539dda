// Schema 5: a revision counter per kind of configuration, raised by triggers on every table that holds
// configuration. Any writer raises it (the app, `lastunit config import` in another process, a restore),
// so a running engine notices a change by reading two integers at every poll, whoever made it.
// - connection: what the adapters and the Odoo gateway are built from (the Odoo connection, a channel's
//   type, address, environment and settings, credentials, a channel added or removed). The runtime
//   rebuilds the engine.
// - catalog: what the planner reads (buffer rules, mappings, location rules, a channel's basis, zero-stock
//   action, caps, state, order import, peak mode and buffer settings). The engine reloads its catalogue
//   and plans again from the stored stock.
// Columns the engine itself writes (the orders watermark, the poll cursor, the server version seen) are
// left out, so the engine never wakes itself up.
const bump = (scope: 'connection' | 'catalog') =>
  `UPDATE config_revision SET rev = rev + 1 WHERE scope = '${scope}';`

const onRows = (table: string, scope: 'connection' | 'catalog', when = '') =>
  ['INSERT', 'DELETE']
    .map(
      (op) => `CREATE TRIGGER config_rev_${table}_${op.toLowerCase()} AFTER ${op} ON ${table}
${when ? `WHEN ${when.replaceAll('ROW.', op === 'INSERT' ? 'NEW.' : 'OLD.')}\n` : ''}BEGIN ${bump(scope)} END;`,
    )
    .join('\n')

const onUpdate = (table: string, columns: string[], scope: 'connection' | 'catalog', when = '') =>
  `CREATE TRIGGER config_rev_${table}_update_${scope} AFTER UPDATE OF ${columns.join(', ')} ON ${table}
WHEN ${columns.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ')}${when ? ` AND (${when})` : ''}
BEGIN ${bump(scope)} END;`

export const SCHEMA_V5_CONFIG_REVISION = /* sql */ `
CREATE TABLE config_revision (
  scope TEXT PRIMARY KEY CHECK (scope IN ('connection', 'catalog')),
  rev INTEGER NOT NULL
) STRICT;
INSERT INTO config_revision (scope, rev) VALUES ('connection', 0), ('catalog', 0);

${onRows('odoo_connection', 'connection')}
${onUpdate('odoo_connection', ['url', 'database', 'username', 'transport', 'allow_insecure_http', 'timeout_ms', 'poll_interval_ms'], 'connection')}

${onRows('channels', 'connection')}
${onUpdate('channels', ['type', 'base_url', 'environment', 'settings'], 'connection')}
${onUpdate('channels', ['name', 'stock_basis', 'zero_stock_action', 'order_import', 'odoo_partner_id', 'odoo_warehouse_id', 'max_published', 'zero_below', 'state'], 'catalog')}

${onRows('credentials', 'connection')}
CREATE TRIGGER config_rev_credentials_update AFTER UPDATE ON credentials
BEGIN ${bump('connection')} END;

${['buffer_rules', 'location_rules', 'sku_mappings']
  .map(
    (t) => `${onRows(t, 'catalog')}
CREATE TRIGGER config_rev_${t}_update AFTER UPDATE ON ${t}
BEGIN ${bump('catalog')} END;`,
  )
  .join('\n')}

${onRows('settings', 'catalog', "ROW.key NOT LIKE 'vault.%'")}
CREATE TRIGGER config_rev_settings_update AFTER UPDATE ON settings
WHEN NEW.key NOT LIKE 'vault.%' AND OLD.value IS NOT NEW.value
BEGIN ${bump('catalog')} END;
`
