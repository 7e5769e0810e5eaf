// Import and export of customers (FEATURES.md IE1–IE6, X6): what the customers module mounts and exports.
import type { Provider, Type } from '@nestjs/common';
import { ExportJobHandler } from './export.job';
import { ExportDownloadController, ExportsController } from './exports.controller';
import { ExportsRepository } from './exports.repository';
import { ExportsService } from './exports.service';
import { ImportJobHandler } from './import.job';
import { ImportsController } from './imports.controller';
import { ImportsRepository } from './imports.repository';
import { ImportsService } from './imports.service';

export const IMPORT_EXPORT_PROVIDERS: Provider[] = [
  ImportsRepository,
  ImportsService,
  ImportJobHandler,
  ExportsRepository,
  ExportsService,
  ExportJobHandler,
];
export const IMPORT_EXPORT_CONTROLLERS: Type<unknown>[] = [ImportsController, ExportsController, ExportDownloadController];

export { ImportsService, IMPORT_QUEUE, type ImportJob } from './imports.service';
export { ExportsService, EXPORT_QUEUE, type ExportJob } from './exports.service';
export { ExportCompletedEvent, ImportCompletedEvent } from './import-export.events';
export { EXPORT_LINK_TTL_MS } from './export.job';
export { IMPORT_BATCH_SIZE } from './import.job';
export { ImportTooManyRowsError, ImportInvalidHeaderError } from './import-export.errors';
export { escapeCell, unescapeCell, needsFormulaEscape } from './csv-cells';
export { EXPORT_COLUMNS, MAX_EXPORT_ROWS } from './export-csv';
export { IMPORT_COLUMNS, REQUIRED_COLUMNS, IGNORED_COLUMNS, MAX_IMPORT_ROWS, MAX_IMPORT_BYTES, type Separator } from './import-file';
export {
  ImportDto,
  ImportSummaryDto,
  ImportErrorDto,
  ImportPageDto,
  CreateExportDto,
  ExportDto,
  ExportPageDto,
  type JobStatus,
} from './import-export.dto';
