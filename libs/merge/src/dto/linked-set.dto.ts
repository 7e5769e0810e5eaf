import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsOptional, IsUUID } from 'class-validator';
import { CustomerResponseDto, PROPERTY_VALUE_SCHEMA, toCustomerResponse, type CustomerRow } from '@cdp/customers';
import { combineProfile, type CombinedProfile } from '../merge-plan';

export class MergeCustomersDto {
  @ApiProperty({
    type: [String],
    format: 'uuid',
    minItems: 1,
    maxItems: 50,
    description: 'Customers to join the set of `:id`; each must not be linked yet',
    example: ['0193c0de-5a1b-7c3d-9e4f-0a1b2c3d4e5f'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique((id: unknown) => (typeof id === 'string' ? id.toLowerCase() : id))
  @IsUUID('all', { each: true })
  customerIds!: string[];
}

export class MergeQueryDto {
  @ApiPropertyOptional({ description: 'Only show the resulting linked set and profile; change nothing', default: false })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  dryRun?: boolean;
}

export class ProfileValueDto {
  @ApiProperty({ ...PROPERTY_VALUE_SCHEMA, example: 'Jakarta' }) value!: unknown;
  @ApiProperty({ format: 'uuid', description: 'The member it came from' }) customerId!: string;
}

export class CombinedProfileDto {
  @ApiProperty({ type: [String], description: 'Tags of every member, united' }) tags!: string[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/ProfileValueDto' },
    description: 'Each property from the main channel, else the most recently updated member that has it',
  })
  properties!: Record<string, ProfileValueDto>;
}

export class LinkedSetDto {
  @ApiProperty({ nullable: true, type: String, description: 'null for a customer that is not linked (or a preview of a new set)' })
  profileId!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'The main channel customer, when one is set' })
  mainCustomerId!: string | null;
  @ApiProperty({ type: [CustomerResponseDto], description: 'Every member: the main channel first, then the oldest' })
  customers!: CustomerResponseDto[];
  @ApiProperty({ type: CombinedProfileDto }) profile!: CombinedProfile;
}

const created = (r: CustomerRow): number => Date.parse(new Date(r.created_at).toISOString());

/** A linked set from its member rows (as they are, or as a preview would make them). */
export function toLinkedSet(profileId: string | null, rows: CustomerRow[]): LinkedSetDto {
  const ordered = [...rows].sort(
    (a, b) => Number(b.main_channel) - Number(a.main_channel) || created(a) - created(b) || (a.id < b.id ? -1 : 1),
  );
  const customers = ordered.map(toCustomerResponse);
  const main = customers.find((c) => c.mainChannel);
  const profile = combineProfile(
    customers.map((c) => ({ id: c.id, tags: c.tags, properties: c.properties, mainChannel: c.mainChannel, updatedAt: c.updatedAt })),
  );
  return { profileId, mainCustomerId: main?.id ?? null, customers, profile };
}
