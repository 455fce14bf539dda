export {
  createOrderImporter,
  startOrderImporter,
  saleOrderRef,
  UNMAPPED_ALERT,
  ORDER_FAILED_ALERT,
  ORDER_BLOCKED_ALERT,
  type OrderImporter,
  type OrderImporterDeps,
  type OrderImporterOptions,
  type ImportPassResult,
} from './order-importer'
export { OVERSELL_ALERT, oversold, type OversellFigures, type OversellVerdict } from './oversell'
export type { ImportOrder, ImportState } from '../db/repos/order-import'
