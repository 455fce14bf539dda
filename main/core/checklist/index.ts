export { CHECK_IDS } from './types'
export type {
  CheckId,
  CheckResult,
  CheckStatus,
  ChannelHealth,
  ChecklistConfig,
  ChecklistSnapshot,
  FixScreen,
  NextStep,
  SnapshotLocation,
  SnapshotProduct,
  StoredCheckResult,
} from './types'
export { checkConfigHash, checkConfigSlice, hashText } from './config-hash'
export {
  CHECKS,
  HOW_TO_CHECK,
  STUCK_QUEUE_MS,
  checkBuffers,
  checkSingleSource,
  checkSkusMapped,
  checkSyncActive,
  checkWarehouses,
  decideGoLive,
  evaluateCheck,
  evaluateChecklist,
  SINGLE_SOURCE_CONFIRMED,
  storedResultsView,
  type CheckDefinition,
  type GoLiveDecision,
} from './rules'
