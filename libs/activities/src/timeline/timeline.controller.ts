import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, CurrentIdentity, type Identity } from '@cdp/access';
import { ApiProblems } from '@cdp/platform';
import { TimelinePageDto, TimelineQueryDto } from './timeline.dto';
import { TimelineService } from './timeline.service';

@ApiTags('Activities')
@ApiBearerAuth()
@Controller('v1/customers')
export class TimelineController {
  constructor(private readonly timeline: TimelineService) {}

  @Get(':id/activities')
  @Can('read', 'Timeline')
  @ApiOperation({
    operationId: 'listCustomerActivities',
    summary: "A customer's activity timeline, newest first",
    description:
      "Filter by types and by days (from/to inclusive, or on) in `timezone` (default: the app's). `scope=linked` includes the linked customers.",
  })
  @ApiOkResponse({ type: TimelinePageDto })
  @ApiProblems(401, 403, 404, 422)
  page(@CurrentIdentity() id: Identity, @Param('id') customerId: string, @Query() q: TimelineQueryDto) {
    return this.timeline.page(id.appId, customerId, q);
  }
}
