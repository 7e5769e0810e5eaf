import { Injectable } from '@nestjs/common';
import { Db, Sql, sql, sqlArray } from '@cdp/platform';
import { bucketPlan } from './intervals';

export interface CustomerCountRow {
  i: number;
  channel_id: string;
  source: string;
  n: number;
}
export interface ActivityCountRow {
  i: number;
  type: string;
  n: number;
}
export interface ActiveRow {
  i: number;
  n: number;
}

/**
 * Reads of the analytics read models. Every statement numbers a bucket by the interval it falls in with
 * `width_bucket(bucket, bounds)` (the intervals' UTC starts, computed in Node from the time zone) and reads
 * whole hours where no bound cuts the hour, quarter hours in the hours a bound cuts.
 */
@Injectable()
export class AnalyticsRepository {
  constructor(private readonly db: Db) {}

  async customerCounts(appId: string, bounds: Date[]): Promise<CustomerCountRow[]> {
    const rows = await this.db.query<CustomerCountRow>(this.byBucket(appId, bounds, 'analytics_customer_counts', sql`channel_id, source`));
    return rows.map((r) => ({ ...r, i: Number(r.i), n: Number(r.n) }));
  }

  async activityCounts(appId: string, bounds: Date[], types: string[] | null): Promise<ActivityCountRow[]> {
    const rows = await this.db.query<ActivityCountRow>(
      this.byBucket(
        appId,
        bounds,
        'analytics_activity_counts',
        sql`type`,
        types ? sql`and type = any(${sqlArray(types, 'text')})` : undefined,
      ),
    );
    return rows.map((r) => ({ ...r, i: Number(r.i), n: Number(r.n) }));
  }

  /** Distinct customers with an activity (of `types`, or any) per interval, from the quarter-hour presence rows. */
  async activeCustomers(appId: string, bounds: Date[], types: string[] | null): Promise<ActiveRow[]> {
    const b = sqlArray(
      bounds.map((d) => d.toISOString()),
      'timestamptz',
    );
    const rows = await this.db.query<ActiveRow>(sql`
      select width_bucket(bucket, ${b}) as i, count(distinct customer_id) as n
      from analytics_activity_presence
      where app_id = ${appId} and bucket >= ${bounds[0].toISOString()}::timestamptz
        and bucket < ${bounds[bounds.length - 1].toISOString()}::timestamptz
        ${types ? sql`and type = any(${sqlArray(types, 'text')})` : sql``}
      group by 1`);
    return rows.map((r) => ({ i: Number(r.i), n: Number(r.n) }));
  }

  async customerTotals(appId: string): Promise<{ channel_id: string; source: string; n: number }[]> {
    const rows = await this.db.query<{ channel_id: string; source: string; n: number }>(sql`
      select channel_id, source, n from analytics_customer_totals where app_id = ${appId} and n <> 0`);
    return rows.map((r) => ({ ...r, n: Number(r.n) }));
  }

  /** Sums of a counts table per interval and key: whole hours, and the quarter hours of the hours a bound cuts. */
  private byBucket(
    appId: string,
    bounds: Date[],
    table: 'analytics_customer_counts' | 'analytics_activity_counts',
    keys: Sql,
    where?: Sql,
  ): Sql {
    const plan = bucketPlan(bounds);
    const b = sqlArray(
      bounds.map((d) => d.toISOString()),
      'timestamptz',
    );
    const t = Sql.raw(table);
    const extra = where ?? sql``;
    return sql`
      select i, ${keys}, sum(n) as n from (
        select width_bucket(bucket, ${b}) as i, ${keys}, n from ${t}
        where app_id = ${appId} and grain = 60
          and bucket >= ${plan.hourFrom.toISOString()}::timestamptz and bucket < ${plan.hourTo.toISOString()}::timestamptz
          and bucket <> all(${sqlArray(
            plan.splitHours.map((d) => d.toISOString()),
            'timestamptz',
          )}) ${extra}
        union all
        select width_bucket(bucket, ${b}) as i, ${keys}, n from ${t}
        where app_id = ${appId} and grain = 15
          and bucket = any(${sqlArray(
            plan.quarters.map((d) => d.toISOString()),
            'timestamptz',
          )}) ${extra}
      ) x
      where i between 1 and ${bounds.length - 1}
      group by i, ${keys}`;
  }
}
