import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, CurrentIdentity, type Identity } from '@cdp/access';
import { ApiProblems } from '@cdp/platform';
import { EventRejectionPageDto, EventRejectionsQueryDto } from './event-rejections.dto';
import { EventRejectionsService, REJECTION_RETENTION_DAYS } from './event-rejections.service';

@ApiTags('Activities')
@ApiBearerAuth()
@Controller('v1/event-rejections')
export class EventRejectionsController {
  constructor(private readonly rejections: EventRejectionsService) {}

  @Get()
  @Can('read', 'EventRejection')
  @ApiOperation({
    operationId: 'listEventRejections',
    summary: `Rejected events and Segment messages of the last ${REJECTION_RETENTION_DAYS} days, newest first (admin)`,
    description: 'Every event of POST /v1/events and every Segment message that was rejected, with its code, message and what was sent.',
  })
  @ApiOkResponse({ type: EventRejectionPageDto })
  @ApiProblems(401, 403, 422)
  list(@CurrentIdentity() id: Identity, @Query() q: EventRejectionsQueryDto): Promise<EventRejectionPageDto> {
    return this.rejections.list(id.appId, q);
  }
}
