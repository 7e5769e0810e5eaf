import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, CurrentIdentity, type Identity } from '@cdp/access';
import { ApiProblems } from '@cdp/platform';
import { AnalyticsService } from './analytics.service';
import {
  ActivitiesAnalyticsDto,
  ActivitiesAnalyticsQueryDto,
  AnalyticsSummaryDto,
  CustomersAnalyticsDto,
  CustomersAnalyticsQueryDto,
} from './dto/analytics.dto';

@ApiTags('Analytics')
@ApiBearerAuth()
@Controller('v1/analytics')
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  @Get('customers')
  @Can('read', 'Customer')
  @ApiOperation({
    operationId: 'getCustomerAnalytics',
    summary: 'Customers created per day, week or month, by source, channel type or channel (every role)',
  })
  @ApiOkResponse({ type: CustomersAnalyticsDto })
  @ApiProblems(401, 403, 422)
  customers(@CurrentIdentity() id: Identity, @Query() q: CustomersAnalyticsQueryDto): Promise<CustomersAnalyticsDto> {
    return this.analytics.customers(id.appId, q);
  }

  @Get('activities')
  @Can('read', 'Customer')
  @ApiOperation({
    operationId: 'getActivityAnalytics',
    summary: 'Activities per type and distinct active customers per day, week or month (every role)',
  })
  @ApiOkResponse({ type: ActivitiesAnalyticsDto })
  @ApiProblems(401, 403, 422)
  activities(@CurrentIdentity() id: Identity, @Query() q: ActivitiesAnalyticsQueryDto): Promise<ActivitiesAnalyticsDto> {
    return this.analytics.activities(id.appId, q);
  }

  @Get('summary')
  @Can('read', 'Customer')
  @ApiOperation({
    operationId: 'getAnalyticsSummary',
    summary: 'Customers by source and channel type, linked, groups, active, consent (every role)',
  })
  @ApiOkResponse({ type: AnalyticsSummaryDto })
  @ApiProblems(401, 403)
  summary(@CurrentIdentity() id: Identity): Promise<AnalyticsSummaryDto> {
    return this.analytics.summary(id.appId);
  }
}
