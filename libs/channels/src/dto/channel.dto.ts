import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsObject, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { CUSTOMER_SOURCES, type ChannelAdapter, type ChannelConfig, type CustomerSource } from '../plugin/channel-adapter';

/** A channel instance as other libs use it. */
export interface ChannelInstance {
  id: string;
  appId: string;
  type: string;
  name: string;
  config: ChannelConfig;
}

/** A stored channel instance. */
export interface ChannelRecord extends ChannelInstance {
  createdAt: Date;
  updatedAt: Date;
}

/** A channel type as `GET /v1/channel-types` lists it. */
export interface ChannelTypeInfo {
  type: string;
  name: string;
  sources: CustomerSource[];
  identifier: { description: string; example: string };
}

export const MAX_CHANNEL_NAME_LENGTH = 100;

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

const CONFIG_DOC = {
  type: 'object',
  additionalProperties: true,
  description:
    'Settings of the channel type, validated by its adapter: qiscus `{ identifierType: phone|email }` (default phone); ' +
    'custom `{ identifierType: phone|email|text, pattern? }` (default text; the pattern must match the whole identifier); others `{}`',
  example: { identifierType: 'phone' },
} as const;

export class CreateChannelDto {
  @ApiProperty({ example: 'wa', maxLength: 32, description: 'A channel type key from GET /v1/channel-types' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(32)
  type!: string;

  @ApiProperty({ example: 'WhatsApp Sales', minLength: 1, maxLength: MAX_CHANNEL_NAME_LENGTH })
  @Transform(trim)
  @IsString()
  @Length(1, MAX_CHANNEL_NAME_LENGTH)
  name!: string;

  @ApiPropertyOptional(CONFIG_DOC)
  @IsOptional()
  @IsObject()
  config?: ChannelConfig;
}

/** `type` is not here: a channel's type never changes (sending it is an unknown field, 422). */
export class UpdateChannelDto {
  @ApiPropertyOptional({ example: 'WhatsApp Support', minLength: 1, maxLength: MAX_CHANNEL_NAME_LENGTH })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, MAX_CHANNEL_NAME_LENGTH)
  name?: string;

  @ApiPropertyOptional({
    ...CONFIG_DOC,
    description:
      'A JSON merge patch on the current config (a key set to null goes back to its default), then validated whole. ' +
      'Changing identifierType while the channel has customers: 409 channel_in_use',
  })
  @IsOptional()
  @IsObject()
  config?: ChannelConfig;
}

export class ChannelDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'wa' }) type!: string;
  @ApiProperty({ example: 'WhatsApp Sales' }) name!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, example: {} }) config!: ChannelConfig;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class IdentifierFormatDto {
  @ApiProperty({ example: 'The WhatsApp number in international digits without +' }) description!: string;
  @ApiProperty({ example: '6281234567890' }) example!: string;
}

export class ChannelTypeDto implements ChannelTypeInfo {
  @ApiProperty({ example: 'wa' }) type!: string;
  @ApiProperty({ example: 'WhatsApp' }) name!: string;
  @ApiProperty({ enum: CUSTOMER_SOURCES, isArray: true, example: ['admin', 'ads', 'organic', 'broadcast'] }) sources!: CustomerSource[];
  @ApiProperty({ type: IdentifierFormatDto }) identifier!: IdentifierFormatDto;
}

export function toChannelDto(c: ChannelRecord): ChannelDto {
  return {
    id: c.id,
    type: c.type,
    name: c.name,
    config: c.config,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

export function toChannelTypeInfo(a: ChannelAdapter): ChannelTypeInfo {
  return {
    type: a.type,
    name: a.name,
    sources: [...a.sources],
    identifier: { description: a.identifier.description, example: a.identifier.example },
  };
}
