import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { PageQueryDto } from '@cdp/platform';
import { ALL_EVENTS, WEBHOOK_EVENT_TYPES } from '../event-types';
import type { DeliveryRow, WebhookRow } from '../webhooks.repository';

const EVENT_CHOICES = [ALL_EVENTS, ...WEBHOOK_EVENT_TYPES];
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

const URL_RULES: Parameters<typeof IsUrl>[0] = {
  protocols: ['http', 'https'],
  require_protocol: true,
  require_tld: false,
  allow_underscores: true,
};

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://example.com/cdp-webhooks', maxLength: 2000, description: 'https:// or http://, a public host' })
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  @IsUrl(URL_RULES, { message: 'url must be an http:// or https:// URL' })
  url!: string;

  @ApiProperty({
    type: [String],
    enum: EVENT_CHOICES,
    minItems: 1,
    example: ['customer.created', 'customer.merged'],
    description: 'The event types to receive, or ["*"] for all of them (those added later included)',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(EVENT_CHOICES.length)
  @ArrayUnique()
  @IsIn(EVENT_CHOICES, { each: true })
  events!: string[];

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 500 })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(500)
  description?: string | null;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  @IsUrl(URL_RULES, { message: 'url must be an http:// or https:// URL' })
  url?: string;

  @ApiPropertyOptional({ type: [String], enum: EVENT_CHOICES, minItems: 1 })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(EVENT_CHOICES.length)
  @ArrayUnique()
  @IsIn(EVENT_CHOICES, { each: true })
  events?: string[];

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 500, description: 'null clears it' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(500)
  description?: string | null;

  @ApiPropertyOptional({ description: 'false stops deliveries (pending ones wait); true resumes them' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class WebhookDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'https://example.com/cdp-webhooks' }) url!: string;
  @ApiProperty({ type: [String], enum: EVENT_CHOICES }) events!: string[];
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'Why deliveries stopped, when the service disabled it (a 410 answer)' })
  disabledReason!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class CreatedWebhookDto extends WebhookDto {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'The signing secret, shown only now (and at rotation)' })
  secret!: string;
}

export class WebhookSecretDto {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'The new signing secret, shown only now' })
  secret!: string;
}

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;

export class ListDeliveriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: (typeof DELIVERY_STATUSES)[number];
}

export class WebhookDeliveryDto {
  @ApiProperty({ format: 'uuid', description: 'Also the `webhook-id` header of every attempt' }) id!: string;
  @ApiProperty({ example: 'customer.created' }) eventType!: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'The domain event (null for a test delivery)' })
  eventId!: string | null;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status!: (typeof DELIVERY_STATUSES)[number];
  @ApiProperty({ type: 'integer', description: 'Attempts made' }) attempts!: number;
  @ApiProperty({ nullable: true, type: 'integer', description: "The last attempt's HTTP status (null: no answer)" }) lastStatusCode!:
    number | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why the last attempt failed' }) lastError!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'When it is tried next (pending only)' })
  nextAttemptAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'When it succeeded or failed for good' })
  finishedAt!: string | null;
}

export class WebhookDeliveryPageDto {
  @ApiProperty({ type: [WebhookDeliveryDto] }) data!: WebhookDeliveryDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

export function toWebhookResponse(r: WebhookRow): WebhookDto {
  return {
    id: r.id,
    url: r.url,
    events: r.events,
    description: r.description,
    enabled: r.enabled,
    disabledReason: r.disabled_reason,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  };
}

export function toDeliveryResponse(r: DeliveryRow): WebhookDeliveryDto {
  return {
    id: r.id,
    eventType: r.event_type,
    eventId: r.event_id,
    status: r.status,
    attempts: Number(r.attempts),
    lastStatusCode: r.last_status_code === null ? null : Number(r.last_status_code),
    lastError: r.last_error,
    createdAt: iso(r.created_at)!,
    nextAttemptAt: r.status === 'pending' ? iso(r.next_attempt_at) : null,
    finishedAt: iso(r.finished_at),
  };
}
