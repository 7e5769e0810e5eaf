import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AllowApiKey, Can, CurrentIdentity, type Identity } from '@cdp/access';
import { ApiProblems } from '@cdp/platform';
import { EVENTS_BODY_LIMIT, IngestEventsDto, IngestResultDto, MAX_EVENTS_PER_BATCH } from './event.dto';
import { EventIngestionService } from './event-ingestion.service';

@ApiTags('Events')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('v1/events')
export class EventsController {
  constructor(private readonly ingestion: EventIngestionService) {}

  @Post()
  @HttpCode(200)
  @AllowApiKey()
  @RouteConfig({ bodyLimit: EVENTS_BODY_LIMIT })
  @Can('create', 'Event')
  @ApiHeader({ name: 'X-Api-Key', required: false, description: "An API key of the app (or an admin's bearer token)" })
  @ApiOperation({
    summary: `Ingest a batch of at most ${MAX_EVENTS_PER_BATCH} activities (API key or admin)`,
    description:
      'Each event is checked on its own: good ones are stored (in one transaction), bad ones are listed in `rejected` with their index. ' +
      'A repeated idempotencyKey is counted in `duplicates`. The answer comes once the batch is committed.',
  })
  @ApiOkResponse({ type: IngestResultDto })
  @ApiProblems(400, 401, 403, 413, 415, 422)
  ingest(@CurrentIdentity() id: Identity, @Body() body: IngestEventsDto): Promise<IngestResultDto> {
    return this.ingestion.ingest(id.appId, body.events);
  }
}
