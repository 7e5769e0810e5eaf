import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { ApiProblems, PageQueryDto } from '@cdp/platform';
import { Can, CurrentIdentity } from '../decorators';
import type { Identity } from '../identity';
import { AuditService } from './audit.service';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'customer.merged' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_.]{0,63}$/)
  action?: string;
}

@ApiTags('Audit')
@ApiBearerAuth()
@Controller('v1/audit-log')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Can('read', 'AuditLog')
  @ApiOperation({ summary: 'Who imported, exported, merged, unmerged, deleted or changed settings, and when (admin)' })
  @ApiProblems(401, 403, 422)
  list(@CurrentIdentity() id: Identity, @Query() q: AuditQueryDto) {
    return this.audit.list(id.appId, q);
  }
}
