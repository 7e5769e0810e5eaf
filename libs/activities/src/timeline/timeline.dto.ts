import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '@cdp/platform';
import { ACTIVITY_TYPE_KEY_PATTERN, MAX_ACTIVITY_TYPE_KEY_LENGTH } from '../activity-types/available-types';

export const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
export const MAX_TYPES_PER_QUERY = 50;

const commaList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : value;

/** Days are calendar days (`YYYY-MM-DD`) in `timezone` (default: the app's). */
export class DayRangeQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '2026-11-01', description: 'First day, inclusive' })
  @IsOptional()
  @Matches(DAY_PATTERN, { message: 'from must be a YYYY-MM-DD date' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-30', description: 'Last day, inclusive' })
  @IsOptional()
  @Matches(DAY_PATTERN, { message: 'to must be a YYYY-MM-DD date' })
  to?: string;

  @ApiPropertyOptional({ example: '2026-11-05', description: 'A single day (not with from/to)' })
  @IsOptional()
  @Matches(DAY_PATTERN, { message: 'on must be a YYYY-MM-DD date' })
  on?: string;

  @ApiPropertyOptional({ example: 'Asia/Jakarta', description: "IANA time zone of the days; default: the app's" })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string;
}

export class TimelineQueryDto extends DayRangeQueryDto {
  @ApiPropertyOptional({
    type: [String],
    maxItems: MAX_TYPES_PER_QUERY,
    example: ['purchase.completed', 'csat.submitted'],
    description: 'Activity type keys (repeated, or comma-separated in one); all when absent',
  })
  @IsOptional()
  @Transform(commaList)
  @IsArray()
  @ArrayMaxSize(MAX_TYPES_PER_QUERY)
  @MaxLength(MAX_ACTIVITY_TYPE_KEY_LENGTH, { each: true })
  @Matches(ACTIVITY_TYPE_KEY_PATTERN, { each: true, message: 'types must be activity type keys' })
  types?: string[];

  @ApiPropertyOptional({
    enum: ['self', 'linked'],
    default: 'self',
    description: 'linked: include the activities of every customer linked to this one',
  })
  @IsOptional()
  @IsIn(['self', 'linked'])
  scope?: 'self' | 'linked';
}

export class TimelineItemDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'purchase.completed' }) type!: string;
  @ApiProperty({ example: 'Purchase completed', description: 'The type key when the custom type was deleted since' }) typeName!: string;
  @ApiProperty({ description: 'Whose activity it is (another member of the linked set with scope=linked)' }) customerId!: string;
  @ApiProperty({ type: String, format: 'date-time' }) occurredAt!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'What the event carried',
    example: { orderId: 'A-1001', total: 125000 },
  })
  data!: Record<string, unknown>;
}

export class TimelinePageDto {
  @ApiProperty({ type: [TimelineItemDto] }) data!: TimelineItemDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export interface ActivityRow {
  id: string;
  customer_id: string;
  type: string;
  occurred_at: Date | string;
  data: Record<string, unknown>;
}

export const toTimelineItem = (r: ActivityRow, names: ReadonlyMap<string, string>): TimelineItemDto => ({
  id: r.id,
  type: r.type,
  typeName: names.get(r.type) ?? r.type,
  customerId: r.customer_id,
  occurredAt: new Date(r.occurred_at).toISOString(),
  data: r.data ?? {},
});
