import { ApiProperty } from '@nestjs/swagger';
import { ConsentDto } from '../consent/consent.dto';
import type { ConsentSource, ConsentStatus } from '../consent/consent.types';

/** A customer row as the list, search and detail queries select it (`CUSTOMER_COLUMNS` in customer-sql.ts). */
export interface CustomerRow {
  id: string;
  app_id: string;
  channel_id: string;
  channel_type: string;
  channel_name: string;
  identifier: string;
  name: string;
  email: string | null;
  phone_number: string | null;
  source: 'admin' | 'ads' | 'organic' | 'broadcast';
  platform: 'web' | 'mobile' | null;
  tags: string[];
  properties: Record<string, unknown>;
  profile_id: string | null;
  main_channel: boolean;
  consent_status: ConsentStatus;
  consent_updated_at: Date | string | null;
  consent_source: ConsentSource | null;
  last_activity_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

/** A property value: text, select and date (`YYYY-MM-DD`) are strings, number a number, boolean a boolean. */
export const PROPERTY_VALUE_SCHEMA = {
  oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }],
  description: 'text, select, date (YYYY-MM-DD): a string; number: a number; boolean: a boolean',
};

/** A property value to set, or null to remove it (OpenAPI 3.0 puts `nullable` beside a `type`, hence on the string branch). */
export const PROPERTY_VALUE_INPUT_SCHEMA = {
  oneOf: [{ type: 'string', nullable: true }, { type: 'number' }, { type: 'boolean' }],
  description: 'As a stored value; null removes the value',
};

/** Property values by key (the keys are the app's property definitions). */
export const PROPERTIES_SCHEMA = {
  type: 'object',
  additionalProperties: PROPERTY_VALUE_SCHEMA,
  example: { city: 'Jakarta', tier: 'gold', orders: 3, vip: true },
} as const;

export class CustomerChannelDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'wa' }) type!: string;
  @ApiProperty({ example: 'WhatsApp Jakarta' }) name!: string;
}

export class CustomerResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Budi Santoso' }) name!: string;
  @ApiProperty({ example: '6281234567890' }) identifier!: string;
  @ApiProperty({ nullable: true, type: String, example: 'budi@example.com' }) email!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '+6281234567890', description: 'E.164' }) phoneNumber!: string | null;
  @ApiProperty({ type: CustomerChannelDto }) channel!: CustomerChannelDto;
  @ApiProperty({ enum: ['admin', 'ads', 'organic', 'broadcast'] }) source!: CustomerRow['source'];
  @ApiProperty({ enum: ['web', 'mobile'], nullable: true }) platform!: CustomerRow['platform'];
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty({ ...PROPERTIES_SCHEMA, description: 'Values of the customer properties (GET /v1/customer-properties)' })
  properties!: Record<string, unknown>;
  @ApiProperty({ description: 'Member of a linked set (merged)' }) linked!: boolean;
  @ApiProperty({ description: 'Main channel of its linked set' }) mainChannel!: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'The linked set it belongs to' }) profileId!: string | null;
  @ApiProperty({ type: ConsentDto, description: 'Consent to business-initiated messages on this channel (X9)' }) consent!: ConsentDto;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastActivityAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class CustomerGroupRefDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'VIP Jakarta' }) name!: string;
}

export class CustomerDetailDto extends CustomerResponseDto {
  @ApiProperty({ type: [CustomerResponseDto], description: 'The other members of its linked set' }) linkedCustomers!: CustomerResponseDto[];
  @ApiProperty({ type: [CustomerGroupRefDto], description: 'The groups it belongs to' }) groups!: CustomerGroupRefDto[];
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

export function toCustomerResponse(r: CustomerRow): CustomerResponseDto {
  return {
    id: r.id,
    name: r.name,
    identifier: r.identifier,
    email: r.email,
    phoneNumber: r.phone_number,
    channel: { id: r.channel_id, type: r.channel_type, name: r.channel_name },
    source: r.source,
    platform: r.platform,
    tags: r.tags ?? [],
    properties: r.properties ?? {},
    linked: r.profile_id !== null,
    mainChannel: r.main_channel,
    profileId: r.profile_id,
    consent: { status: r.consent_status ?? 'unknown', updatedAt: iso(r.consent_updated_at ?? null), source: r.consent_source ?? null },
    lastActivityAt: iso(r.last_activity_at),
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  };
}
