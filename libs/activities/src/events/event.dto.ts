import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { CUSTOMER_SOURCES, type CustomerSource } from '@cdp/channels';
import { ItemsCheckedByHandler } from '@cdp/platform';
import { ACTIVITY_TYPE_KEY_PATTERN, MAX_ACTIVITY_TYPE_KEY_LENGTH } from '../activity-types/available-types';

export const MAX_EVENTS_PER_BATCH = 1000;
export const EVENTS_BODY_LIMIT = 5 * 1024 * 1024;

/**
 * The body as the global pipe sees it: only the envelope. Each event is validated on its own by the
 * ingestion service, so one bad event is listed in `rejected` instead of refusing the whole batch.
 */
@ItemsCheckedByHandler('events')
export class IngestEventsDto {
  @ApiProperty({ type: () => [EventDto], description: `At most ${MAX_EVENTS_PER_BATCH} events (else 422 batch_too_large)` })
  @IsArray()
  events!: unknown[];
}

/** The customer fields used when the event's channel + identifier names a customer that does not exist yet. */
export class EventCustomerDto {
  @ApiPropertyOptional({ example: 'Budi Santoso', description: 'Default: the identifier' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ example: 'budi@example.com' })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: '+6281234567890' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  phoneNumber?: string;

  @ApiPropertyOptional({ enum: CUSTOMER_SOURCES, default: 'organic', description: 'ads and broadcast: WhatsApp channels only' })
  @IsOptional()
  @IsIn([...CUSTOMER_SOURCES])
  source?: CustomerSource;

  @ApiPropertyOptional({ enum: ['web', 'mobile'] })
  @IsOptional()
  @IsIn(['web', 'mobile'])
  platform?: 'web' | 'mobile';

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  properties?: Record<string, unknown>;
}

/** An instant with its offset: `2026-11-05T16:30:00Z`, `2026-11-05T23:30:00.000+07:00`. */
export const OCCURRED_AT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})$/;

export class EventDto {
  @ApiProperty({ example: 'purchase.completed', description: 'An available or custom activity type of the app' })
  @IsString()
  @MaxLength(MAX_ACTIVITY_TYPE_KEY_LENGTH)
  @Matches(ACTIVITY_TYPE_KEY_PATTERN, { message: 'type must be an activity type key' })
  type!: string;

  @ApiProperty({ example: '2026-11-05T16:30:00.000Z', description: 'ISO 8601 with an offset; at most a day ahead of now' })
  @IsString()
  @Matches(OCCURRED_AT_PATTERN, { message: 'occurredAt must be an ISO 8601 time with an offset (Z or ±hh:mm)' })
  occurredAt!: string;

  @ApiPropertyOptional({ description: 'The customer, by id (or give channelId and identifier)' })
  @IsOptional()
  @IsUUID()
  customerId?: string;

  @ApiPropertyOptional({ description: "One of the app's channels (with identifier)" })
  @IsOptional()
  @IsUUID()
  channelId?: string;

  @ApiPropertyOptional({
    example: '+62 812-3456-7890',
    description: "Read by the channel type's rules; the customer is created when missing",
  })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  identifier?: string;

  @ApiPropertyOptional({ type: () => EventCustomerDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EventCustomerDto)
  customer?: EventCustomerDto;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'What the type carries (GET /v1/activity-types)' })
  @IsOptional()
  @IsObject()
  data?: Record<string, unknown>;

  @ApiPropertyOptional({ maxLength: 200, description: 'Unique per app: a repeat is counted as a duplicate (the first stands)' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  idempotencyKey?: string;
}

export class RejectedEventDto {
  @ApiProperty({ description: 'Position of the event in `events`, from 0' }) index!: number;
  @ApiProperty({
    enum: [
      'validation_failed',
      'unknown_activity_type',
      'customer_not_found',
      'invalid_identifier',
      'source_requires_whatsapp',
      'identity_suppressed',
    ],
  })
  code!: string;
  @ApiProperty() message!: string;
}

export class IngestResultDto {
  @ApiProperty({ description: 'Events stored by this request' }) accepted!: number;
  @ApiProperty({ description: 'Events whose idempotencyKey was already stored (the first stands)' }) duplicates!: number;
  @ApiProperty({ type: [RejectedEventDto] }) rejected!: RejectedEventDto[];
}
