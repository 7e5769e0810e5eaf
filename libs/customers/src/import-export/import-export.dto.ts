import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsEmail, IsIn, IsOptional, MaxLength, ValidateNested } from 'class-validator';
import { CustomerFilterDto } from '../filter';
import type { RowIssue } from './import-rows';
import { SEPARATORS, type Separator } from './import-file';

export const JOB_STATUSES = ['queued', 'processing', 'completed', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

const SEPARATOR_NAMES = Object.keys(SEPARATORS) as Separator[];
const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class TemplateQueryDto {
  @ApiPropertyOptional({ enum: SEPARATOR_NAMES, default: 'comma' })
  @IsOptional()
  @IsIn(SEPARATOR_NAMES)
  separator?: Separator;
}

export class UploadQueryDto {
  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description: 'Validate the file and report every row without importing anything (X6)',
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  dryRun?: boolean;
}

/** The multipart body, for the OpenAPI document (the controller reads it from the request stream). */
export const UPLOAD_BODY_SCHEMA = {
  type: 'object',
  required: ['file'],
  properties: {
    file: { type: 'string', format: 'binary', description: 'CSV, UTF-8 (BOM optional), at most 2 MB and 1,000 data rows' },
    separator: { type: 'string', enum: SEPARATOR_NAMES, default: 'comma' },
  },
};

export class ImportErrorDto {
  @ApiProperty({ type: 'integer', example: 3, description: 'Data record number, from 1 (blank lines not counted)' }) row!: number;
  @ApiProperty({ nullable: true, type: String, example: 'identifier' }) column!: string | null;
  @ApiProperty({
    example: 'invalid_identifier',
    description:
      'e.g. required, unknown_channel, channel_type_mismatch, invalid_identifier, invalid_email, invalid_phone_number, customer_exists, duplicate_in_file',
  })
  code!: string;
  @ApiProperty() message!: string;
}

export class ImportSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: JOB_STATUSES }) status!: JobStatus;
  @ApiProperty({ description: 'A dry run reports what an import would do; createdCount is then how many it would create' })
  dryRun!: boolean;
  @ApiProperty({ nullable: true, type: String }) fileName!: string | null;
  @ApiProperty({ type: 'integer', description: 'Data rows in the file' }) totalRows!: number;
  @ApiProperty({ type: 'integer' }) createdCount!: number;
  @ApiProperty({ type: 'integer', description: 'Rows whose customer exists, or repeating an earlier row of the file' })
  skippedCount!: number;
  @ApiProperty({ type: 'integer', description: 'Rows with errors' }) failedCount!: number;
  @ApiProperty({ nullable: true, type: String, description: 'Why the import failed as a whole (status failed)' }) failureReason!:
    string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) completedAt!: string | null;
}

export class ImportDto extends ImportSummaryDto {
  @ApiProperty({ type: [ImportErrorDto], description: 'Every failed and skipped row, by row number; one entry per problem' })
  errors!: ImportErrorDto[];
}

export class ImportPageDto {
  @ApiProperty({ type: [ImportSummaryDto] }) data!: ImportSummaryDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class CreateExportDto {
  @ApiPropertyOptional({ type: CustomerFilterDto, description: 'Which customers (API.md "Filter"); all when absent' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CustomerFilterDto)
  filter?: CustomerFilterDto;

  @ApiProperty({ example: 'ana@example.com', maxLength: 254, description: 'Where the download link is sent' })
  @IsDefined()
  @MaxLength(254)
  @IsEmail()
  email!: string;
}

export class ExportDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: JOB_STATUSES }) status!: JobStatus;
  @ApiProperty({ nullable: true, type: 'integer', description: 'Customers in the file (at most 1,000); null until it is made' }) rowCount!:
    number | null;
  @ApiProperty() email!: string;
  @ApiProperty({ type: CustomerFilterDto, description: 'The filter the export was asked with ({} for all customers)' }) filter!: Record<
    string,
    unknown
  >;
  @ApiProperty({ nullable: true, type: String }) failureReason!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'When the download link stops working' }) linkExpiresAt!:
    string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) completedAt!: string | null;
}

export class ExportPageDto {
  @ApiProperty({ type: [ExportDto] }) data!: ExportDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export interface ImportRecordRow {
  id: string;
  app_id: string;
  status: JobStatus;
  dry_run: boolean;
  separator: Separator;
  file_name: string | null;
  total_rows: number;
  created_count: number;
  skipped_count: number;
  failed_count: number;
  failure_reason: string | null;
  created_at: Date | string;
  completed_at: Date | string | null;
}

export interface ImportOutcomeRow {
  row_no: number;
  status: 'created' | 'skipped' | 'failed';
  issues: RowIssue[];
}

export interface ExportRecordRow {
  id: string;
  app_id: string;
  status: JobStatus;
  email: string;
  filter: Record<string, unknown>;
  row_count: number | null;
  failure_reason: string | null;
  token_expires_at: Date | string | null;
  created_at: Date | string;
  completed_at: Date | string | null;
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

export function toImportSummary(r: ImportRecordRow): ImportSummaryDto {
  return {
    id: r.id,
    status: r.status,
    dryRun: r.dry_run,
    fileName: r.file_name,
    totalRows: r.total_rows,
    createdCount: r.created_count,
    skippedCount: r.skipped_count,
    failedCount: r.failed_count,
    failureReason: r.failure_reason,
    createdAt: iso(r.created_at)!,
    completedAt: iso(r.completed_at),
  };
}

export function toImportErrors(outcomes: ImportOutcomeRow[]): ImportErrorDto[] {
  return outcomes.flatMap((o) => o.issues.map((i) => ({ row: o.row_no, column: i.column, code: i.code, message: i.message })));
}

export function toExportResponse(r: ExportRecordRow): ExportDto {
  return {
    id: r.id,
    status: r.status,
    rowCount: r.row_count,
    email: r.email,
    filter: r.filter ?? {},
    failureReason: r.failure_reason,
    linkExpiresAt: iso(r.token_expires_at),
    createdAt: iso(r.created_at)!,
    completedAt: iso(r.completed_at),
  };
}
