import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { INTERVALS, type Interval } from '../intervals';

export const GROUP_BYS = ['source', 'channelType', 'channel'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];
export const MAX_TYPES = 50;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** `a,b` or repeated parameters → a list. */
const commaList = ({ value }: { value: unknown }) => {
  if (value === undefined || value === null) return value;
  const all = (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [v]));
  return all.map((v) => (typeof v === 'string' ? v.trim() : v)).filter((v) => v !== '');
};

/** The range and interval every series query takes; days are calendar days in `timezone`. */
export class AnalyticsRangeQueryDto {
  @ApiProperty({ example: '2026-09-01', description: 'First day, inclusive (YYYY-MM-DD, 2000-01-01 or later)' })
  @IsString()
  @Matches(DAY, { message: 'from must be a YYYY-MM-DD date' })
  from!: string;

  @ApiProperty({
    example: '2026-11-29',
    description: 'Last day, inclusive. At most 366 days by day; 5 years by week or month',
  })
  @IsString()
  @Matches(DAY, { message: 'to must be a YYYY-MM-DD date' })
  to!: string;

  @ApiPropertyOptional({ enum: INTERVALS, default: 'day', description: 'Weeks start on Monday; months on the 1st' })
  @IsOptional()
  @IsIn(INTERVALS)
  interval?: Interval;

  @ApiPropertyOptional({ example: 'Asia/Kolkata', maxLength: 64, description: "IANA time zone of the days; default: the app's" })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string;
}

export class CustomersAnalyticsQueryDto extends AnalyticsRangeQueryDto {
  @ApiPropertyOptional({ enum: GROUP_BYS, default: 'source', description: 'One series per source, channel type or channel' })
  @IsOptional()
  @IsIn(GROUP_BYS)
  groupBy?: GroupBy;
}

export class ActivitiesAnalyticsQueryDto extends AnalyticsRangeQueryDto {
  @ApiPropertyOptional({
    type: [String],
    maxItems: MAX_TYPES,
    example: ['purchase.completed', 'ticket.created'],
    description: 'Activity types (comma-separated or repeated); default: every type of the app',
  })
  @IsOptional()
  @Transform(commaList)
  @IsArray()
  @ArrayMaxSize(MAX_TYPES)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  types?: string[];
}

export class AnalyticsPointDto {
  @ApiProperty({ example: '2026-11-02', description: 'First day of the interval (a Monday for weeks, the 1st for months)' })
  start!: string;
  @ApiProperty({ type: 'integer', example: 42 }) count!: number;
}

export class AnalyticsSeriesDto {
  @ApiProperty({ example: 'organic', description: 'The source, channel type, channel id or activity type' }) key!: string;
  @ApiProperty({ example: 'Organic', description: "For people: the source's or type's name, the channel's name" }) label!: string;
  @ApiProperty({ type: [AnalyticsPointDto], description: 'One point for every interval of the range, zeros included' })
  points!: AnalyticsPointDto[];
}

export class CustomersAnalyticsDto {
  @ApiProperty({ example: '2026-09-01' }) from!: string;
  @ApiProperty({ example: '2026-11-29' }) to!: string;
  @ApiProperty({ enum: INTERVALS }) interval!: Interval;
  @ApiProperty({ example: 'Asia/Jakarta' }) timezone!: string;
  @ApiProperty({ type: 'integer', example: 1250, description: 'Customers created in the range' }) total!: number;
  @ApiProperty({ type: [AnalyticsSeriesDto] }) series!: AnalyticsSeriesDto[];
}

export class ActivitiesAnalyticsDto {
  @ApiProperty({ example: '2026-09-01' }) from!: string;
  @ApiProperty({ example: '2026-11-29' }) to!: string;
  @ApiProperty({ enum: INTERVALS }) interval!: Interval;
  @ApiProperty({ example: 'Asia/Jakarta' }) timezone!: string;
  @ApiProperty({ type: 'integer', example: 30210, description: 'Activities of the types in the range' }) total!: number;
  @ApiProperty({ type: [AnalyticsSeriesDto], description: 'One series per activity type' }) series!: AnalyticsSeriesDto[];
  @ApiProperty({
    type: [AnalyticsPointDto],
    description: 'Distinct customers with an activity of the types, per interval',
  })
  activeCustomers!: AnalyticsPointDto[];
}

export class SourceCountsDto {
  @ApiProperty({ type: 'integer' }) admin!: number;
  @ApiProperty({ type: 'integer' }) ads!: number;
  @ApiProperty({ type: 'integer' }) organic!: number;
  @ApiProperty({ type: 'integer' }) broadcast!: number;
}

export class ConsentCountsDto {
  @ApiProperty({ type: 'integer' }) opted_in!: number;
  @ApiProperty({ type: 'integer' }) opted_out!: number;
  @ApiProperty({ type: 'integer' }) unknown!: number;
}

export class AnalyticsSummaryDto {
  @ApiProperty({ type: 'integer', example: 1000000 }) customers!: number;
  @ApiProperty({ type: SourceCountsDto }) bySource!: SourceCountsDto;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { wa: 600000, line: 250000, ig: 150000 },
    description: "Customers per channel type of the app's channels",
  })
  byChannelType!: Record<string, number>;
  @ApiProperty({ type: 'integer', description: 'Customers that belong to a linked set' }) linkedCustomers!: number;
  @ApiProperty({ type: 'integer' }) groups!: number;
  @ApiProperty({ type: 'integer', description: 'Customers with an activity in the last 7 × 24 hours' }) activeLast7Days!: number;
  @ApiProperty({ type: 'integer', description: 'Customers with an activity in the last 30 × 24 hours' }) activeLast30Days!: number;
  @ApiProperty({ type: ConsentCountsDto }) consent!: ConsentCountsDto;
}
