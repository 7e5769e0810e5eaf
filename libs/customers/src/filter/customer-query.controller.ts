import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, CurrentIdentity, type Identity } from '@cdp/access';
import { ApiProblems } from '@cdp/platform';
import { CustomerQueryService } from './customer-query.service';
import {
  CountCustomersDto,
  CustomerCountDto,
  CustomerPageDto,
  ListCustomersQueryDto,
  NormalizedFilterDto,
  NormalizeFilterDto,
  SearchCustomersDto,
  type CustomerFilterDto,
} from './filter.dto';

@ApiTags('Search and filter')
@ApiBearerAuth()
@Controller('v1/customers')
export class CustomerQueryController {
  constructor(private readonly customers: CustomerQueryService) {}

  @Get()
  @Can('read', 'Customer')
  @ApiOperation({
    operationId: 'listCustomers',
    summary: 'List customers: search and the common filters as query parameters (comma lists), newest first by default',
  })
  @ApiOkResponse({ type: CustomerPageDto })
  @ApiProblems(401, 403, 422)
  list(@CurrentIdentity() id: Identity, @Query() q: ListCustomersQueryDto) {
    const filter: CustomerFilterDto = {
      search: q.search,
      channelIds: q.channelId,
      channelTypes: q.channelType,
      sources: q.source,
      platforms: q.platform,
      tags: q.tag,
      linked: q.linked,
      consent: q.consent,
    };
    return this.customers.search(id.appId, { filter, sort: q.sort, limit: q.limit, cursor: q.cursor }, { field: '' });
  }

  @Post('search')
  @HttpCode(200)
  @Can('read', 'Customer')
  @ApiOperation({ operationId: 'searchCustomers', summary: 'Search customers with the whole filter language (API.md "Filter"), one page' })
  @ApiBody({
    type: SearchCustomersDto,
    examples: {
      filter: {
        summary: 'VIPs from ads on WhatsApp in Jakarta who purchased in November',
        value: {
          filter: {
            channelTypes: ['wa'],
            sources: ['ads'],
            tags: ['vip'],
            properties: { match: 'all', conditions: [{ key: 'city', operator: 'eq', value: 'Jakarta' }] },
            activity: { types: ['purchase.completed'], from: '2026-11-01', to: '2026-11-30' },
            timezone: 'Asia/Jakarta',
          },
          sort: '-lastActivityAt',
          limit: 25,
        },
      },
    },
  })
  @ApiOkResponse({ type: CustomerPageDto })
  @ApiProblems(401, 403, 422)
  search(@CurrentIdentity() id: Identity, @Body() body: SearchCustomersDto) {
    return this.customers.search(id.appId, body);
  }

  @Post('count')
  @HttpCode(200)
  @Can('read', 'Customer')
  @ApiOperation({
    operationId: 'countCustomers',
    summary: 'Count the customers a filter matches; with limit, counting stops there (capped: true when more match)',
  })
  @ApiOkResponse({ type: CustomerCountDto })
  @ApiProblems(401, 403, 422)
  count(@CurrentIdentity() id: Identity, @Body() body: CountCustomersDto) {
    return this.customers.count(id.appId, body);
  }

  @Post('filter/normalize')
  @HttpCode(200)
  @Can('read', 'Customer')
  @ApiOperation({
    operationId: 'normalizeFilter',
    summary:
      'The filter as the screen shows it after a channel change: sources the channels do not allow dropped, which sources are enabled',
  })
  @ApiOkResponse({ type: NormalizedFilterDto })
  @ApiProblems(401, 403, 422)
  normalize(@CurrentIdentity() id: Identity, @Body() body: NormalizeFilterDto) {
    return this.customers.normalize(id.appId, body.filter);
  }
}
