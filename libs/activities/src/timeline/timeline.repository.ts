import { Injectable } from '@nestjs/common';
import { Db, sql, Sql } from '@cdp/platform';
import type { ActivityRow } from './timeline.dto';

@Injectable()
export class TimelineRepository {
  constructor(private readonly db: Db) {}

  /** The members of a linked set (the `profile_id` the merge lib maintains; read only). */
  async linkedCustomerIds(appId: string, profileId: string): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      sql`select id from customers where app_id = ${appId} and profile_id = ${profileId}::uuid order by id`,
    );
    return rows.map((r) => r.id);
  }

  /** Newest first on `(app_id, customer_id, occurred_at desc, id desc)`, keyset after `(occurredAt, id)`. */
  page(appId: string, customerIds: string[], opts: PageOptions): Promise<ActivityRow[]> {
    const who =
      customerIds.length === 1
        ? sql`customer_id = ${customerIds[0]}::uuid`
        : sql`customer_id in (${Sql.join(
            customerIds.map((id) => sql`${id}::uuid`),
            ', ',
          )})`;
    const conds: Sql[] = [sql`app_id = ${appId}`, who, ...rangeConditions(opts)];
    return this.db.query<ActivityRow>(sql`
      select id, customer_id, type, occurred_at, data from activities
      where ${Sql.join(conds, ' and ')}
      order by occurred_at desc, id desc limit ${opts.limit}`);
  }

  /**
   * One customer's own page in one statement: the customer's existence (no row: not the app's customer), its
   * activities on `(app_id, customer_id, occurred_at desc, id desc)` and each type's name.
   */
  async ownPage(
    appId: string,
    customerId: string,
    opts: PageOptions,
  ): Promise<{ found: boolean; rows: (ActivityRow & { type_name: string })[] }> {
    const conds = [sql`a.app_id = c.app_id`, sql`a.customer_id = c.id`, ...rangeConditions(opts, 'a.')];
    const rows = await this.db.query<ActivityRow & { type_name: string | null; found: string }>(sql`
      select c.id as found, a.id, a.customer_id, a.type, a.occurred_at, a.data, t.name as type_name
      from customers c
      left join lateral (
        select a.id, a.customer_id, a.type, a.occurred_at, a.data from activities a
        where ${Sql.join(conds, ' and ')}
        order by a.occurred_at desc, a.id desc limit ${opts.limit}
      ) a on true
      left join activity_types t on t.key = a.type and t.app_id in ('', c.app_id)
      where c.app_id = ${appId} and c.id = ${customerId}::uuid
      order by a.occurred_at desc, a.id desc`);
    return {
      found: rows.length > 0,
      rows: rows.filter((r) => r.id !== null).map((r) => ({ ...r, type_name: r.type_name ?? r.type })),
    };
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
  if (opts.types?.length)
    conds.push(
      sql`${col('type')} in (${Sql.join(
        opts.types.map((t) => sql`${t}`),
        ', ',
      )})`,
    );
  if (opts.from) conds.push(sql`${col('occurred_at')} >= ${opts.from}`);
  if (opts.to) conds.push(sql`${col('occurred_at')} < ${opts.to}`);
  if (opts.after) conds.push(sql`(${col('occurred_at')}, ${col('id')}) < (${opts.after.occurredAt}::timestamptz, ${opts.after.id}::uuid)`);
  return conds;
}
