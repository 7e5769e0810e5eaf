import { Injectable } from '@nestjs/common';
import { ActivityTallies } from '@cdp/activities';
import { CustomerTallies } from '@cdp/customers';
import {
  Db,
  JobHandler,
  JobRunner,
  Sql,
  holdOutboxRelay,
  markPendingOfTypeHandled,
  sql,
  type JobHandlerContract,
  type Tx,
} from '@cdp/platform';
import { ActiveDays, lockReadModels } from './active-days';
import { ACTIVITIES_STORED } from './activities-stored.event';

export const REBUILD_QUEUE = 'analytics.rebuild';
export interface RebuildJob {
  appId: string;
}
export interface RebuildResult {
  customers: number;
  activities: number;
}

/** The advisory lock class of an app's activity counting: writers share it, a rebuild of the app takes it alone. */
const COUNTING_LOCK = 7_101_965;
/** An app's key within the class (FNV-1a, 32 bits): two apps that share one only wait for each other's rebuild. */
function appKey(appId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < appId.length; i++) h = Math.imul(h ^ appId.charCodeAt(i), 0x01000193);
  return h | 0;
}

/**
 * Taken by a transaction that stores activities, before it records their `ActivitiesStoredEvent`, and held to
 * its commit: a rebuild of the app waits for it (and then reads its activities and marks its event handled),
 * or it waits for the rebuild (whose reads did not see its activities, so its event counts them after).
 */
export async function shareActivityCounting(tx: Tx, appId: string): Promise<void> {
  await tx.run(sql`select pg_advisory_xact_lock_shared(${COUNTING_LOCK}::int, ${appKey(appId)}::int)`);
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
 * bulk load, a restore) or written before the read models existed. One transaction: the outbox relay is held
 * (no round commits meanwhile), the app's activity writers are waited for and kept out, and the analytics
 * tables are locked against the other writers, in that order; so a write either committed before (and is
 * read here; the app's activity events still waiting are marked handled, since this counts them) or waits and
 * is added after. The app's rows are replaced; readers keep the old figures until the commit.
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
    await holdOutboxRelay(tx);
    await tx.run(sql`select pg_advisory_xact_lock(${COUNTING_LOCK}::int, ${appKey(appId)}::int)`);
    await lockReadModels(tx);
    await markPendingOfTypeHandled(tx, appId, ACTIVITIES_STORED);
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
