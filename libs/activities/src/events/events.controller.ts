import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AllowApiKey, Can, CurrentIdentity, type Identity } from '@cdp/access';
import { ApiProblems } from '@cdp/platform';
import { EVENTS_BODY_LIMIT, IngestEventsDto, IngestResultDto, MAX_EVENTS_PER_BATCH } from './event.dto';
import { EventIngestionService } from './event-ingestion.service';
import { EventRejectionsService } from '../rejections/event-rejections.service';

/** The key id of a request authenticated by an API key (the auth guard names it `api-key:<id>`); null for a token. */
export const apiKeyIdOf = (id: Identity): string | null => (id.via === 'api_key' ? id.userId.replace(/^api-key:/, '') : null);

@ApiTags('Activities')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('v1/events')
export class EventsController {
  constructor(
    private readonly ingestion: EventIngestionService,
    private readonly rejections: EventRejectionsService,
  ) {}

  @Post()
  @HttpCode(200)
  @AllowApiKey()
  // perItemBody: the HTTP pipeline leaves the events to `validateEvent`, which rejects a bad one and keeps the rest.
  @RouteConfig({ bodyLimit: EVENTS_BODY_LIMIT, perItemBody: 'events' })
  @Can('create', 'Event')
  @ApiOperation({
    operationId: 'ingestEvents',
    summary: `Ingest a batch of at most ${MAX_EVENTS_PER_BATCH} activities (API key or admin)`,
    description:
      'Each event is checked on its own: good ones are stored (in one transaction), bad ones are listed in `rejected` with their index. ' +
      'A repeated idempotencyKey is counted in `duplicates`. The answer comes once the batch is committed.',
  })
  @ApiBody({
    type: IngestEventsDto,
    examples: {
      batch: {
        summary: 'A purchase by channel and identifier (the customer is created when missing) and a conversation',
        value: {
          events: [
            {
              type: 'purchase.completed',
              occurredAt: '2026-11-05T16:30:00.000Z',
              channelId: '0193c0de-5a1b-7c3d-9e4f-0a1b2c3d4e5f',
              identifier: '6281234567890',
              customer: { name: 'Budi Santoso', source: 'ads' },
              data: { orderId: 'A-1001', total: 125000 },
              idempotencyKey: 'order-A-1001',
            },
            {
              type: 'conversation.started',
              occurredAt: '2026-11-05T16:31:00.000Z',
              customerId: '0193c0de-5a1b-7c3d-9e4f-0a1b2c3d4e60',
              data: { roomId: '12345', lastMessage: 'Hi, where is my order?' },
            },
          ],
        },
      },
    },
  })
  @ApiOkResponse({ type: IngestResultDto })
  @ApiProblems(401, 403, 413, 415, 422)
  async ingest(@CurrentIdentity() id: Identity, @Body() body: IngestEventsDto): Promise<IngestResultDto> {
    const receivedAt = new Date();
    const result = await this.ingestion.ingest(id.appId, body.events);
    // Every rejected event is kept with its reason (X13, GET /v1/event-rejections).
    await this.rejections.record(
      id.appId,
      'events',
      apiKeyIdOf(id),
      result.rejected.map((r) => ({ ...r, payload: body.events[r.index] })),
      receivedAt,
    );
    return result;
  }
}
