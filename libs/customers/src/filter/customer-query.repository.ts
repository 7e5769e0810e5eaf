import { Injectable } from '@nestjs/common';
import { Db, Sql, sql } from '@cdp/platform';
import { CUSTOMER_COLUMNS, CUSTOMER_FROM } from '../customer-sql';
import type { CustomerRow } from '../dto/customer.dto';

/**
 * How many of the newest customers (by the sort's index) the first step of a search scans (PERFORMANCE.md
 * rule 2): enough to fill a page for common fragments and to be complete for small apps, few enough to stay
 * a few milliseconds.
 */
export const SEARCH_WINDOW = 5000;

/**
 * Search step 2 for fragments the planner expects to match at least this many customers: walking the
 * order's btree finds a page after about `page × rows / matches` rows, far cheaper than fetching and
 * sorting every match (about 4 µs a match against 0.3 µs a walked row, so the walk wins from roughly
 * sqrt(page × rows / 15) matches: ~1,300 for a page of 26 in a million).
 */
export const COMMON_MATCHES = 1000;

/** A keyset order over the btree `(app_id, <key>, id)` it walks. */
export interface KeysetOrder {
  /** `order by` over alias `c`. */
  orderBy: Sql;
  /** Rows strictly after a position, over alias `c`. */
  after(position: unknown[]): Sql;
}

export const BY_CREATED: KeysetOrder = {
  orderBy: Sql.raw('c.created_at desc, c.id desc'),
  after: ([at, id]) => sql`(c.created_at, c.id) < (${at}::timestamptz, ${id}::uuid)`,
};

export const BY_NAME: KeysetOrder = {
  orderBy: Sql.raw('c.name, c.id'),
  after: ([name, id]) => sql`(c.name, c.id) > (${name}, ${id}::uuid)`,
};

/** The only SQL of list, search and count: customer rows by a WHERE fragment the filter compiler built. */
@Injectable()
export class CustomerQueryRepository {
  constructor(private readonly db: Db) {}

  /** One page on a customers btree: `where` and `after` over alias `c`; `limit` rows at most. */
  page(appId: string, where: Sql, order: KeysetOrder, after: Sql | undefined, limit: number): Promise<CustomerRow[]> {
    const ids = sql`select c.id from customers c where c.app_id = ${appId}${and(after)} and ${where} order by ${order.orderBy} limit ${limit}`;
    return this.hydrate(appId, ids, order.orderBy);
  }

  /**
   * Search step 1: the matches among the `SEARCH_WINDOW` next customers of the order (after the cursor). Cheap
   * for every fragment, but complete only when the window held every remaining customer.
   */
  pageInWindow(appId: string, where: Sql, order: KeysetOrder, after: Sql | undefined, limit: number): Promise<CustomerRow[]> {
    const window = sql`select c.* from customers c where c.app_id = ${appId}${and(after)} order by ${order.orderBy} limit ${SEARCH_WINDOW}`;
    const ids = sql`select c.id from (${window}) c where ${where} order by ${order.orderBy} limit ${limit}`;
    return this.hydrate(appId, ids, order.orderBy);
  }

  private async rows<T>(q: Sql): Promise<T[]> {
    return this.db.query<T>(q);
  }

  /** Whether the window of step 1 reached the end of the list (so its matches were all there are). */
  async windowIsComplete(appId: string, order: KeysetOrder, after: Sql | undefined): Promise<boolean> {
    const [row] = await this.rows<{ n: number }>(
      sql`select count(*)::int as n from (select 1 from customers c where c.app_id = ${appId}${and(after)} order by ${order.orderBy} limit ${SEARCH_WINDOW}) w`,
    );
    return Number(row?.n ?? 0) < SEARCH_WINDOW;
  }

  /** The planner's estimate of the matches (EXPLAIN, about a millisecond; pg_trgm keeps statistics). */
  async estimateMatches(appId: string, where: Sql, after: Sql | undefined): Promise<number> {
    const rows = await this.rows<{ 'QUERY PLAN': { Plan: { 'Plan Rows': number } }[] }>(
      sql`explain (format json) select 1 from customers c where c.app_id = ${appId}${and(after)} and ${where}`,
    );
    return Number(rows[0]?.['QUERY PLAN']?.[0]?.Plan?.['Plan Rows'] ?? 0);
  }

  /**
   * Search step 3: every match first (the planner takes the trigram GIN: the materialised CTE keeps it from
   * walking the order's btree hoping to meet matches soon), then sorted and cut to the page.
   */
  pageMatchesFirst(appId: string, where: Sql, order: KeysetOrder, after: Sql | undefined, limit: number): Promise<CustomerRow[]> {
    const ids = sql`with m as materialized (select c.id, c.created_at, c.name from customers c where c.app_id = ${appId}${and(after)} and ${where})
      select c.id from m c order by ${order.orderBy} limit ${limit}`;
    return this.hydrate(appId, ids, order.orderBy);
  }

  /** `-lastActivityAt`, first part: walks `customer_activity (app_id, last_activity_at desc, customer_id desc)`. */
  pageByActivity(appId: string, where: Sql, after: { at: string; id: string } | undefined, limit: number): Promise<CustomerRow[]> {
    const keyset = after
      ? sql` and (ca_w.last_activity_at, ca_w.customer_id) < (${after.at}::timestamptz, ${after.id}::uuid)`
      : Sql.raw('');
    const ids = sql`select ca_w.customer_id from customer_activity ca_w
      join customers c on c.app_id = ca_w.app_id and c.id = ca_w.customer_id
      where ca_w.app_id = ${appId}${keyset} and ${where}
      order by ca_w.last_activity_at desc, ca_w.customer_id desc limit ${limit}`;
    return this.hydrate(appId, ids, Sql.raw('ca.last_activity_at desc, c.id desc'));
  }

  /** `-lastActivityAt`, second part: customers without any activity, newest first. */
  pageWithoutActivity(appId: string, where: Sql, after: Sql | undefined, limit: number): Promise<CustomerRow[]> {
    const none = sql`not exists (select 1 from customer_activity ca_w where ca_w.app_id = c.app_id and ca_w.customer_id = c.id)`;
    return this.page(appId, sql`${none} and ${where}`, BY_CREATED, after, limit);
  }

  /** Matches, or with `limit` only up to limit + 1 (PERFORMANCE.md rule 4). */
  async count(appId: string, where: Sql, limit?: number): Promise<number> {
    const q =
      limit === undefined
        ? sql`select count(*)::int as n from customers c where c.app_id = ${appId} and ${where}`
        : sql`select count(*)::int as n from (select 1 from customers c where c.app_id = ${appId} and ${where} limit ${limit + 1}) x`;
    const [row] = await this.rows<{ n: number }>(q);
    return Number(row?.n ?? 0);
  }

  private hydrate(appId: string, ids: Sql, orderBy: Sql): Promise<CustomerRow[]> {
    return this.rows<CustomerRow>(
      sql`select ${CUSTOMER_COLUMNS} from ${CUSTOMER_FROM} where c.app_id = ${appId} and c.id in (${ids}) order by ${orderBy}`,
    );
  }
}

const and = (s: Sql | undefined): Sql => (s ? sql` and ${s}` : Sql.raw(''));
