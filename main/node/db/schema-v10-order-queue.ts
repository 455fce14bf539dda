// Schema 10: orders pulled from the seller's own queue (Amazon SQS, fed by Amazon's ORDER_CHANGE
// notifications and bol.com's ORDER subscription). Each queue message is recorded here in the transaction that
// stores what it announced, before it is deleted from the queue: a message the queue delivers again (SQS
// delivers at least once) is found here and changes nothing. An order first seen in a notification whose
// summary names no prices is `provisional`: its pending units count at once, but it is imported into Odoo only
// once an order poll (the safety net) has read it whole.
export const SCHEMA_V10_ORDER_QUEUE = /* sql */ `
CREATE TABLE queue_messages (
  queue_url TEXT NOT NULL,
  message_id TEXT NOT NULL,
  channel_id TEXT,
  order_id TEXT,
  outcome TEXT NOT NULL CHECK (outcome IN ('recorded', 'known', 'ignored', 'not_ours', 'unreadable')),
  detail TEXT,
  sent_at INTEGER,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (queue_url, message_id)
);
CREATE INDEX queue_messages_received ON queue_messages (received_at);
ALTER TABLE orders ADD COLUMN provisional INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN notified_at INTEGER;
`
