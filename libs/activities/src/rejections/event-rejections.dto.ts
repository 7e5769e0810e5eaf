import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '@cdp/platform';
import { MAX_REJECTED_PAYLOAD_BYTES, type RejectionVia } from './event-rejections.service';

const VIAS: RejectionVia[] = ['events', 'segment'];

export class EventRejectionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: VIAS,
    description: 'Only rejections of POST /v1/events (`events`) or of the Segment-compatible API (`segment`)',
  })
  @IsOptional()
  @IsIn(VIAS)
  via?: RejectionVia;
}

export class EventRejectionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date-time', description: 'When the request arrived' }) receivedAt!: string;
  @ApiProperty({ enum: VIAS, description: '`events`: POST /v1/events; `segment`: the Segment-compatible API (/v1/batch, /v1/track, …)' })
  via!: RejectionVia;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The API key of the request; null when an admin token sent it',
  })
  apiKeyId!: string | null;
  @ApiProperty({ type: 'integer', description: 'Position of the item in its request (`events[i]`, `batch[i]`; 0 for a single message)' })
  index!: number;
  @ApiProperty({ example: 'invalid_identifier', description: 'The rejection code the sender was answered with' }) code!: string;
  @ApiProperty({ example: 'identifier: not a valid phone number' }) message!: string;
  @ApiProperty({
    description: `The JSON text of what was sent for this item, cut at ${MAX_REJECTED_PAYLOAD_BYTES / 1024} KB (a cut payload is not valid JSON)`,
    example: '{"type":"purchase.completed","occurredAt":"2026-11-05T10:00:00Z","channelId":"…","identifier":"12"}',
  })
  payload!: string;
}

export class EventRejectionPageDto {
  @ApiProperty({ type: [EventRejectionDto] }) data!: EventRejectionDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
