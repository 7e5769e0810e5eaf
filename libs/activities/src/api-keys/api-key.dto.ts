import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import type { ApiKeyRow } from './api-keys.repository';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'Shop back end', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: "One of the app's channels: Segment-spec messages sent with this key name customers of that channel by their userId",
  })
  @IsOptional()
  @IsUUID()
  channelId?: string | null;
}

export class CreatedApiKeyDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'The secret, shown only in this response; send it as `X-Api-Key`', example: 'cdp_3q2-7wE…' })
  key!: string;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The channel the key is bound to (Segment-compatible ingestion)',
  })
  channelId!: string | null;
}

export class ApiKeyDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'The first characters of the key, to tell keys apart', example: 'cdp_3q2-7wE' }) prefix!: string;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The channel the key is bound to (Segment-compatible ingestion)',
  })
  channelId!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Updated at most once a minute' }) lastUsedAt!:
    string | null;
}

const iso = (d: Date | string) => new Date(d).toISOString();

export const toApiKey = (r: ApiKeyRow): ApiKeyDto => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  channelId: r.channel_id,
  createdAt: iso(r.created_at),
  lastUsedAt: r.last_used_at === null ? null : iso(r.last_used_at),
});
