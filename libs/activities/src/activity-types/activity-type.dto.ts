import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { ACTIVITY_TYPE_KEY_PATTERN, MAX_ACTIVITY_TYPE_KEY_LENGTH } from './available-types';
import type { ActivityTypeRow } from './activity-types.repository';

export const MAX_TYPE_NAME_LENGTH = 100;
export const MAX_TYPE_DESCRIPTION_LENGTH = 1000;

export class CreateActivityTypeDto {
  @ApiProperty({ example: 'loyalty.points_redeemed', maxLength: MAX_ACTIVITY_TYPE_KEY_LENGTH, pattern: ACTIVITY_TYPE_KEY_PATTERN.source })
  @IsString()
  @MaxLength(MAX_ACTIVITY_TYPE_KEY_LENGTH)
  @Matches(ACTIVITY_TYPE_KEY_PATTERN, { message: 'key must be dotted lower-case segments, e.g. loyalty.points_redeemed' })
  key!: string;

  @ApiProperty({ example: 'Loyalty points redeemed', maxLength: MAX_TYPE_NAME_LENGTH })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TYPE_NAME_LENGTH)
  name!: string;

  @ApiPropertyOptional({ type: String, maxLength: MAX_TYPE_DESCRIPTION_LENGTH, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TYPE_DESCRIPTION_LENGTH)
  description?: string | null;
}

export class UpdateActivityTypeDto {
  @ApiPropertyOptional({ maxLength: MAX_TYPE_NAME_LENGTH })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TYPE_NAME_LENGTH)
  name?: string;

  @ApiPropertyOptional({ type: String, maxLength: MAX_TYPE_DESCRIPTION_LENGTH, nullable: true, description: 'null clears it' })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsString()
  @MaxLength(MAX_TYPE_DESCRIPTION_LENGTH)
  description?: string | null;
}

export class ActivityTypeDto {
  @ApiProperty({ example: 'purchase.completed' }) key!: string;
  @ApiProperty({ example: 'Purchase completed' }) name!: string;
  @ApiProperty({ enum: ['available', 'custom'] }) kind!: 'available' | 'custom';
  @ApiProperty({ type: String, nullable: true, description: 'What the type means and which `data` it carries' }) description!:
    string | null;
}

export const toActivityType = (r: ActivityTypeRow): ActivityTypeDto => ({
  key: r.key,
  name: r.name,
  kind: r.kind,
  description: r.description,
});
