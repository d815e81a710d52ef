/** Import and export of customers, products, orders and events (CSV and NDJSON), streamed in constant memory. */
export {
  createTransferService,
  importEntity,
  exportEntity,
  MAX_UPLOAD_BYTES,
  type TransferService,
  type TransferServiceOptions,
  type ImportJob,
} from './transfer-service.js'
export { IMPORT_ENTITIES, type ImportEntity } from './importer.js'
export { EXPORT_ENTITIES, type ExportEntity } from './entities.js'
export { runImport, type ImportOptions, type ImportProgress } from './run-import.js'
export { importInWorker, type FileImportRequest, type RunningImport } from './worker-import.js'
export { exportRows } from './exporter.js'
export type { ImportReport, RejectedRow } from './report.js'
export {
  TRANSFER_FORMATS,
  IMPORT_CONTENT_TYPES,
  parseFormat,
  formatFromPath,
  formatFromContentType,
  type TransferFormat,
} from './source.js'
