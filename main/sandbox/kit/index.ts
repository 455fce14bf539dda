// The simulator kit: what every channel simulator is built from (see README, Simulators).
export {
  basicAuthHeader,
  basicCredentials,
  bearerToken,
  formOf,
  header,
  oauthError,
  TokenStore,
} from './auth'
export { startChannelServer, withServer, type ChannelServerOptions, type ChannelSimBase } from './channel-sim'
export { FixedWindows, type FixedWindow, type WindowTake } from './limits/fixed-windows'
export { LeakyBucket } from './limits/leaky-bucket'
export { OrderedBucket } from './limits/ordered-bucket'
export { SimRateLimits, type SimLimit } from './limits/rate-limits'
export { retryAfterSeconds, retryAfterWholeSeconds } from './limits/retry-after'
export { decodeOffset, encodeOffset } from './paging'
export {
  channelProbe,
  checkProbeOrder,
  emitStockWrite,
  type ChannelSimProbe,
  type ListingStateProbe,
  type ProbeParts,
  type StockWrite,
  type StockWriteSink,
} from './probe'
export {
  headersOf,
  receivedOf,
  RequestRecorder,
  type ReceivedRequest,
  type RecordedRequest,
} from './recorder'
export { endpoint, endpoints, type Endpoint, type EndpointHooks } from './routes'
export { simTime, type SimTime } from './sim-time'
export {
  loadComponentSchemas,
  loadJsonSchemaValidator,
  loadSpecValidator,
  requestProblems,
} from './validation/request-check'
export {
  createOpenApiValidator,
  createSchemaValidator,
  formatAjvErrors,
  type SchemaValidator,
} from './validation/schema-validator'
export { readSpecFile, specsDir } from './validation/spec-files'
