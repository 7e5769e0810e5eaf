import { Injectable } from '@nestjs/common';
import type { CreatedCustomerRef } from '@cdp/customers';
import { sql, sqlArray, type Tx } from '@cdp/platform';
import { hourOf, quarterOf } from '../intervals';
import { ActiveDays } from './active-days';
import type { PresenceDelta } from './activities-stored.event';

const GRAINS = [15, 60] as const;
const bucketOf = (grain: number, t: number) => (grain === 15 ? quarterOf(t) : hourOf(t));
const iso = (t: number) => new Date(t).toISOString();
const byKey = <T extends { key: string }>(a: T, b: T) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Sums `delta` per key; keys sorted, so concurrent writers lock the count rows in one order. */
function fold<T>(items: Iterable<T>, key: (x: T) => string, delta: (x: T) => number): { key: string; sample: T; n: number }[] {
  const out = new Map<string, { key: string; sample: T; n: number }>();
  for (const x of items) {
    const k = key(x);
    const cur = out.get(k);
    if (cur) cur.n += delta(x);
    else out.set(k, { key: k, sample: x, n: delta(x) });
  }
  return [...out.values()].filter((e) => e.n !== 0).sort(byKey);
}

interface CustomerDelta {
  createdAt: number;
  channelId: string;
  source: string;
  d: number;
}

/**
 * The writes of the analytics read models, each inside the transaction of the change it counts or of the relay
 * round that hands that change on:
 * - customers created: a ledger row per customer (inserted once: a replayed event or a rebuild in between
 *   changes nothing), and +1 on its quarter hour, hour and total;
 * - activities stored (counted from the outbox, after the transaction that stored them): +n on the customer's
 *   presence in the quarter hour, and on the type's quarter hour and hour;
 * - customers removed (deletion, erasure): their ledger and presence rows taken away, and exactly what they
 *   had added subtracted.
 */
@Injectable()
export class AnalyticsRollups {
  constructor(private readonly activeDays: ActiveDays) {}

  async customersCreated(tx: Tx, appId: string, customers: readonly CreatedCustomerRef[]): Promise<void> {
    if (!customers.length) return;
    const rows = [...customers]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((c) => ({ customer_id: c.id, created_at: c.createdAt.toISOString(), channel_id: c.channelId, source: c.source }));
    const added = await tx.query<{ created_at: Date | string; channel_id: string; source: string }>(sql`
      insert into analytics_customer_ledger (app_id, customer_id, created_at, channel_id, source)
      select ${appId}, x.customer_id, x.created_at, x.channel_id, x.source
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(customer_id uuid, created_at timestamptz(3), channel_id uuid, source text)
      on conflict (app_id, customer_id) do nothing
      returning created_at, channel_id, source`);
    await this.addCustomers(
      tx,
      appId,
      added.map((r) => ({ createdAt: new Date(r.created_at).getTime(), channelId: r.channel_id, source: r.source, d: 1 })),
    );
  }

  /** Counts activities (their presence deltas, from the outbox; any number of batches, folded here first). */
  async activitiesStored(tx: Tx, appId: string, deltas: readonly PresenceDelta[]): Promise<void> {
    const folded = fold(
      deltas,
      (x) => `${x.customerId}\n${x.type}\n${x.quarter}`,
      (x) => x.d,
    ).map((e) => ({ ...e.sample, d: e.n }));
    if (!folded.length) return;
    const presence = folded.map((x) => ({ customer_id: x.customerId, type: x.type, bucket: iso(x.quarter), n: x.d }));
    await tx.run(sql`
      insert into analytics_activity_presence (app_id, customer_id, type, bucket, n)
      select ${appId}, x.customer_id, x.type, x.bucket, x.n
      from jsonb_to_recordset(${JSON.stringify(presence)}::jsonb) as x(customer_id uuid, type text, bucket timestamptz(3), n integer)
      on conflict (app_id, customer_id, type, bucket) do update set n = analytics_activity_presence.n + excluded.n`);
    await this.addActivities(tx, appId, folded);
    await this.activeDays.stored(
      tx,
      appId,
      folded.map((x) => ({ customerId: x.customerId, type: x.type, at: x.quarter })),
    );
  }

  /** Takes away everything the customers added (their rows are being deleted or erased in `tx`). */
  async forgetCustomers(tx: Tx, appId: string, customerIds: readonly string[]): Promise<void> {
    if (!customerIds.length) return;
    // The activity side first, then the customer side: the order every writer takes the tables in.
    const ids = sqlArray([...customerIds].sort(), 'uuid');
    const presence = await tx.query<{ customer_id: string; type: string; bucket: Date | string; n: number }>(sql`
      delete from analytics_activity_presence where app_id = ${appId} and customer_id = any(${ids})
      returning customer_id, type, bucket, n`);
    await this.addActivities(
      tx,
      appId,
      presence.map((r) => ({ customerId: r.customer_id, type: r.type, quarter: new Date(r.bucket).getTime(), d: -Number(r.n) })),
    );
    await this.activeDays.forget(tx, appId, customerIds);
    const gone = await tx.query<{ created_at: Date | string; channel_id: string; source: string }>(sql`
      delete from analytics_customer_ledger where app_id = ${appId} and customer_id = any(${ids})
      returning created_at, channel_id, source`);
    await this.addCustomers(
      tx,
      appId,
      gone.map((r) => ({ createdAt: new Date(r.created_at).getTime(), channelId: r.channel_id, source: r.source, d: -1 })),
    );
  }

  private async addCustomers(tx: Tx, appId: string, deltas: CustomerDelta[]): Promise<void> {
    if (!deltas.length) return;
    const counts = GRAINS.flatMap((grain) =>
      fold(
        deltas,
        (x) => `${grain}\n${bucketOf(grain, x.createdAt)}\n${x.channelId}\n${x.source}`,
        (x) => x.d,
      ).map((e) => ({
        grain,
        bucket: iso(bucketOf(grain, e.sample.createdAt)),
        channel_id: e.sample.channelId,
        source: e.sample.source,
        n: e.n,
      })),
    );
    if (counts.length)
      await tx.run(sql`
        insert into analytics_customer_counts (app_id, grain, bucket, channel_id, source, n)
        select ${appId}, x.grain, x.bucket, x.channel_id, x.source, x.n
        from jsonb_to_recordset(${JSON.stringify(counts)}::jsonb) as x(grain smallint, bucket timestamptz(3), channel_id uuid, source text, n integer)
        on conflict (app_id, grain, bucket, channel_id, source) do update set n = analytics_customer_counts.n + excluded.n`);
    const totals = fold(
      deltas,
      (x) => `${x.channelId}\n${x.source}`,
      (x) => x.d,
    ).map((e) => ({
      channel_id: e.sample.channelId,
      source: e.sample.source,
      n: e.n,
    }));
    if (totals.length)
      await tx.run(sql`
        insert into analytics_customer_totals (app_id, channel_id, source, n)
        select ${appId}, x.channel_id, x.source, x.n
        from jsonb_to_recordset(${JSON.stringify(totals)}::jsonb) as x(channel_id uuid, source text, n integer)
        on conflict (app_id, channel_id, source) do update set n = analytics_customer_totals.n + excluded.n`);
    await this.activeDays.customersCounted(
      tx,
      appId,
      deltas.map((x) => ({ at: x.createdAt, channelId: x.channelId, source: x.source, d: x.d })),
    );
  }

  private async addActivities(tx: Tx, appId: string, deltas: PresenceDelta[]): Promise<void> {
    if (!deltas.length) return;
    const counts = GRAINS.flatMap((grain) =>
      fold(
        deltas,
        (x) => `${grain}\n${bucketOf(grain, x.quarter)}\n${x.type}`,
        (x) => x.d,
      ).map((e) => ({
        grain,
        bucket: iso(bucketOf(grain, e.sample.quarter)),
        type: e.sample.type,
        n: e.n,
      })),
    );
    if (!counts.length) return;
    await tx.run(sql`
      insert into analytics_activity_counts (app_id, grain, bucket, type, n)
      select ${appId}, x.grain, x.bucket, x.type, x.n
      from jsonb_to_recordset(${JSON.stringify(counts)}::jsonb) as x(grain smallint, bucket timestamptz(3), type text, n integer)
      on conflict (app_id, grain, bucket, type) do update set n = analytics_activity_counts.n + excluded.n`);
    await this.activeDays.activitiesCounted(
      tx,
      appId,
      deltas.map((x) => ({ at: x.quarter, type: x.type, d: x.d })),
    );
  }
}
