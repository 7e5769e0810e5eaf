import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { ApiProblems, PageQueryDto } from '@cdp/platform';
import { Can, CurrentIdentity } from '../decorators';
import { ROLES, type Identity, type Role } from '../identity';
import { AuditService } from './audit.service';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'customer.merged', pattern: '^[a-z][a-z0-9_.]{0,63}$', description: 'Only entries of this action' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_.]{0,63}$/)
  action?: string;
}

export class AuditActorDto {
  @ApiProperty({ example: 'user-17', description: "The token's sub (`unknown` without one), or `api-key:<id>`" }) userId!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiPropertyOptional({ example: 'ana@example.com', description: "The token's email claim, when it has one" }) email?: string;
  @ApiProperty({ enum: ['token', 'api_key'], description: 'How the caller authenticated' }) via!: 'token' | 'api_key';
}

export class AuditEntryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'customer.merged' }) action!: string;
  @ApiProperty({ type: AuditActorDto }) actor!: AuditActorDto;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ example: '0193c0de-5a1b-7c3d-9e4f-0a1b2c3d4e5f', description: 'What it was done to (an id)' }) subject!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What changed, by action', example: { customerIds: [] } })
  details!: Record<string, unknown>;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto] }) data!: AuditEntryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

@ApiTags('Audit')
@ApiBearerAuth()
@Controller('v1/audit-log')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Can('read', 'AuditLog')
  @ApiOperation({
    operationId: 'listAuditEntries',
    summary: 'Who imported, exported, merged, unmerged, deleted or changed settings, and when (admin)',
  })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiProblems(401, 403, 422)
  list(@CurrentIdentity() id: Identity, @Query() q: AuditQueryDto) {
    return this.audit.list(id.appId, q);
  }
}
