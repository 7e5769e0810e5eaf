import { Injectable } from '@nestjs/common';
import { Db, JobHandler, JobRunner, sql, sqlArray, type JobHandlerContract, type Tx } from '@cdp/platform';
import { localDayOf, nextDay, startOfDayUtc } from '../intervals';

export const ACTIVE_DAYS_QUEUE = 'analytics.active-days';
/** Zones tracked per app: each one adds an upsert to every activity batch. */
export const MAX_TRACKED_ZONES = 4;

export interface ActiveDaysJob {
  appId: string;
  zone: string;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Rows taken away, per tracked zone, the zones in order (writers update a zone's counts in one order). */
function byZone<T extends { zone: string }>(rows: readonly T[]): [string, T[]][] {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.zone);
    if (list) list.push(r);
    else out.set(r.zone, [r]);
  }
  return [...out.entries()].sort(([a], [b]) => byText(a, b));
}

/**
 * Distinct active customers per calendar day in a zone, answered from a counter per day, over all types and per
 * type. Distinct counts do not add up across hours, so they are kept per zone: for the zones the menu is asked
 * in (the app's own, in practice), tracked from the first request, back-filled from the quarter-hour presence
 * rows by a job, then upserted by the activity hook. Until a zone is ready (and for a fifth zone), the presence
 * rows answer.
 */
@Injectable()
@JobHandler(ACTIVE_DAYS_QUEUE)
export class ActiveDays implements JobHandlerContract<ActiveDaysJob> {
  constructor(
    private readonly db: Db,
    private readonly jobs: JobRunner,
  ) {}

  /** Zones known ready in this process: a ready zone stays ready (writers and the rebuild keep its rows). */
  private readonly readyZones = new Set<string>();

  /** Whether the zone's day rows are complete; a zone asked for the first time is tracked (within the limit). */
  async ready(appId: string, zone: string): Promise<boolean> {
    const key = `${appId}\n${zone}`;
    if (this.readyZones.has(key)) return true;
    const state = await this.db.one<{ ready: boolean }>(
      sql`select ready from analytics_active_zones where app_id = ${appId} and zone = ${zone}`,
    );
    if (!state) await this.track(appId, zone);
    if (state?.ready) this.readyZones.add(key);
    return !!state?.ready;
  }

  /** Active customers per day of `days` (the zone ready). */
  async counts(appId: string, zone: string, days: string[]): Promise<Map<string, number>> {
    const rows = await this.db.query<{ day: string; n: number }>(sql`
      select day::text as day, n from analytics_active_day_counts
      where app_id = ${appId} and zone = ${zone} and day >= ${days[0]}::date and day <= ${days[days.length - 1]}::date`);
    return new Map(rows.map((r) => [r.day, Number(r.n)]));
  }

  /**
   * Active customers per day of `days` with an activity of one of `types` (the zone ready): one type reads its
   * count per day; several count the distinct customers of those types' day rows.
   */
  async typedCounts(appId: string, zone: string, days: string[], types: string[]): Promise<Map<string, number>> {
    const from = days[0];
    const to = days[days.length - 1];
    const rows =
      types.length === 1
        ? await this.db.query<{ day: string; n: number }>(sql`
            select day::text as day, n from analytics_active_type_day_counts
            where app_id = ${appId} and zone = ${zone} and type = ${types[0]} and day >= ${from}::date and day <= ${to}::date`)
        : await this.db.query<{ day: string; n: number }>(sql`
            select day::text as day, count(distinct customer_id) as n from analytics_active_type_days
            where app_id = ${appId} and zone = ${zone} and type = any(${sqlArray(types, 'text')}) and day >= ${from}::date and day <= ${to}::date
            group by day`);
    return new Map(rows.map((r) => [r.day, Number(r.n)]));
  }

  private async track(appId: string, zone: string): Promise<void> {
    const row = await this.db.one<{ n: number }>(sql`select count(*)::int as n from analytics_active_zones where app_id = ${appId}`);
    if (Number(row?.n ?? 0) >= MAX_TRACKED_ZONES) return;
    const added = await this.db.run(sql`
      insert into analytics_active_zones (app_id, zone, ready, requested_at) values (${appId}, ${zone}, false, ${new Date()})
      on conflict (app_id, zone) do nothing`);
    if (added)
      await this.jobs.enqueue<ActiveDaysJob>(
        ACTIVE_DAYS_QUEUE,
        { appId, zone },
        { jobId: `analytics-active-${jobKey(appId)}-${jobKey(zone)}` },
      );
  }

  async run(data: ActiveDaysJob): Promise<void> {
    await this.db.transaction(async (tx) => {
      // Writers take these in this order too, so the lock cannot deadlock with them.
      await tx.run(sql`
        lock table analytics_activity_presence, analytics_zone_activity_days, analytics_active_days, analytics_active_day_counts,
          analytics_active_type_days, analytics_active_type_day_counts, analytics_customer_ledger, analytics_zone_customer_days
        in exclusive mode`);
      await this.backfill(tx, data.appId, data.zone);
    });
  }

  /** Recomputes a zone's days from the presence rows (in a transaction that holds the read models' lock). */
  async backfill(tx: Tx, appId: string, zone: string): Promise<void> {
    await tx.run(sql`delete from analytics_active_days where app_id = ${appId} and zone = ${zone}`);
    await tx.run(sql`delete from analytics_active_day_counts where app_id = ${appId} and zone = ${zone}`);
    await tx.run(sql`delete from analytics_active_type_days where app_id = ${appId} and zone = ${zone}`);
    await tx.run(sql`delete from analytics_active_type_day_counts where app_id = ${appId} and zone = ${zone}`);
    await tx.run(sql`delete from analytics_zone_activity_days where app_id = ${appId} and zone = ${zone}`);
    await tx.run(sql`delete from analytics_zone_customer_days where app_id = ${appId} and zone = ${zone}`);
    const span = await tx.one<{ lo: Date | string | null; hi: Date | string | null }>(sql`
      select least((select min(bucket) from analytics_activity_presence where app_id = ${appId}),
                   (select min(created_at) from analytics_customer_ledger where app_id = ${appId})) as lo,
             greatest((select max(bucket) from analytics_activity_presence where app_id = ${appId}),
                      (select max(created_at) from analytics_customer_ledger where app_id = ${appId})) as hi`);
    if (span?.lo && span.hi) {
      const days: string[] = [];
      const last = localDayOf(new Date(span.hi).getTime(), zone);
      for (let d = localDayOf(new Date(span.lo).getTime(), zone); d <= last; d = nextDay(d)) days.push(d);
      const bounds = [...days, nextDay(last)].map((d) => startOfDayUtc(d, zone).toISOString());
      await tx.run(sql`
        insert into analytics_active_days (app_id, zone, day, customer_id)
        select distinct ${appId}, ${zone}, (${sqlArray(days, 'text')})[width_bucket(bucket, ${sqlArray(bounds, 'timestamptz')})]::date, customer_id
        from analytics_activity_presence where app_id = ${appId}
        order by 3, 4`);
      await tx.run(sql`
        insert into analytics_active_day_counts (app_id, zone, day, n)
        select app_id, zone, day, count(*) from analytics_active_days where app_id = ${appId} and zone = ${zone} group by 1, 2, 3`);
      await tx.run(sql`
        insert into analytics_active_type_days (app_id, zone, type, day, customer_id)
        select distinct ${appId}, ${zone}, type, (${sqlArray(days, 'text')})[width_bucket(bucket, ${sqlArray(bounds, 'timestamptz')})]::date, customer_id
        from analytics_activity_presence where app_id = ${appId}
        order by 3, 4, 5`);
      await tx.run(sql`
        insert into analytics_active_type_day_counts (app_id, zone, type, day, n)
        select app_id, zone, type, day, count(*) from analytics_active_type_days where app_id = ${appId} and zone = ${zone}
        group by 1, 2, 3, 4`);
      await tx.run(sql`
        insert into analytics_zone_activity_days (app_id, zone, day, type, n)
        select ${appId}, ${zone}, (${sqlArray(days, 'text')})[width_bucket(bucket, ${sqlArray(bounds, 'timestamptz')})]::date, type, sum(n)
        from analytics_activity_presence where app_id = ${appId} group by 3, 4`);
      await tx.run(sql`
        insert into analytics_zone_customer_days (app_id, zone, day, channel_id, source, n)
        select ${appId}, ${zone}, (${sqlArray(days, 'text')})[width_bucket(created_at, ${sqlArray(bounds, 'timestamptz')})]::date, channel_id, source, count(*)
        from analytics_customer_ledger where app_id = ${appId} group by 3, 4, 5`);
    }
    await tx.run(sql`update analytics_active_zones set ready = true where app_id = ${appId} and zone = ${zone}`);
  }

  /** The tracked zones each transaction read, per app (a write asks up to three times: activities, counts, customers). */
  private readonly zonesRead = new WeakMap<Tx, Map<string, Promise<string[]>>>();

  /**
   * The app's tracked zones (each activity batch and each deletion updates them all), read once per
   * transaction. A zone tracked after that read is not written by the transaction, which is safe: its rows
   * come from the back-fill, which waits for the transaction (the read models' lock) and replaces them all.
   */
  zones(tx: Tx, appId: string): Promise<string[]> {
    let byApp = this.zonesRead.get(tx);
    if (!byApp) this.zonesRead.set(tx, (byApp = new Map()));
    let zones = byApp.get(appId);
    if (!zones) {
      zones = tx
        .query<{ zone: string }>(sql`select zone from analytics_active_zones where app_id = ${appId} order by zone`)
        .then((rows) => rows.map((r) => r.zone));
      byApp.set(appId, zones);
    }
    return zones;
  }

  /**
   * Activities stored: each (zone, day, customer) not seen yet adds one to the day's count, and each
   * (zone, type, day, customer) not seen yet one to the type's day count.
   */
  async stored(tx: Tx, appId: string, activities: readonly { customerId: string; type: string; at: number }[]): Promise<void> {
    if (!activities.length) return;
    for (const zone of await this.zones(tx, appId)) {
      const seen = new Map<string, { day: string; customer_id: string }>();
      const seenTyped = new Map<string, { type: string; day: string; customer_id: string }>();
      for (const a of activities) {
        const day = localDayOf(a.at, zone);
        seen.set(`${day}\n${a.customerId}`, { day, customer_id: a.customerId });
        seenTyped.set(`${a.type}\n${day}\n${a.customerId}`, { type: a.type, day, customer_id: a.customerId });
      }
      // Each statement inserts the day rows and adds what it inserted to the day counts, one round trip instead
      // of two. The counts are taken in the order every writer takes them (JavaScript's code-unit order is C's).
      const rows = [...seen.entries()].sort(([a], [b]) => byText(a, b)).map(([, r]) => r);
      await tx.run(sql`
        with added as (
          insert into analytics_active_days (app_id, zone, day, customer_id)
          select ${appId}, ${zone}, x.day, x.customer_id
          from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(day date, customer_id uuid)
          on conflict (app_id, zone, day, customer_id) do nothing
          returning day)
        insert into analytics_active_day_counts (app_id, zone, day, n)
        select ${appId}, ${zone}, day, count(*) from added group by day order by day
        on conflict (app_id, zone, day) do update set n = analytics_active_day_counts.n + excluded.n`);
      const typed = [...seenTyped.entries()].sort(([a], [b]) => byText(a, b)).map(([, r]) => r);
      await tx.run(sql`
        with added as (
          insert into analytics_active_type_days (app_id, zone, type, day, customer_id)
          select ${appId}, ${zone}, x.type, x.day, x.customer_id
          from jsonb_to_recordset(${JSON.stringify(typed)}::jsonb) as x(type text, day date, customer_id uuid)
          on conflict (app_id, zone, type, day, customer_id) do nothing
          returning type, day)
        insert into analytics_active_type_day_counts (app_id, zone, type, day, n)
        select ${appId}, ${zone}, type, day, count(*) from added group by type, day order by type collate "C", day
        on conflict (app_id, zone, type, day) do update set n = analytics_active_type_day_counts.n + excluded.n`);
    }
  }

  /** Activities added (+) or taken away (−) at instants: the tracked zones' day counts per type. */
  async activitiesCounted(tx: Tx, appId: string, deltas: readonly { at: number; type: string; d: number }[]): Promise<void> {
    for (const zone of await this.zones(tx, appId)) {
      const per = new Map<string, { day: string; type: string; n: number }>();
      for (const x of deltas) {
        const day = localDayOf(x.at, zone);
        const k = `${day}\n${x.type}`;
        const cur = per.get(k);
        if (cur) cur.n += x.d;
        else per.set(k, { day, type: x.type, n: x.d });
      }
      const rows = [...per.entries()]
        .sort(([a], [b]) => byText(a, b))
        .map(([, r]) => r)
        .filter((r) => r.n !== 0);
      if (rows.length)
        await tx.run(sql`
          insert into analytics_zone_activity_days (app_id, zone, day, type, n)
          select ${appId}, ${zone}, x.day, x.type, x.n from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(day date, type text, n integer)
          on conflict (app_id, zone, day, type) do update set n = analytics_zone_activity_days.n + excluded.n`);
    }
  }

  /** Customers added (+) or taken away (−) at their creation instants: the tracked zones' day counts. */
  async customersCounted(
    tx: Tx,
    appId: string,
    deltas: readonly { at: number; channelId: string; source: string; d: number }[],
  ): Promise<void> {
    for (const zone of await this.zones(tx, appId)) {
      const per = new Map<string, { day: string; channel_id: string; source: string; n: number }>();
      for (const x of deltas) {
        const day = localDayOf(x.at, zone);
        const k = `${day}\n${x.channelId}\n${x.source}`;
        const cur = per.get(k);
        if (cur) cur.n += x.d;
        else per.set(k, { day, channel_id: x.channelId, source: x.source, n: x.d });
      }
      const rows = [...per.entries()]
        .sort(([a], [b]) => byText(a, b))
        .map(([, r]) => r)
        .filter((r) => r.n !== 0);
      if (rows.length)
        await tx.run(sql`
          insert into analytics_zone_customer_days (app_id, zone, day, channel_id, source, n)
          select ${appId}, ${zone}, x.day, x.channel_id, x.source, x.n
          from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(day date, channel_id uuid, source text, n integer)
          on conflict (app_id, zone, day, channel_id, source) do update set n = analytics_zone_customer_days.n + excluded.n`);
    }
  }

  /** Customers created per day of [from, to] in a ready zone, summed per source or per channel (the other key null). */
  customerDays(appId: string, zone: string, from: string, to: string, by: 'source' | 'channel') {
    const key = by === 'source' ? sql`null::uuid as channel_id, source` : sql`channel_id, null::text as source`;
    return this.db.query<{ day: string; channel_id: string | null; source: string | null; n: number }>(sql`
      select day::text as day, ${key}, sum(n) as n from analytics_zone_customer_days
      where app_id = ${appId} and zone = ${zone} and day >= ${from}::date and day <= ${to}::date and n <> 0
      group by day, ${by === 'source' ? sql`source` : sql`channel_id`}`);
  }

  /** Activities per type and day of [from, to] in a ready zone. */
  activityDays(appId: string, zone: string, from: string, to: string, types: string[] | null) {
    return this.db.query<{ day: string; type: string; n: number }>(sql`
      select day::text as day, type, n from analytics_zone_activity_days
      where app_id = ${appId} and zone = ${zone} and day >= ${from}::date and day <= ${to}::date and n <> 0
        ${types ? sql`and type = any(${sqlArray(types, 'text')})` : sql``}`);
  }

  /** Customers removed: their days are taken away. */
  async forget(tx: Tx, appId: string, customerIds: readonly string[]): Promise<void> {
    const gone = await tx.query<{ zone: string; day: string }>(sql`
      delete from analytics_active_days where app_id = ${appId} and customer_id = any(${sqlArray(customerIds, 'uuid')})
      returning zone, day::text as day`);
    for (const [zone, rows] of byZone(gone))
      await this.add(
        tx,
        appId,
        zone,
        rows.map((r) => r.day),
        -1,
      );
    const goneTyped = await tx.query<{ zone: string; type: string; day: string }>(sql`
      delete from analytics_active_type_days where app_id = ${appId} and customer_id = any(${sqlArray(customerIds, 'uuid')})
      returning zone, type, day::text as day`);
    for (const [zone, rows] of byZone(goneTyped)) await this.addTyped(tx, appId, zone, rows, -1);
  }

  private async add(tx: Tx, appId: string, zone: string, days: string[], sign: 1 | -1): Promise<void> {
    if (!days.length) return;
    const per = new Map<string, number>();
    for (const d of days) per.set(d, (per.get(d) ?? 0) + sign);
    const rows = [...per.entries()].sort(([a], [b]) => byText(a, b)).map(([day, n]) => ({ day, n }));
    await tx.run(sql`
      insert into analytics_active_day_counts (app_id, zone, day, n)
      select ${appId}, ${zone}, x.day, x.n from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(day date, n integer)
      on conflict (app_id, zone, day) do update set n = analytics_active_day_counts.n + excluded.n`);
  }

  private async addTyped(tx: Tx, appId: string, zone: string, keys: readonly { type: string; day: string }[], sign: 1 | -1): Promise<void> {
    if (!keys.length) return;
    const per = new Map<string, { type: string; day: string; n: number }>();
    for (const k of keys) {
      const key = `${k.type}\n${k.day}`;
      const cur = per.get(key);
      if (cur) cur.n += sign;
      else per.set(key, { type: k.type, day: k.day, n: sign });
    }
    const rows = [...per.entries()].sort(([a], [b]) => byText(a, b)).map(([, r]) => r);
    await tx.run(sql`
      insert into analytics_active_type_day_counts (app_id, zone, type, day, n)
      select ${appId}, ${zone}, x.type, x.day, x.n from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(type text, day date, n integer)
      on conflict (app_id, zone, type, day) do update set n = analytics_active_type_day_counts.n + excluded.n`);
  }
}

const jobKey = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');

/**
 * Every writer of the read models waits while a rebuild holds this (readers do not). The order is the one
 * writers take the tables in (the activity side first, then the customer side), so that it cannot deadlock.
 */
export async function lockReadModels(tx: Tx): Promise<void> {
  await tx.run(sql`
    lock table analytics_activity_presence, analytics_activity_counts, analytics_zone_activity_days, analytics_active_days,
      analytics_active_day_counts, analytics_active_type_days, analytics_active_type_day_counts, analytics_customer_ledger, analytics_customer_counts, analytics_customer_totals,
      analytics_zone_customer_days in exclusive mode`);
}
