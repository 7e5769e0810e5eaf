import { Injectable } from '@nestjs/common';
import { ActivityTallies } from '@cdp/activities';
import { CustomerTallies } from '@cdp/customers';
import { Db, JobHandler, JobRunner, Sql, sql, type JobHandlerContract, type Tx } from '@cdp/platform';
import { ActiveDays, lockReadModels } from './active-days';

export const REBUILD_QUEUE = 'analytics.rebuild';
export interface RebuildJob {
  appId: string;
}
export interface RebuildResult {
  customers: number;
  activities: number;
}

const TABLES = [
  'analytics_customer_ledger',
  'analytics_customer_counts',
  'analytics_customer_totals',
  'analytics_activity_counts',
  'analytics_activity_presence',
];

/**
 * Builds an app's read models again from the base tables: for data that was loaded around the service (a
 * bulk load, a restore) or written before the read models existed. One transaction: the analytics tables
 * are locked against writers first, so a write either committed before (and is read here) or waits and is
 * added after; the app's rows are replaced; readers keep the old figures until the commit.
 */
@Injectable()
@JobHandler(REBUILD_QUEUE)
export class AnalyticsRebuild implements JobHandlerContract<RebuildJob> {
  constructor(
    private readonly db: Db,
    private readonly jobs: JobRunner,
    private readonly customers: CustomerTallies,
    private readonly activities: ActivityTallies,
    private readonly activeDays: ActiveDays,
  ) {}

  /** Queues a rebuild of the app (one at a time per app). */
  async enqueue(appId: string): Promise<void> {
    await this.jobs.enqueue<RebuildJob>(REBUILD_QUEUE, { appId }, { jobId: `analytics-rebuild-${appId.replace(/[^A-Za-z0-9._-]/g, '_')}` });
  }

  async run(data: RebuildJob): Promise<void> {
    await this.rebuild(data.appId);
  }

  rebuild(appId: string): Promise<RebuildResult> {
    return this.db.transaction((tx) => this.rebuildIn(tx, appId));
  }

  private async rebuildIn(tx: Tx, appId: string): Promise<RebuildResult> {
    await lockReadModels(tx);
    for (const table of TABLES) await tx.run(sql`delete from ${Sql.raw(table)} where app_id = ${appId}`);
    // Set-based, inside the database: one pass over the app's customers and one over its activities (a page of
    // customers at a time probed the activities index per customer: a random read per activity, 19 minutes for
    // ten million on PostgreSQL, where one aggregated pass takes seconds). Rows go in in primary-key order, so
    // the key's btree is appended to rather than split at random (twice as fast at a million rows).
    await tx.run(sql`
      insert into analytics_customer_ledger (app_id, customer_id, created_at, channel_id, source)
      select ${appId}, x.customer_id, x.created_at, x.channel_id, x.source from (${this.customers.createdRows(appId)}) x
      order by x.customer_id`);
    await tx.run(sql`
      insert into analytics_activity_presence (app_id, customer_id, type, bucket, n)
      select ${appId}, x.customer_id, x.type, x.bucket, x.n from (${this.activities.byCustomerQuarter(appId)}) x
      order by x.customer_id, x.type, x.bucket`);
    const totals = await tx.one<{ customers: number | string; activities: number | string | null }>(sql`
      select (select count(*) from analytics_customer_ledger where app_id = ${appId}) as customers,
             (select sum(n) from analytics_activity_presence where app_id = ${appId}) as activities`);
    const customers = Number(totals?.customers ?? 0);
    const activities = Number(totals?.activities ?? 0);
    // The counts follow from the ledger and the presence rows, summed in the database.
    await tx.run(sql`
      insert into analytics_customer_counts (app_id, grain, bucket, channel_id, source, n)
      select ${appId}, g.grain, date_bin(make_interval(mins => g.grain), l.created_at, timestamptz '2000-01-01 00:00:00+00'), l.channel_id, l.source, count(*)
      from analytics_customer_ledger l cross join (values (15), (60)) as g(grain)
      where l.app_id = ${appId}
      group by 1, 2, 3, 4, 5`);
    await tx.run(sql`
      insert into analytics_customer_totals (app_id, channel_id, source, n)
      select ${appId}, channel_id, source, count(*) from analytics_customer_ledger where app_id = ${appId} group by 1, 2, 3`);
    await tx.run(sql`
      insert into analytics_activity_counts (app_id, grain, bucket, type, n)
      select ${appId}, g.grain, date_bin(make_interval(mins => g.grain), p.bucket, timestamptz '2000-01-01 00:00:00+00'), p.type, sum(p.n)
      from analytics_activity_presence p cross join (values (15), (60)) as g(grain)
      where p.app_id = ${appId}
      group by 1, 2, 3, 4`);
    for (const zone of await this.activeDays.zones(tx, appId)) await this.activeDays.backfill(tx, appId, zone);
    return { customers, activities };
  }
}
