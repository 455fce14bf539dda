// Schema 3: accepted items looked up by confirmation token. Confirming a token (one channel call, up to a
// bulk batch of items) counted and settled its items through the 'accepted' index, which walks every
// accepted item of the channel: during a full resync that is thousands of rows per confirmation.
export const SCHEMA_V3_ENGINE_TOKENS = /* sql */ `
CREATE INDEX push_state_token ON push_state(channel_id, confirmation_token) WHERE status = 'accepted';
`
