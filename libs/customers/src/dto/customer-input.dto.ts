import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { MAX_EMAIL_LENGTH, MAX_TAG_LENGTH, MAX_TAGS } from '../contact-fields';
import { PROPERTY_VALUE_INPUT_SCHEMA } from './customer.dto';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
// Trimmed and de-duplicated before the rules run; anything that is not a string is left for @IsString to refuse.
const tagList = ({ value }: { value: unknown }) => {
  if (!Array.isArray(value)) return value;
  const out: unknown[] = [];
  for (const v of value) {
    const t = typeof v === 'string' ? v.trim() : v;
    if (!out.includes(t)) out.push(t);
  }
  return out;
};

export const PLATFORMS = ['web', 'mobile'] as const;

export class CreateCustomerDto {
  @ApiProperty({ format: 'uuid', description: "One of the app's channels" })
  @IsUUID()
  channelId!: string;

  @ApiProperty({ example: '+62 812-3456-7890', description: "Read by the channel type's rules (GET /v1/channel-types)", maxLength: 256 })
  @IsString()
  @MaxLength(256)
  identifier!: string;

  @ApiProperty({ example: 'Budi Santoso', minLength: 1, maxLength: 200 })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({
    type: String,
    example: 'budi@example.com',
    nullable: true,
    maxLength: MAX_EMAIL_LENGTH,
    description: 'Stored lower-cased',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(MAX_EMAIL_LENGTH)
  @IsEmail()
  email?: string | null;

  @ApiPropertyOptional({
    type: String,
    example: '0812 3456 7890',
    nullable: true,
    maxLength: 64,
    description: "Stored in E.164; local numbers are read with the app's defaultCountry",
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  phoneNumber?: string | null;

  @ApiPropertyOptional({ enum: PLATFORMS, nullable: true })
  @IsOptional()
  @IsIn(PLATFORMS)
  platform?: (typeof PLATFORMS)[number] | null;

  @ApiPropertyOptional({
    type: [String],
    maxItems: MAX_TAGS,
    example: ['vip'],
    description: `At most ${MAX_TAGS}, each 1–${MAX_TAG_LENGTH} characters (trimmed, de-duplicated)`,
  })
  @IsOptional()
  @Transform(tagList)
  @IsArray()
  @ArrayMaxSize(MAX_TAGS)
  @IsString({ each: true })
  @Length(1, MAX_TAG_LENGTH, { each: true })
  tags?: string[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: PROPERTY_VALUE_INPUT_SCHEMA,
    example: { city: 'Jakarta' },
    description: 'Values checked against GET /v1/customer-properties (null: no value)',
  })
  @IsOptional()
  @IsObject()
  properties?: Record<string, unknown>;
}

/** `null` clears `email` / `phoneNumber`; absent fields are kept. */
export class UpdateCustomerDto {
  @ApiPropertyOptional({ example: 'Budi Santoso', minLength: 1, maxLength: 200 })
  @ValidateIf((_, v) => v !== undefined)
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({
    type: String,
    example: 'budi@example.com',
    nullable: true,
    maxLength: MAX_EMAIL_LENGTH,
    description: 'null clears it',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(MAX_EMAIL_LENGTH)
  @IsEmail()
  email?: string | null;

  @ApiPropertyOptional({ type: String, example: '+6281234567890', nullable: true, maxLength: 64, description: 'null clears it' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  phoneNumber?: string | null;

  @ApiPropertyOptional({ type: [String], maxItems: MAX_TAGS, description: 'The whole new tag list' })
  @ValidateIf((_, v) => v !== undefined)
  @Transform(tagList)
  @IsArray()
  @ArrayMaxSize(MAX_TAGS)
  @IsString({ each: true })
  @Length(1, MAX_TAG_LENGTH, { each: true })
  tags?: string[];
}

export class TagCountDto {
  @ApiProperty({ example: 'vip' }) tag!: string;
  @ApiProperty({ example: 12 }) count!: number;
}
