import { Inject, Injectable } from '@nestjs/common';
import { SettingsService, isValidTimeZone } from '@cdp/access';
import { CustomerLinks, CustomersService, dayRangeUtc, isIsoDate } from '@cdp/customers';
import {
  CURSOR_CODEC,
  CursorCodec,
  DEFAULT_PAGE_SIZE,
  isUuid,
  NotFoundError,
  ValidationFailedError,
  type FieldIssue,
  type Page,
} from '@cdp/platform';
import { ActivityTypesService } from '../activity-types/activity-types.service';
import { toTimelineItem, type DayRangeQueryDto, type TimelineItemDto, type TimelineQueryDto } from './timeline.dto';
import { TimelineRepository } from './timeline.repository';
import type { ActivityRow } from './timeline.dto';

/**
 * Calendar days of a query (`from`/`to` inclusive, or `on`) in a time zone (the query's, else the app's)
 * as half-open UTC bounds. Validation failures are 422 `validation_failed` naming the field.
 */
export async function resolveDays(q: DayRangeQueryDto, appTimezone: () => Promise<string>): Promise<{ from?: Date; to?: Date }> {
  const issues: FieldIssue[] = [];
  for (const key of ['from', 'to', 'on'] as const)
    if (q[key] !== undefined && !isIsoDate(q[key]))
      issues.push({ field: key, code: 'invalid_date', message: `${key} is not a date that exists` });
  if (q.on !== undefined && (q.from !== undefined || q.to !== undefined))
    issues.push({ field: 'on', code: 'on_with_range', message: 'on (a single day) cannot be combined with from/to' });
  if (q.from && q.to && q.from > q.to) issues.push({ field: 'to', code: 'invalid_range', message: 'to must not be before from' });
  if (q.timezone !== undefined && !isValidTimeZone(q.timezone))
    issues.push({ field: 'timezone', code: 'invalid_timezone', message: 'timezone must be an IANA time zone name' });
  if (issues.length) throw new ValidationFailedError('The query is not valid', issues);
  if (!q.on && !q.from && !q.to) return {};
  const tz = q.timezone ?? (await appTimezone());
  return q.on ? dayRangeUtc({ from: q.on, to: q.on }, tz) : dayRangeUtc({ from: q.from, to: q.to }, tz);
}

/** A customer's activity timeline (FEATURES.md A3), or its whole linked set's (X7), newest first. */
@Injectable()
export class TimelineService {
  constructor(
    private readonly repo: TimelineRepository,
    private readonly customers: CustomersService,
    private readonly links: CustomerLinks,
    private readonly types: ActivityTypesService,
    private readonly settings: SettingsService,
    @Inject(CURSOR_CODEC) private readonly cursors: CursorCodec,
  ) {}

  async page(appId: string, customerId: string, q: TimelineQueryDto): Promise<Page<TimelineItemDto>> {
    if (!isUuid(customerId)) throw new NotFoundError('Customer');
    const bounds = await resolveDays(q, async () => (await this.settings.get(appId)).timezone);
    const scope = q.scope ?? 'self';
    const list = { appId, list: `timeline:${customerId}` };
    const position = q.cursor ? this.cursors.decodeTimeId(list, q.cursor) : undefined;
    const after = position && { occurredAt: position.at, id: position.id };
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const pageOptions = { types: q.types, from: bounds.from, to: bounds.to, after, limit: limit + 1 };

    if (q.types?.length) await this.types.requireKnown(appId, q.types, 'types');
    let rows: ActivityRow[];
    let names: ReadonlyMap<string, string>;
    if (scope === 'self') {
      // One statement: the page and the types' names. Activities cascade with their customer, so a page with
      // rows proves the customer is the app's; only an empty page asks.
      rows = await this.repo.ownPage(appId, customerId, pageOptions);
      if (!rows.length && !(await this.customers.exists(appId, customerId))) throw new NotFoundError('Customer');
      names = new Map((rows as (ActivityRow & { type_name: string })[]).map((r) => [r.type, r.type_name]));
    } else {
      const c = await this.customers.getRow(appId, customerId);
      const ids = c.profile_id ? (await this.links.members(appId, c.profile_id)).map((m) => m.id) : [c.id];
      if (!ids.includes(c.id)) ids.push(c.id);
      [rows, names] = await Promise.all([this.repo.page(appId, ids, pageOptions), this.types.names(appId)]);
    }
    return this.cursors.timeIdPage(
      list,
      rows,
      limit,
      (r) => [r.occurred_at, r.id],
      (r) => toTimelineItem(r, names),
    );
  }
}
