export { importLegacyDatabase, inspectLegacySource, type ImportOptions } from './import.js';
export {
  formatImportReport,
  LEGACY_TABLES,
  type ImportReport,
  type LegacyTable,
  type TableReport,
} from './report.js';
export type { Detection, LegacyProject } from './detect.js';
export type { LegacySource } from './source.js';
export { LegacyImportError } from './errors.js';
export { clientKeyOf } from './import-tokens.js';
