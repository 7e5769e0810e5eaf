import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '@cdp/platform';
import type { ConversationRow } from './conversations.repository';

export class ConversationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['ongoing', 'resolved'], description: 'Both when absent' })
  @IsOptional()
  @IsIn(['ongoing', 'resolved'])
  status?: 'ongoing' | 'resolved';
}

// OpenAPI 3.0 puts `nullable` beside a `type`, so null is allowed on one branch of each union.
const ANY_OBJECT = { type: 'object', additionalProperties: true };
const ANY_ARRAY = { type: 'array', items: {} };

export class ConversationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: "The inbox's room id" }) roomId!: string;
  @ApiProperty({ format: 'uuid' }) customerId!: string;
  @ApiProperty({ enum: ['ongoing', 'resolved'] }) status!: 'ongoing' | 'resolved';
  @ApiProperty({ type: String, format: 'date-time' }) startedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) resolvedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) lastMessage!: string | null;
  @ApiProperty({
    oneOf: [{ ...ANY_OBJECT, nullable: true }, ANY_ARRAY],
    description: 'As the newest conversation event sent it: an object or an array',
    example: { topic: 'delivery' },
  })
  additionalInfo!: unknown;
  @ApiProperty({
    oneOf: [{ type: 'string', nullable: true }, ANY_OBJECT, ANY_ARRAY],
    description: 'As the newest conversation event sent it: a string, an object or an array',
    example: 'Asked for a refund',
  })
  notes!: unknown;
  @ApiProperty({ example: 'https://inbox.example.com/rooms/12345', description: 'The room in the inbox' }) inboxUrl!: string;
}

export class ConversationPageDto {
  @ApiProperty({ type: [ConversationDto] }) data!: ConversationDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export const toConversation = (r: ConversationRow, inboxBaseUrl: string): ConversationDto => ({
  id: r.id,
  roomId: r.room_id,
  customerId: r.customer_id,
  status: r.status,
  startedAt: iso(r.started_at)!,
  resolvedAt: iso(r.resolved_at),
  lastMessage: r.last_message,
  additionalInfo: r.additional_info ?? null,
  notes: r.notes ?? null,
  inboxUrl: `${inboxBaseUrl}/rooms/${encodeURIComponent(r.room_id)}`,
});
