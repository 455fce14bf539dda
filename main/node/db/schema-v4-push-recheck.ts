// Schema 4: listings to read back once an older write may have landed. A channel that applies writes
// asynchronously (Amazon's feeds and listing patches) can apply an older value AFTER a newer one when the
// newer one was sent before the older one was applied; a process killed between sending and recording
// leaves such a write behind, too. Every time a listing gets a newer value while its previous one was
// still sent or accepted (not confirmed), the trigger notes it here; the engine reads the listing back
// once the channel's apply window has passed and repairs it when it shows anything else.
// since: when the engine first saw the row (NULL until then), so the window runs on the engine's clock.
export const SCHEMA_V4_PUSH_RECHECK = /* sql */ `
CREATE TABLE push_recheck (
  channel_id TEXT NOT NULL,
  listing_id TEXT NOT NULL,
  since INTEGER,
  PRIMARY KEY (channel_id, listing_id)
) STRICT;

CREATE TRIGGER push_state_superseded_in_flight AFTER UPDATE OF stamp ON push_state
WHEN OLD.status IN ('sent', 'accepted') AND NEW.stamp > OLD.stamp
BEGIN
  INSERT INTO push_recheck (channel_id, listing_id, since) VALUES (NEW.channel_id, NEW.listing_id, NULL)
  ON CONFLICT (channel_id, listing_id) DO UPDATE SET since = NULL;
END;
`
