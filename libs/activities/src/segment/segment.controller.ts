import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBody, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Public } from '@cdp/access';
import { ApiProblems } from '@cdp/platform';
import { SEGMENT_BODY_LIMIT, type SegmentType } from './segment-message';
import { SEGMENT_ROUTE } from './segment-http';
import { SegmentIngestionService } from './segment-ingestion.service';
import { SEGMENT_BATCH_SCHEMA, SEGMENT_MESSAGE_SCHEMA, SegmentResultDto } from './segment.dto';

/** The OpenAPI security scheme of the write key (Basic auth, the API key as user name). */
export const SEGMENT_WRITE_KEY_SCHEME = 'segment-write-key';

const ROUTE = { ...SEGMENT_ROUTE, bodyLimit: SEGMENT_BODY_LIMIT, tooLargeIsBadRequest: true };
const DESCRIPTION =
  'Segment HTTP Tracking API: send with @segment/analytics-node, @rudderstack/rudder-sdk-node or any Segment-spec sender by ' +
  'pointing its host at this service. Write key: an API key bound to a channel, as Basic auth user name (or `writeKey` in the body). ' +
  'Bodies up to 500 KB (gzip accepted), messages up to 32 KB. A message rejected on its own is listed in `rejected` (and in ' +
  'GET /v1/event-rejections); the answer is 400 only for what a retry cannot fix, 429 above the per-key rate.';

/** `POST /v1/batch` and the single-message paths of the Segment spec (FEATURES.md X11). */
@ApiTags('Segment')
@ApiSecurity(SEGMENT_WRITE_KEY_SCHEME)
@Public()
@Controller('v1')
export class SegmentController {
  constructor(private readonly segment: SegmentIngestionService) {}

  @Post('batch')
  @HttpCode(200)
  @RouteConfig(ROUTE)
  @ApiOperation({ operationId: 'ingestSegmentBatch', summary: 'Ingest a batch of Segment-spec messages', description: DESCRIPTION })
  @ApiBody({ schema: SEGMENT_BATCH_SCHEMA })
  @ApiOkResponse({ type: SegmentResultDto })
  @ApiProblems(400, 401, 403, 415, 429)
  batch(@Headers('authorization') auth: string | undefined, @Body() body: unknown): Promise<SegmentResultDto> {
    return this.receive(auth, body);
  }

  @Post('identify')
  @HttpCode(200)
  @RouteConfig(ROUTE)
  @ApiOperation({
    operationId: 'identifySegmentUser',
    summary: 'Segment identify: who the customer is, and their traits',
    description: DESCRIPTION,
  })
  @ApiBody({ schema: SEGMENT_MESSAGE_SCHEMA })
  @ApiOkResponse({ type: SegmentResultDto })
  @ApiProblems(400, 401, 403, 415, 429)
  identify(@Headers('authorization') auth: string | undefined, @Body() body: unknown): Promise<SegmentResultDto> {
    return this.receive(auth, body, 'identify');
  }

  @Post('track')
  @HttpCode(200)
  @RouteConfig(ROUTE)
  @ApiOperation({ operationId: 'trackSegmentEvent', summary: 'Segment track: an activity named after the event', description: DESCRIPTION })
  @ApiBody({ schema: SEGMENT_MESSAGE_SCHEMA })
  @ApiOkResponse({ type: SegmentResultDto })
  @ApiProblems(400, 401, 403, 415, 429)
  track(@Headers('authorization') auth: string | undefined, @Body() body: unknown): Promise<SegmentResultDto> {
    return this.receive(auth, body, 'track');
  }

  @Post('page')
  @HttpCode(200)
  @RouteConfig(ROUTE)
  @ApiOperation({ operationId: 'recordSegmentPage', summary: 'Segment page: a page.viewed activity', description: DESCRIPTION })
  @ApiBody({ schema: SEGMENT_MESSAGE_SCHEMA })
  @ApiOkResponse({ type: SegmentResultDto })
  @ApiProblems(400, 401, 403, 415, 429)
  page(@Headers('authorization') auth: string | undefined, @Body() body: unknown): Promise<SegmentResultDto> {
    return this.receive(auth, body, 'page');
  }

  @Post('screen')
  @HttpCode(200)
  @RouteConfig(ROUTE)
  @ApiOperation({ operationId: 'recordSegmentScreen', summary: 'Segment screen: a screen.viewed activity', description: DESCRIPTION })
  @ApiBody({ schema: SEGMENT_MESSAGE_SCHEMA })
  @ApiOkResponse({ type: SegmentResultDto })
  @ApiProblems(400, 401, 403, 415, 429)
  screen(@Headers('authorization') auth: string | undefined, @Body() body: unknown): Promise<SegmentResultDto> {
    return this.receive(auth, body, 'screen');
  }

  @Post('group')
  @HttpCode(200)
  @RouteConfig(ROUTE)
  @ApiOperation({ operationId: 'groupSegmentUser', summary: 'Segment group: an account.associated activity', description: DESCRIPTION })
  @ApiBody({ schema: SEGMENT_MESSAGE_SCHEMA })
  @ApiOkResponse({ type: SegmentResultDto })
  @ApiProblems(400, 401, 403, 415, 429)
  group(@Headers('authorization') auth: string | undefined, @Body() body: unknown): Promise<SegmentResultDto> {
    return this.receive(auth, body, 'group');
  }

  @Post('alias')
  @HttpCode(200)
  @RouteConfig(ROUTE)
  @ApiOperation({
    operationId: 'aliasSegmentUser',
    summary: 'Segment alias: two ids of one person (a duplicate suggestion, never a merge)',
    description: DESCRIPTION,
  })
  @ApiBody({ schema: SEGMENT_MESSAGE_SCHEMA })
  @ApiOkResponse({ type: SegmentResultDto })
  @ApiProblems(400, 401, 403, 415, 429)
  alias(@Headers('authorization') auth: string | undefined, @Body() body: unknown): Promise<SegmentResultDto> {
    return this.receive(auth, body, 'alias');
  }

  private receive(authorization: string | undefined, body: unknown, pathType?: SegmentType): Promise<SegmentResultDto> {
    return this.segment.receive({ authorization, body, pathType, receivedAt: new Date() });
  }
}
