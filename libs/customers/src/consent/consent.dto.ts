import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { CONSENT_SOURCES, CONSENT_STATUSES, SETTABLE_CONSENT, type ConsentSource, type ConsentStatus } from './consent.types';

export const MAX_CONSENT_NOTE_LENGTH = 500;

/** The customer's current consent (API.md "Consent"): a new customer is `unknown`, with no time and no source. */
export class ConsentDto {
  @ApiProperty({ enum: CONSENT_STATUSES, example: 'opted_in' }) status!: ConsentStatus;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the current status was given' })
  updatedAt!: string | null;
  @ApiProperty({ enum: CONSENT_SOURCES, nullable: true, description: 'Where the current status came from' })
  source!: ConsentSource | null;
}

export class SetConsentDto {
  @ApiProperty({ enum: SETTABLE_CONSENT, example: 'opted_out' })
  @IsIn(SETTABLE_CONSENT)
  status!: 'opted_in' | 'opted_out';

  @ApiPropertyOptional({ maxLength: MAX_CONSENT_NOTE_LENGTH, example: 'Asked by phone to stop promotions' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_CONSENT_NOTE_LENGTH)
  note?: string;

  @ApiPropertyOptional({
    enum: ['api', 'console'],
    default: 'api',
    description: 'The console says it is the console; anything else is the API',
  })
  @IsOptional()
  @IsIn(['api', 'console'])
  source?: 'api' | 'console';
}

export class ActorDto {
  @ApiProperty({ example: 'user-7' }) userId!: string;
  @ApiProperty({ example: 'admin' }) role!: string;
  @ApiProperty({ enum: ['token', 'api_key'] }) via!: string;
}

export class ConsentChangeDto {
  @ApiProperty({ enum: CONSENT_STATUSES }) status!: ConsentStatus;
  @ApiProperty({ enum: CONSENT_SOURCES }) source!: ConsentSource;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({
    type: 'object',
    nullable: true,
    properties: { userId: { type: 'string' }, role: { type: 'string' }, via: { type: 'string', enum: ['token', 'api_key'] } },
    required: ['userId', 'role', 'via'],
    description: 'Who made the change: a person of the business (null for events)',
  })
  actor!: ActorDto | null;
  @ApiProperty({ type: String, format: 'date-time', description: 'When the change happened (an event: its occurredAt)' }) at!: string;
  @ApiProperty({ description: 'Whether it became the current status (an older change is kept but does not win)' }) applied!: boolean;
}

export class ConsentHistoryPageDto {
  @ApiProperty({ type: [ConsentChangeDto] }) data!: ConsentChangeDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
