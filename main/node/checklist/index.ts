export {
  checklistView,
  confirmSingleSource,
  goLive,
  recheckOtherChannels,
  runChannelReturnTest,
  runChannelZeroStockTest,
  runChecklist,
  type ChecklistDeps,
  type ChecklistRun,
  type ChecklistStep,
  type GoLiveResult,
} from './checklist-service'
export {
  CHECKLIST_USAGE,
  EXIT_FAILING,
  EXIT_INCOMPLETE,
  EXIT_OK,
  EXIT_USAGE,
  exitCodeOf,
  firstNextCommand,
  runChecklistCommand,
  type ChecklistCommandIo,
  type ChecklistHeadless,
} from './cli'
export { formatCheck, formatChecklist, nextCommand, SCREEN_NAMES } from './format'
export { readStoredResults, saveResult } from '../db/repos/checklist-results'
export { buildSnapshot, checklistConfig, UnknownChannelError } from './snapshot'
export {
  engineFigures,
  suggestReturnProduct,
  type ReturnTestFigures,
  type ReturnTestResult,
} from './return-test'
export { type ZeroStockTestResult } from './zero-stock-test'
