// Schema 7: the last connection test of Odoo and of each channel, with its time, so the Connections
// screen shows it on every collapsed row. A test changes no configuration: this table raises no
// configuration revision (no trigger), and a channel's row goes with the channel.
// target: 'odoo' or the channel id. unsaved: 1 when the test ran on values typed but not saved.
export const SCHEMA_V7_CONNECTION_TESTS = /* sql */ `
CREATE TABLE connection_tests (
  target TEXT PRIMARY KEY,
  ok INTEGER NOT NULL CHECK (ok IN (0, 1)),
  message TEXT NOT NULL,
  hint TEXT,
  unsaved INTEGER NOT NULL DEFAULT 0 CHECK (unsaved IN (0, 1)),
  tested_at INTEGER NOT NULL
) STRICT;

CREATE TRIGGER connection_tests_channel_deleted AFTER DELETE ON channels
BEGIN
  DELETE FROM connection_tests WHERE target = OLD.id;
END;
`
