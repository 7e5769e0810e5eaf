import { Injectable } from '@nestjs/common';
import { isUuid, sql, sqlArray, type Db, type Sql, type Tx } from '@cdp/platform';

/** A customer as the analytics read models count it. */
export interface CreatedCustomerRef {
  id: string;
  channelId: string;
  source: string;
  createdAt: Date;
}

/**
 * Counts over the customers tables that other libs need (the analytics lib's summary and the rebuild of its
 * read models), named by intent so that only this lib writes SQL over those tables.
 */
@Injectable()
export class CustomerTallies {
  /**
   * The app's customers as the read models count them, as a query to run inside the database (`insert … select`
   * by the read models' rebuild): columns `customer_id`, `created_at`, `channel_id`, `source`.
   */
  createdRows(appId: string): Sql {
    return sql`select id as customer_id, created_at, channel_id, source from customers where app_id = ${appId}`;
  }

  /**
   * The app's customers among `ids` with what the read models count (deleted ones are absent), held against
   * deletion until the caller's transaction ends (`for key share`, in id order as every holder takes them), so
   * a creation is counted only for a customer whose deletion cannot commit before the count does.
   */
  async refs(tx: Tx, appId: string, ids: readonly string[]): Promise<CreatedCustomerRef[]> {
    const wanted = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))].sort();
    if (!wanted.length) return [];
    const rows = await tx.query<{ id: string; channel_id: string; source: string; created_at: Date | string }>(sql`
      select id, channel_id, source, created_at from customers where app_id = ${appId} and id = any(${sqlArray(wanted, 'uuid')})
      order by id for key share`);
    return rows.map((r) => ({ id: r.id, channelId: r.channel_id, source: r.source, createdAt: new Date(r.created_at) }));
  }

  /** Customers that belong to a linked set (the partial index on `profile_id` serves it). */
  async countLinked(db: Db | Tx, appId: string): Promise<number> {
    const row = await db.one<{ n: string | number }>(sql`
      select count(*) as n from customers where app_id = ${appId} and profile_id is not null`);
    return Number(row?.n ?? 0);
  }

  /** Customers opted in and opted out (index-only on `customers_app_consent_created_idx`); the others are unknown. */
  async countConsent(db: Db | Tx, appId: string): Promise<{ opted_in: number; opted_out: number }> {
    const rows = await db.query<{ status: 'opted_in' | 'opted_out'; n: string | number }>(sql`
      select s.status, (select count(*) from customers where app_id = ${appId} and consent_status = s.status) as n
      from unnest(array['opted_in', 'opted_out']) as s(status)`);
    const out = { opted_in: 0, opted_out: 0 };
    for (const r of rows) out[r.status] = Number(r.n);
    return out;
  }

  /** Customers whose last activity is at or after `since` (index-only on `customer_activity`, PERFORMANCE.md rule 5). */
  async countActiveSince(db: Db | Tx, appId: string, since: Date): Promise<number> {
    const row = await db.one<{ n: string | number }>(sql`
      select count(*) as n from customer_activity where app_id = ${appId} and last_activity_at >= ${since.toISOString()}::timestamptz`);
    return Number(row?.n ?? 0);
  }
}
