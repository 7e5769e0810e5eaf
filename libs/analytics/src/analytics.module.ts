import { Module } from '@nestjs/common';
import { ActivitiesCoreModule } from '@cdp/activities';
import { ChannelsModule } from '@cdp/channels';
import { CustomersModule } from '@cdp/customers';
import { GroupsModule } from '@cdp/groups';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsRepository } from './analytics.repository';
import { AnalyticsService } from './analytics.service';
import { ActiveDays } from './rollups/active-days';
import { AnalyticsHooks } from './rollups/analytics-hooks';
import { AnalyticsRebuild } from './rollups/analytics-rebuild';
import { AnalyticsRollups } from './rollups/analytics-rollups';

/**
 * The Analytics menu (API.md "Analytics") and the read models it answers from, kept current by the writes
 * (libs/analytics/README.md). Needs the global PlatformModule, AccessModule and CqrsModule.
 */
@Module({
  imports: [ChannelsModule, CustomersModule, GroupsModule, ActivitiesCoreModule],
  controllers: [AnalyticsController],
  providers: [AnalyticsRepository, AnalyticsService, ActiveDays, AnalyticsRollups, AnalyticsHooks, AnalyticsRebuild],
  exports: [AnalyticsService, AnalyticsRollups, AnalyticsRebuild, ActiveDays],
})
export class AnalyticsModule {}
