import { ApiProperty } from '@nestjs/swagger';
import { ActorDto } from '../consent/consent.dto';

export const SUPPRESSION_KINDS = ['identity', 'email', 'phone'] as const;
export type SuppressionKind = (typeof SUPPRESSION_KINDS)[number];

/** A suppression as the API shows it: what kind of value it stands for, never the value or its hash. */
export class SuppressionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: SUPPRESSION_KINDS }) kind!: SuppressionKind;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The channel of an identity suppression' }) channelId!:
    string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: ActorDto, description: 'Who erased the person' }) actor!: ActorDto;
}

export class SuppressionPageDto {
  @ApiProperty({ type: [SuppressionDto] }) data!: SuppressionDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
