import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

export const PLANS = ['standard', 'enterprise'] as const;
export type Plan = (typeof PLANS)[number];

export interface CustomerSettings {
  agentCanImportExport: boolean;
  timezone: string;
  defaultCountry: string;
  groupMemberLimit: number;
  plan: Plan;
}

export const DEFAULT_SETTINGS: CustomerSettings = {
  agentCanImportExport: false,
  timezone: 'UTC',
  defaultCountry: 'ID',
  groupMemberLimit: 10000,
  plan: 'standard',
};

export class CustomerSettingsDto implements CustomerSettings {
  @ApiProperty({ description: 'The "Agent can Import & Export Customer Data" setting' }) agentCanImportExport!: boolean;
  @ApiProperty({ example: 'Asia/Jakarta', description: 'IANA time zone for dates in filters and timelines' }) timezone!: string;
  @ApiProperty({ example: 'ID', description: 'ISO 3166 alpha-2 country used to read local phone numbers' }) defaultCountry!: string;
  @ApiProperty({ example: 10000, description: 'Set by the platform operator' }) groupMemberLimit!: number;
  @ApiProperty({ enum: PLANS, description: 'Set by the platform operator' }) plan!: Plan;
}

/** What an admin may change. `plan` and `groupMemberLimit` are refused here (unknown fields: 422). */
export class UpdateCustomerSettingsDto {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() agentCanImportExport?: boolean;
  @ApiPropertyOptional({ example: 'Asia/Jakarta' }) @IsOptional() @IsString() timezone?: string;
  @ApiPropertyOptional({ example: 'ID' }) @IsOptional() @IsString() defaultCountry?: string;
}

export class OperatorSettingsDto {
  @ApiPropertyOptional({ enum: PLANS }) @IsOptional() @IsIn(PLANS) plan?: Plan;
  @ApiPropertyOptional({ minimum: 1 }) @IsOptional() @IsInt() @Min(1) @Max(100_000_000) groupMemberLimit?: number;
}
