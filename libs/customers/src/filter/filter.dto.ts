import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsObject,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { CUSTOMER_SOURCES } from '@cdp/channels';
import { PageQueryDto } from '@cdp/platform';
import { CONSENT_STATUSES } from '../consent/consent.types';
import { CustomerResponseDto } from '../dto/customer.dto';
import { CUSTOMER_SORTS, PLATFORMS, PROPERTY_OPERATORS, type CustomerSort, type PropertyOperator } from './filter.types';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MESSAGE = '$property must be a date as YYYY-MM-DD';

export class PropertyConditionDto {
  @ApiProperty({ example: 'city', maxLength: 64 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  key!: string;

  @ApiProperty({
    enum: PROPERTY_OPERATORS,
    description:
      'text: eq neq contains not_contains is_set is_not_set; number, date: eq neq gt gte lt lte is_set is_not_set; boolean, select: eq neq is_set is_not_set',
  })
  @IsIn(PROPERTY_OPERATORS)
  operator!: PropertyOperator;

  @ApiPropertyOptional({
    description: 'Fits the property type (dates as YYYY-MM-DD, a select among its options); absent for is_set / is_not_set',
    oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }],
    example: 'Jakarta',
  })
  @IsOptional()
  value?: unknown;
}

export class PropertyFilterDto {
  @ApiPropertyOptional({ enum: ['all', 'any'], default: 'all', description: 'all: every condition (AND); any: at least one (OR)' })
  @IsOptional()
  @IsIn(['all', 'any'])
  match?: 'all' | 'any';

  @ApiProperty({ type: [PropertyConditionDto], description: 'At most 5 (else 422 too_many_property_conditions)' })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => PropertyConditionDto)
  conditions!: PropertyConditionDto[];
}

export class ActivityFilterDto {
  @ApiPropertyOptional({ type: [String], example: ['purchase.completed'], description: 'Activity type keys; all types when absent' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  types?: string[];

  @ApiPropertyOptional({ example: '2026-11-01', description: 'First day (inclusive), in the filter time zone' })
  @IsOptional()
  @Matches(DAY, { message: DAY_MESSAGE })
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-30', description: 'Last day (inclusive)' })
  @IsOptional()
  @Matches(DAY, { message: DAY_MESSAGE })
  to?: string;

  @ApiPropertyOptional({ example: '2026-11-15', description: 'A single day; not with from/to' })
  @IsOptional()
  @Matches(DAY, { message: DAY_MESSAGE })
  on?: string;
}

/** API.md "Filter": every key optional, different keys combine with AND. */
export class CustomerFilterDto {
  @ApiPropertyOptional({
    maxLength: 200,
    example: 'budi',
    description: 'Case- and accent-insensitive substring of name, e-mail, phone or identifier; 1–2 characters: name prefix',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: 50, description: "Channel instances (the app's)" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  channelIds?: string[];

  @ApiPropertyOptional({ type: [String], maxItems: 20, example: ['wa'], description: 'Channel types' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(32, { each: true })
  channelTypes?: string[];

  @ApiPropertyOptional({
    enum: CUSTOMER_SOURCES,
    isArray: true,
    description: 'ads and broadcast need every selected channel to be WhatsApp',
  })
  @IsOptional()
  @IsArray()
  @IsIn(CUSTOMER_SOURCES, { each: true })
  sources?: string[];

  @ApiPropertyOptional({ enum: PLATFORMS, isArray: true })
  @IsOptional()
  @IsArray()
  @IsIn(PLATFORMS, { each: true })
  platforms?: string[];

  @ApiPropertyOptional({ type: [String], maxItems: 50, description: 'The customer has any of them' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ description: 'Member of a linked set (true) or not (false)' })
  @IsOptional()
  @IsBoolean()
  linked?: boolean;

  @ApiPropertyOptional({
    enum: CONSENT_STATUSES,
    isArray: true,
    example: ['opted_in', 'unknown'],
    description: 'Consent status, any of them',
  })
  @IsOptional()
  @IsArray()
  @IsIn(CONSENT_STATUSES, { each: true })
  consent?: string[];

  @ApiPropertyOptional({ type: PropertyFilterDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PropertyFilterDto)
  properties?: PropertyFilterDto;

  @ApiPropertyOptional({ type: ActivityFilterDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ActivityFilterDto)
  activity?: ActivityFilterDto;

  @ApiPropertyOptional({ example: 'Asia/Jakarta', description: "IANA zone for the filter's dates (default: the app's)" })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string;
}

export class SearchCustomersDto {
  @ApiPropertyOptional({ type: CustomerFilterDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CustomerFilterDto)
  filter?: CustomerFilterDto;

  @ApiPropertyOptional({ enum: CUSTOMER_SORTS, default: '-createdAt' })
  @IsOptional()
  @IsIn(CUSTOMER_SORTS)
  sort?: CustomerSort;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 25 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ maxLength: 2048, description: 'Opaque cursor: `nextCursor` of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  cursor?: string;
}

export const MAX_COUNT_LIMIT = 1_000_000;

export class CountCustomersDto {
  @ApiPropertyOptional({ type: CustomerFilterDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CustomerFilterDto)
  filter?: CustomerFilterDto;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_COUNT_LIMIT,
    description: 'Stop counting here; capped is true when more match',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_COUNT_LIMIT)
  limit?: number;
}

export class NormalizeFilterDto {
  @ApiProperty({ type: CustomerFilterDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => CustomerFilterDto)
  filter!: CustomerFilterDto;
}

/** `a,b` or repeated parameters → a list. */
const commaList = ({ value }: { value: unknown }) => {
  if (value === undefined || value === null) return value;
  const all = (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [v]));
  return all.map((v) => (typeof v === 'string' ? v.trim() : v)).filter((v) => v !== '');
};
const booleanParam = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** `GET /v1/customers`: the common filter keys as query parameters (comma lists). */
export class ListCustomersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ maxLength: 200, description: "As the filter's search" })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: 50, description: 'Channel ids (repeated, or comma-separated in one)' })
  @IsOptional()
  @Transform(commaList)
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  channelId?: string[];

  @ApiPropertyOptional({
    type: [String],
    maxItems: 20,
    description: 'Channel types (repeated, or comma-separated in one)',
    example: ['wa'],
  })
  @IsOptional()
  @Transform(commaList)
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(32, { each: true })
  channelType?: string[];

  @ApiPropertyOptional({
    enum: CUSTOMER_SOURCES,
    isArray: true,
    description: 'Sources (repeated, or comma-separated in one)',
    example: ['ads', 'organic'],
  })
  @IsOptional()
  @Transform(commaList)
  @IsArray()
  @IsIn(CUSTOMER_SOURCES, { each: true })
  source?: string[];

  @ApiPropertyOptional({ enum: PLATFORMS, isArray: true, description: 'Platforms (repeated, or comma-separated in one)', example: ['web'] })
  @IsOptional()
  @Transform(commaList)
  @IsArray()
  @IsIn(PLATFORMS, { each: true })
  platform?: string[];

  @ApiPropertyOptional({ type: [String], maxItems: 50, description: 'Tags, any of them (repeated, or comma-separated in one)' })
  @IsOptional()
  @Transform(commaList)
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  tag?: string[];

  @ApiPropertyOptional({ type: Boolean, description: 'Members of a linked set (true) or not (false)' })
  @IsOptional()
  @Transform(booleanParam)
  @IsBoolean()
  linked?: boolean;

  @ApiPropertyOptional({
    enum: CONSENT_STATUSES,
    isArray: true,
    description: 'Consent statuses, any of them (repeated, or comma-separated in one)',
    example: ['opted_in', 'unknown'],
  })
  @IsOptional()
  @Transform(commaList)
  @IsArray()
  @IsIn(CONSENT_STATUSES, { each: true })
  consent?: string[];

  @ApiPropertyOptional({ enum: CUSTOMER_SORTS, default: '-createdAt' })
  @IsOptional()
  @IsIn(CUSTOMER_SORTS)
  sort?: CustomerSort;
}

export class CustomerPageDto {
  @ApiProperty({ type: [CustomerResponseDto] }) data!: CustomerResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class CustomerCountDto {
  @ApiProperty({ type: 'integer', example: 42 }) count!: number;
  @ApiProperty({ description: 'True when more than `limit` match (count is then the limit)' }) capped!: boolean;
}

export class SourceOptionDto {
  @ApiProperty({ enum: CUSTOMER_SOURCES }) source!: string;
  @ApiProperty() enabled!: boolean;
}

export class NormalizedFilterDto {
  @ApiProperty({ type: CustomerFilterDto }) filter!: CustomerFilterDto;
  @ApiProperty({ type: [String], description: 'What was changed, for people' }) changes!: string[];
  @ApiProperty({ type: [SourceOptionDto] }) sourceOptions!: SourceOptionDto[];
}
