import { Injectable } from '@nestjs/common';
import { Db, sql, Sql, sqlArray } from '@cdp/platform';
import type { ActivityRow } from './timeline.dto';

@Injectable()
export class TimelineRepository {
  constructor(private readonly db: Db) {}

  /** Newest first on `(app_id, customer_id, occurred_at desc, id desc)`, keyset after `(occurredAt, id)`. */
  page(appId: string, customerIds: string[], opts: PageOptions): Promise<ActivityRow[]> {
    const who =
      customerIds.length === 1 ? sql`customer_id = ${customerIds[0]}::uuid` : sql`customer_id = any(${sqlArray(customerIds, 'uuid')})`;
    const conds: Sql[] = [sql`app_id = ${appId}`, who, ...rangeConditions(opts)];
    return this.db.query<ActivityRow>(sql`
      select id, customer_id, type, occurred_at, data from activities
      where ${Sql.join(conds, ' and ')}
      order by occurred_at desc, id desc limit ${opts.limit}`);
  }

  /**
   * One customer's own page in one statement: its activities on `(app_id, customer_id, occurred_at desc, id
   * desc)` and each type's name. An empty page says nothing about the customer's existence (the caller asks).
   */
  ownPage(appId: string, customerId: string, opts: PageOptions): Promise<(ActivityRow & { type_name: string })[]> {
    const conds = [sql`a.app_id = ${appId}`, sql`a.customer_id = ${customerId}::uuid`, ...rangeConditions(opts, 'a.')];
    return this.db.query<ActivityRow & { type_name: string }>(sql`
      select a.id, a.customer_id, a.type, a.occurred_at, a.data, coalesce(t.name, a.type) as type_name
      from (
        select a.id, a.customer_id, a.type, a.occurred_at, a.data from activities a
        where ${Sql.join(conds, ' and ')}
        order by a.occurred_at desc, a.id desc limit ${opts.limit}
      ) a
      left join activity_types t on t.key = a.type and t.app_id in ('', ${appId})
      order by a.occurred_at desc, a.id desc`);
  }
}

export interface PageOptions {
  types?: string[];
  from?: Date;
  to?: Date;
  after?: { occurredAt: Date; id: string };
  limit: number;
}

function rangeConditions(opts: PageOptions, p: '' | 'a.' = ''): Sql[] {
  const conds: Sql[] = [];
  const col = (name: string) => Sql.raw(p + name);
  if (opts.types?.length) conds.push(sql`${col('type')} = any(${sqlArray(opts.types, 'text')})`);
  if (opts.from) conds.push(sql`${col('occurred_at')} >= ${opts.from}`);
  if (opts.to) conds.push(sql`${col('occurred_at')} < ${opts.to}`);
  if (opts.after) conds.push(sql`(${col('occurred_at')}, ${col('id')}) < (${opts.after.occurredAt}::timestamptz, ${opts.after.id}::uuid)`);
  return conds;
}
