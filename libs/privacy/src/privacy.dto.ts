import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { ConversationDto } from '@cdp/activities';
import { ConsentChangeDto, CustomerGroupRefDto, CustomerResponseDto } from '@cdp/customers';

export const ERASURE_SCOPES = ['self', 'linked'] as const;
export type ErasureScope = (typeof ERASURE_SCOPES)[number];

export class DataExportQueryDto {
  @ApiPropertyOptional({ enum: ERASURE_SCOPES, default: 'self', description: 'linked: every member of its linked set' })
  @IsOptional()
  @IsIn(ERASURE_SCOPES)
  scope?: ErasureScope;
}

export class EraseCustomerDto {
  @ApiPropertyOptional({ enum: ERASURE_SCOPES, default: 'self', description: 'linked: every member of its linked set' })
  @IsOptional()
  @IsIn(ERASURE_SCOPES)
  scope?: ErasureScope;

  @ApiPropertyOptional({ default: true, description: 'Leave keyed-hash suppressions so the person cannot come back' })
  @IsOptional()
  @IsBoolean()
  suppress?: boolean;
}

export class ErasureResultDto {
  @ApiProperty({ type: 'integer' }) erasedCustomers!: number;
  @ApiProperty({ type: 'integer' }) erasedActivities!: number;
  @ApiProperty({ type: [String], format: 'uuid', description: 'The suppressions left (GET /v1/suppressions)' }) suppressionIds!: string[];
}

export class ExportedActivityDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) customerId!: string;
  @ApiProperty({ example: 'purchase.completed' }) type!: string;
  @ApiProperty({ type: String, format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
}

export class ExportedGroupDto extends CustomerGroupRefDto {
  @ApiProperty({ format: 'uuid', description: 'The member of the group' }) customerId!: string;
}

export class ExportedConsentChangeDto extends ConsentChangeDto {
  @ApiProperty({ format: 'uuid' }) customerId!: string;
}

export class MergeHistoryActorDto {
  @ApiProperty() userId!: string;
  @ApiProperty() role!: string;
  @ApiPropertyOptional() email?: string;
  @ApiProperty() via!: string;
}

export class MergeHistoryEntryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['customer.merged', 'customer.unmerged', 'customer.main_channel_changed'] }) action!: string;
  @ApiProperty({ type: MergeHistoryActorDto }) actor!: MergeHistoryActorDto;
  @ApiProperty({ type: String, format: 'date-time' }) at!: string;
  @ApiProperty() subject!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;
}

/** Everything held about a person (API.md "Data rights"); written as a stream, activities page by page. */
export class DataExportDto {
  @ApiProperty({ type: String, format: 'date-time' }) generatedAt!: string;
  @ApiProperty({ type: [CustomerResponseDto] }) customers!: CustomerResponseDto[];
  @ApiProperty({ type: [ExportedActivityDto], description: 'Newest first, customer by customer' }) activities!: ExportedActivityDto[];
  @ApiProperty({ type: [ConversationDto] }) conversations!: ConversationDto[];
  @ApiProperty({ type: [ExportedGroupDto] }) groups!: ExportedGroupDto[];
  @ApiProperty({ type: [ExportedConsentChangeDto], description: 'Oldest first' }) consentHistory!: ExportedConsentChangeDto[];
  @ApiProperty({ type: [MergeHistoryEntryDto], description: 'Merges, unmerges and main-channel changes that involved them, oldest first' })
  mergeHistory!: MergeHistoryEntryDto[];
}
