import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CustomerFilterDto, CustomerResponseDto } from '@cdp/customers';
import { PageQueryDto } from '@cdp/platform';

/** At most this many ids in one request; larger audiences are added with a filter. */
export const MAX_IDS_PER_REQUEST = 10_000;

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const lowerIds = (id: unknown) => (typeof id === 'string' ? id.toLowerCase() : id);

const CustomerIdsField = () =>
  applyDecorators(
    ApiPropertyOptional({ type: [String], maxItems: MAX_IDS_PER_REQUEST, description: 'Chosen customers (not with filter)' }),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(MAX_IDS_PER_REQUEST),
    ArrayUnique(lowerIds),
    IsUUID('all', { each: true }),
  );

export class CreateGroupDto {
  @ApiProperty({ example: 'VIP Jakarta', maxLength: 200 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string | null;

  @IsOptional()
  @CustomerIdsField()
  customerIds?: string[];

  @ApiPropertyOptional({ type: CustomerFilterDto, description: 'Every customer matching it becomes a member (not with customerIds)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CustomerFilterDto)
  filter?: CustomerFilterDto;
}

export class UpdateGroupDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 1000, description: 'null clears it' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(1000)
  description?: string | null;
}

export class ListGroupsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Case- and accent-insensitive part of the name', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;
}

export class AddMembersDto {
  @IsOptional()
  @CustomerIdsField()
  customerIds?: string[];

  @ApiPropertyOptional({ type: CustomerFilterDto, description: 'Add every customer matching it (not with customerIds)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CustomerFilterDto)
  filter?: CustomerFilterDto;
}

export class RemoveMembersDto {
  @ApiProperty({ type: [String], maxItems: MAX_IDS_PER_REQUEST })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_IDS_PER_REQUEST)
  @ArrayUnique(lowerIds)
  @IsUUID('all', { each: true })
  customerIds!: string[];
}

export class GroupDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ type: 'integer', description: 'Exact number of members' }) memberCount!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class CreatedGroupDto extends GroupDto {
  @ApiProperty({ type: [String], description: 'Given customerIds that are not customers of the app (not added)' }) notFound!: string[];
}

export class GroupPageDto {
  @ApiProperty({ type: [GroupDto] }) data!: GroupDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class MemberPageDto {
  @ApiProperty({ type: [CustomerResponseDto] }) data!: CustomerResponseDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class AddMembersResultDto {
  @ApiProperty({ type: 'integer' }) added!: number;
  @ApiProperty({ type: 'integer' }) alreadyMembers!: number;
  @ApiProperty({ type: [String] }) notFound!: string[];
  @ApiProperty({ type: 'integer' }) memberCount!: number;
}

export class RemoveMembersResultDto {
  @ApiProperty({ type: 'integer' }) removed!: number;
  @ApiProperty({ type: 'integer' }) memberCount!: number;
}

export class RecipientDto {
  @ApiProperty({ format: 'uuid' }) customerId!: string;
  @ApiProperty({ format: 'uuid' }) channelId!: string;
  @ApiProperty() identifier!: string;
}

export class BroadcastAudienceDto {
  @ApiProperty({
    type: [RecipientDto],
    description:
      'One per person, opted-out customers left out: a linked set is reduced to its main channel (another opted-in member when the main one opted out), else its most recently active member in the group',
  })
  recipients!: RecipientDto[];
  @ApiProperty({ type: 'integer' }) memberCount!: number;
  @ApiProperty({ type: 'integer' }) recipientCount!: number;
  @ApiProperty({ type: 'integer', description: 'Group members left out because they opted out (X9)' }) excludedOptedOut!: number;
}

/** A group row as the repository selects it. */
export interface GroupRow {
  id: string;
  name: string;
  description: string | null;
  member_count: number;
  created_at: Date | string;
  updated_at: Date | string;
}

export function toGroupResponse(r: GroupRow): GroupDto {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    memberCount: Number(r.member_count),
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}
