import { Injectable } from '@nestjs/common';
import { Db, sql, Sql } from '@cdp/platform';
import type { ActivityRow } from './timeline.dto';

@Injectable()
export class TimelineRepository {
  constructor(private readonly db: Db) {}

  /** The members of a linked set (the `profile_id` the merge lib maintains; read only). */
  async linkedCustomerIds(appId: string, profileId: string): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(sql`select id from customers where app_id = ${appId} and profile_id = ${profileId}::uuid order by id`);
    return rows.map((r) => r.id);
  }

  /** Newest first on `(app_id, customer_id, occurred_at desc, id desc)`, keyset after `(occurredAt, id)`. */
  page(
    appId: string,
    customerIds: string[],
    opts: { types?: string[]; from?: Date; to?: Date; after?: { occurredAt: Date; id: string }; limit: number },
  ): Promise<ActivityRow[]> {
    const who =
      customerIds.length === 1
        ? sql`customer_id = ${customerIds[0]}::uuid`
        : sql`customer_id in (${Sql.join(
            customerIds.map((id) => sql`${id}::uuid`),
            ', ',
          )})`;
    const conds: Sql[] = [sql`app_id = ${appId}`, who];
    if (opts.types?.length)
      conds.push(
        sql`type in (${Sql.join(
          opts.types.map((t) => sql`${t}`),
          ', ',
        )})`,
      );
    if (opts.from) conds.push(sql`occurred_at >= ${opts.from}`);
    if (opts.to) conds.push(sql`occurred_at < ${opts.to}`);
    if (opts.after) conds.push(sql`(occurred_at, id) < (${opts.after.occurredAt}::timestamptz, ${opts.after.id}::uuid)`);
    return this.db.query<ActivityRow>(sql`
      select id, customer_id, type, occurred_at, data from activities
      where ${Sql.join(conds, ' and ')}
      order by occurred_at desc, id desc limit ${opts.limit}`);
  }
}
