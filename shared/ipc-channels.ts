// The names of every IPC operation and event. The preload imports only this file; the schemas live in
// contract.ts. A name here without a schema in contract.ts, or a schema without a name, is a compile error.
export const IPC_METHODS = [
  'getAppInfo',
  'getStatus',
  'listChannels',
  'saveChannel',
  'removeChannel',
  'setCredential',
  'testConnection',
  'saveOdooConnection',
  'getOdooConnection',
  'exportConfig',
  'importConfig',
  'recentLog',
  'listAlerts',
  'startDemo',
  'setPaused',
  'setPeakMode',
  'startResync',
  'listMappings',
  'refreshListings',
  'autoMatch',
  'setMapping',
  'removeMapping',
  'importMappingsCsv',
  'exportMappingsCsv',
  'getBuffers',
  'saveBufferRule',
  'deleteBufferRule',
  'applyRecommendedBuffer',
  'explainListing',
  'getWarehouses',
  'setWarehouses',
  'getResync',
  'cancelResync',
  'reviewFirstPush',
  'confirmFirstPush',
  'exportLogCsv',
  'getChecklist',
  'runChecklist',
  'runZeroStockTest',
  'runReturnTest',
  'goLive',
  // The seller's screens: orders, dashboard, live log history, checks with progress (issue #22).
  'listOrders',
  'getDashboard',
  'browseLog',
  'validateWarehouses',
  'restoreMapping',
  'checklistProgress',
  'startReturnTest',
  'returnTestStatus',
  'cancelReturnTest',
  'zeroStockCandidates',
] as const
export type IpcMethod = (typeof IPC_METHODS)[number]

/** The one channel the main process pushes events on (batched). */
export const IPC_EVENT_CHANNEL = 'lastunit:events'

/** Each operation is invoked on `lastunit:<method>`. */
export const ipcChannelName = (method: IpcMethod): string => `lastunit:${method}`
