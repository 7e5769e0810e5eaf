// The only public face of the privacy lib (DESIGN.md "Layout").
export { PrivacyModule } from './privacy.module';
export { DataExportService, MERGE_ACTIONS } from './data-export.service';
export { ErasureService } from './erasure.service';
export { DataExportDto, DataExportQueryDto, EraseCustomerDto, ErasureResultDto, ERASURE_SCOPES, type ErasureScope } from './privacy.dto';
