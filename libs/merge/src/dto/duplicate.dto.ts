import { ApiProperty } from '@nestjs/swagger';
import { CustomerResponseDto } from '@cdp/customers';

/** `alias`: a Segment-spec sender said the two ids are one person (an `alias` call); suggested, never merged. */
export const DUPLICATE_REASONS = ['alias', 'same_phone', 'same_email', 'similar_name'] as const;
export type DuplicateReason = (typeof DUPLICATE_REASONS)[number];

export class DuplicateSuggestionDto {
  @ApiProperty({ type: CustomerResponseDto }) customer!: CustomerResponseDto;
  @ApiProperty({ enum: DUPLICATE_REASONS, isArray: true }) reasons!: DuplicateReason[];
  @ApiProperty({ minimum: 0, maximum: 1, description: 'How likely the two are the same person (higher is likelier)', example: 0.93 })
  score!: number;
}
