// Schema 11: provisional units held on an Amazon seller-fulfilled listing because its quantity notification
// (LISTINGS_ITEM_MFN_QUANTITY_CHANGE) showed a sale whose order LastUnit has not recorded yet (issue #23).
// They count as pending units of the listing's product until an order replaces them or the next order poll
// releases them. One row per listing; a row at 0 units keeps the EventTime of the last event read, so an older
// event delivered late is recognised as stale.
export const SCHEMA_V11_MFN_HOLDS = /* sql */ `
CREATE TABLE mfn_holds (
  channel_id TEXT NOT NULL,
  listing_id TEXT NOT NULL,
  product_id INTEGER,
  units INTEGER NOT NULL CHECK (units >= 0),
  event_at INTEGER NOT NULL,
  held_at INTEGER NOT NULL,
  since_at INTEGER NOT NULL,
  PRIMARY KEY (channel_id, listing_id)
);
`
