// Moved to kit/; this re-export goes once every adapter uses the channel client.
export * from './kit/request-pacer'
