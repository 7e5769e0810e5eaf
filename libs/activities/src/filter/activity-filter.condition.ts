import { Injectable, type OnModuleInit } from '@nestjs/common';
import { FilterConditionRegistry, type ActivityConditionValue, type FilterConditionContributor } from '@cdp/customers';
import { sql, Sql, sqlArray, type FieldIssue } from '@cdp/platform';
import { ActivityTypesService } from '../activity-types/activity-types.service';
import { PLATFORM_APP_ID } from '../activity-types/activity-types.repository';

/**
 * The filter's `activity` condition (FEATURES.md C8), contributed to the customers lib's compiler: customers
 * with at least one activity of the types (all when absent) in `[from, to)`, as an indexed semi-join on
 * `c.id` (PERFORMANCE.md rule 5), never a scan of customers probing each.
 * - A window that ends now (no `to`) is answered from the per-type summary: a customer had such an activity
 *   since `from` exactly when its last one of that type is at or after `from`.
 * - Otherwise PostgreSQL picks one of two index-only paths: the activities of the window from
 *   `(app_id, type, occurred_at, customer_id)`, grouped by customer, when the other conditions leave many
 *   candidates; or, when they bound the candidates (property slots, channels, source), one probe per candidate
 *   into `(app_id, customer_id, occurred_at) include (type)` — never a walk of the app's customers.
 * "All types" is the app's catalogue, so the index is probed per type instead of read whole for the app.
 */
@Injectable()
export class ActivityFilterCondition implements FilterConditionContributor<ActivityConditionValue>, OnModuleInit {
  constructor(
    private readonly registry: FilterConditionRegistry,
    private readonly types: ActivityTypesService,
  ) {}

  onModuleInit(): void {
    this.registry.register('activity', this);
  }

  async validate(appId: string, value: ActivityConditionValue, field: string): Promise<FieldIssue[]> {
    const keys = [...new Set(value.types ?? [])];
    if (!keys.length) return [];
    const known = await this.types.known(appId, keys);
    return keys
      .filter((k) => !known.has(k))
      .map((k) => ({ field: `${field}.types`, code: 'unknown_activity_type', message: `"${k}" is not an activity type of this app` }));
  }

  compile(appId: string, value: ActivityConditionValue): Sql {
    const keys = [...new Set(value.types ?? [])];
    const types = keys.length
      ? sql`type = any(${sqlArray(keys, 'text')})`
      : sql`type in (select key from activity_types where app_id = ${PLATFORM_APP_ID} or app_id = ${appId})`;
    if (!value.to) {
      const since = value.from ? sql` and last_at >= ${value.from}::timestamptz` : Sql.raw('');
      return sql`c.id in (select customer_id from customer_activity_types where app_id = ${appId} and ${types}${since})`;
    }
    const from = value.from ? sql` and occurred_at >= ${value.from}::timestamptz` : Sql.raw('');
    return sql`c.id in (select customer_id from activities where app_id = ${appId} and ${types}${from} and occurred_at < ${value.to}::timestamptz)`;
  }
}
