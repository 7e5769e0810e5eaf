import { Injectable } from '@nestjs/common';
import { isValidTimeZone, SettingsService } from '@cdp/access';
import { ActivityTypesService, requireAmong } from '@cdp/activities';
import { ChannelsService, CUSTOMER_SOURCES, type CustomerSource } from '@cdp/channels';
import { CustomerTallies } from '@cdp/customers';
import { GroupsService } from '@cdp/groups';
import { Db, ValidationFailedError, type FieldIssue } from '@cdp/platform';
import { AnalyticsRepository } from './analytics.repository';
import type {
  ActivitiesAnalyticsDto,
  ActivitiesAnalyticsQueryDto,
  AnalyticsPointDto,
  AnalyticsSeriesDto,
  AnalyticsSummaryDto,
  CustomersAnalyticsDto,
  CustomersAnalyticsQueryDto,
  GroupBy,
} from './dto/analytics.dto';
import { intervalsOf, mondayOf, nextDay, rangeIssues, type Interval, type IntervalBucket } from './intervals';
import { ActiveDays } from './rollups/active-days';

export const SOURCE_LABELS: Record<CustomerSource, string> = {
  ads: 'Ads',
  organic: 'Organic',
  broadcast: 'Broadcast',
  admin: 'Added by Admin',
};

const DAY_MS = 86_400_000;

interface Range {
  from: string;
  to: string;
  interval: Interval;
  timezone: string;
  buckets: IntervalBucket[];
  bounds: Date[];
}

/**
 * The Analytics menu (API.md "Analytics", FEATURES.md AN1), answered from the read models only: the counts
 * per hour and quarter hour summed per interval, distinct active customers from the quarter-hour presence.
 */
@Injectable()
export class AnalyticsService {
  constructor(
    private readonly db: Db,
    private readonly repo: AnalyticsRepository,
    private readonly settings: SettingsService,
    private readonly channels: ChannelsService,
    private readonly activityTypes: ActivityTypesService,
    private readonly tallies: CustomerTallies,
    private readonly groups: GroupsService,
    private readonly activeDays: ActiveDays,
  ) {}

  async customers(appId: string, q: CustomersAnalyticsQueryDto): Promise<CustomersAnalyticsDto> {
    const range = await this.range(appId, q);
    const groupBy: GroupBy = q.groupBy ?? 'source';
    // The series by source need no channel (and on the embedded database a statement less is a wait less).
    const [rows, channels] = await Promise.all([
      this.customerCounts(appId, range, groupBy),
      groupBy === 'source' ? [] : this.channels.list(appId),
    ]);
    const channelById = new Map(channels.map((c) => [c.id, c]));
    const typeNames = new Map(this.channels.types().map((t) => [t.type, t.name]));
    const keyOf = (r: { channel_id: string | null; source: string | null }): string =>
      groupBy === 'source' ? r.source! : groupBy === 'channel' ? r.channel_id! : (channelById.get(r.channel_id!)?.type ?? 'unknown');
    let keys: { key: string; label: string }[];
    if (groupBy === 'source') keys = CUSTOMER_SOURCES.map((s) => ({ key: s, label: SOURCE_LABELS[s] }));
    else if (groupBy === 'channel')
      keys = [...channels].sort((a, b) => a.name.localeCompare(b.name) || cmp(a.id, b.id)).map((c) => ({ key: c.id, label: c.name }));
    else keys = [...new Set(channels.map((c) => c.type))].sort(cmp).map((type) => ({ key: type, label: typeNames.get(type) ?? type }));
    const series = this.series(
      range,
      keys,
      rows.map((r) => ({ i: r.i, key: keyOf(r), n: r.n })),
    );
    return { ...this.head(range), total: sumSeries(series), series };
  }

  async activities(appId: string, q: ActivitiesAnalyticsQueryDto): Promise<ActivitiesAnalyticsDto> {
    const types = q.types?.length ? [...new Set(q.types)] : null;
    // The catalogue of types is read beside the range's time zone, and the chosen types are checked in it.
    const [range, names] = await Promise.all([this.range(appId, q), this.activityTypes.names(appId)]);
    if (types) requireAmong(names, types, 'types');
    const [rows, active] = await Promise.all([this.activityCounts(appId, range, types), this.active(appId, range, types)]);
    // Without `types`, every type of the app, and the types of activities kept after their custom type went.
    const keys = types ?? [...new Set([...names.keys(), ...rows.map((r) => r.type)])].sort(cmp);
    const series = this.series(
      range,
      keys.map((key) => ({ key, label: names.get(key) ?? key })),
      rows.map((r) => ({ i: r.i, key: r.type, n: r.n })),
    );
    return { ...this.head(range), total: sumSeries(series), series, activeCustomers: this.points(range, active) };
  }

  /**
   * Customers created per interval and key: from the zone's day rows once ready (summed in the database by source,
   * or by channel for the channel and channel-type series), else by (channel, source) from hours and quarter hours.
   */
  private async customerCounts(appId: string, range: Range, groupBy: GroupBy) {
    if (!(await this.activeDays.ready(appId, range.timezone))) return this.repo.customerCounts(appId, range.bounds);
    const index = dayIndex(range);
    const rows = await this.activeDays.customerDays(
      appId,
      range.timezone,
      range.from,
      range.to,
      groupBy === 'source' ? 'source' : 'channel',
    );
    return rows.map((r) => ({ i: index.get(r.day) ?? 0, channel_id: r.channel_id, source: r.source, n: Number(r.n) }));
  }

  private async activityCounts(appId: string, range: Range, types: string[] | null) {
    if (!(await this.activeDays.ready(appId, range.timezone))) return this.repo.activityCounts(appId, range.bounds, types);
    const index = dayIndex(range);
    const rows = await this.activeDays.activityDays(appId, range.timezone, range.from, range.to, types);
    return rows.map((r) => ({ i: index.get(r.day) ?? 0, type: r.type, n: Number(r.n) }));
  }

  /**
   * Distinct active customers per interval: by day from the zone's day counts once it is ready (over all types,
   * or of the chosen types); otherwise (weeks, months, a zone not back-filled yet) from the quarter-hour presence.
   */
  private async active(appId: string, range: Range, types: string[] | null): Promise<{ i: number; n: number }[]> {
    if (range.interval === 'day' && (await this.activeDays.ready(appId, range.timezone))) {
      const days = range.buckets.map((b) => b.start);
      const counts = types
        ? await this.activeDays.typedCounts(appId, range.timezone, days, types)
        : await this.activeDays.counts(appId, range.timezone, days);
      return days.map((d, j) => ({ i: j + 1, n: counts.get(d) ?? 0 }));
    }
    return this.repo.activeCustomers(appId, range.bounds, types);
  }

  async summary(appId: string): Promise<AnalyticsSummaryDto> {
    const now = Date.now();
    const [totals, channels, linkedCustomers, groups, activeLast7Days, activeLast30Days, decided] = await Promise.all([
      this.repo.customerTotals(appId),
      this.channels.list(appId),
      this.tallies.countLinked(this.db, appId),
      this.groups.count(appId),
      this.tallies.countActiveSince(this.db, appId, new Date(now - 7 * DAY_MS)),
      this.tallies.countActiveSince(this.db, appId, new Date(now - 30 * DAY_MS)),
      this.tallies.countConsent(this.db, appId),
    ]);
    const typeOf = new Map(channels.map((c) => [c.id, c.type]));
    const bySource = { admin: 0, ads: 0, organic: 0, broadcast: 0 };
    const byChannelType: Record<string, number> = {};
    for (const c of channels) byChannelType[c.type] = 0;
    let customers = 0;
    for (const t of totals) {
      customers += t.n;
      if (t.source in bySource) bySource[t.source as CustomerSource] += t.n;
      const type = typeOf.get(t.channel_id);
      if (type) byChannelType[type] = (byChannelType[type] ?? 0) + t.n;
    }
    // Opted in and out are counted; unknown is the rest (a new customer's consent is unknown).
    const consent = { ...decided, unknown: Math.max(0, customers - decided.opted_in - decided.opted_out) };
    return { customers, bySource, byChannelType, linkedCustomers, groups, activeLast7Days, activeLast30Days, consent };
  }

  private async range(appId: string, q: { from: string; to: string; interval?: Interval; timezone?: string }): Promise<Range> {
    const interval = q.interval ?? 'day';
    const issues: FieldIssue[] = rangeIssues(q.from, q.to, interval);
    if (q.timezone !== undefined && !isValidTimeZone(q.timezone))
      issues.push({ field: 'timezone', code: 'invalid_timezone', message: 'timezone must be an IANA time zone name' });
    if (issues.length) throw new ValidationFailedError('The range is not valid', issues);
    const timezone = q.timezone ?? (await this.settings.get(appId)).timezone;
    const buckets = intervalsOf(q.from, q.to, interval, timezone);
    return { from: q.from, to: q.to, interval, timezone, buckets, bounds: [...buckets.map((b) => b.from), buckets[buckets.length - 1].to] };
  }

  private head(r: Range) {
    return { from: r.from, to: r.to, interval: r.interval, timezone: r.timezone };
  }

  /** One series per key, each with a point for every interval (zeros included); `rows` are 1-based interval numbers. */
  private series(r: Range, keys: { key: string; label: string }[], rows: { i: number; key: string; n: number }[]): AnalyticsSeriesDto[] {
    const counts = new Map(keys.map((k) => [k.key, new Array<number>(r.buckets.length).fill(0)]));
    for (const row of rows) {
      const c = counts.get(row.key);
      if (c && row.i >= 1 && row.i <= r.buckets.length) c[row.i - 1] += row.n;
    }
    return keys.map((k) => ({
      key: k.key,
      label: k.label,
      points: r.buckets.map((b, j) => ({ start: b.start, count: counts.get(k.key)![j] })),
    }));
  }

  private points(r: Range, rows: { i: number; n: number }[]): AnalyticsPointDto[] {
    const counts = new Array<number>(r.buckets.length).fill(0);
    for (const row of rows) if (row.i >= 1 && row.i <= r.buckets.length) counts[row.i - 1] += row.n;
    return r.buckets.map((b, j) => ({ start: b.start, count: counts[j] }));
  }
}

/** Each day of the range → the 1-based number of its interval. */
function dayIndex(r: Range): Map<string, number> {
  const byStart = new Map(r.buckets.map((b, j) => [b.start, j + 1]));
  const out = new Map<string, number>();
  for (let d = r.from; d <= r.to; d = nextDay(d)) {
    const name = r.interval === 'day' ? d : r.interval === 'week' ? mondayOf(d) : `${d.slice(0, 8)}01`;
    out.set(d, byStart.get(name) ?? 0);
  }
  return out;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const sumSeries = (series: AnalyticsSeriesDto[]) => series.reduce((s, x) => s + x.points.reduce((t, p) => t + p.count, 0), 0);
