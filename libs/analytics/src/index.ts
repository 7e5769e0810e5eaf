// The only public face of the analytics lib (DESIGN.md "Layout").
export { AnalyticsModule } from './analytics.module';
export { AnalyticsService, SOURCE_LABELS } from './analytics.service';
export { AnalyticsRollups } from './rollups/analytics-rollups';
export { ActiveDays, ACTIVE_DAYS_QUEUE, MAX_TRACKED_ZONES, type ActiveDaysJob } from './rollups/active-days';
export { AnalyticsRebuild, REBUILD_QUEUE, type RebuildJob, type RebuildResult } from './rollups/analytics-rebuild';
export {
  ActivitiesAnalyticsDto,
  ActivitiesAnalyticsQueryDto,
  AnalyticsPointDto,
  AnalyticsSeriesDto,
  AnalyticsSummaryDto,
  CustomersAnalyticsDto,
  CustomersAnalyticsQueryDto,
  GROUP_BYS,
  type GroupBy,
} from './dto/analytics.dto';
export { INTERVALS, MAX_DAYS_BY_DAY, MAX_YEARS, intervalsOf, mondayOf, type Interval, type IntervalBucket } from './intervals';
