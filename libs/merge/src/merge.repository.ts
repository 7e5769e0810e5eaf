import { Injectable } from '@nestjs/common';
import { Db, sql, sqlArray, type Tx } from '@cdp/platform';

/**
 * SQL of the merge lib: merge profiles and remembered duplicate dismissals. Set membership lives on the
 * customers' rows, read and written only through the customers lib's `CustomerLinks`. Scoped by app.
 */
@Injectable()
export class MergeRepository {
  constructor(private readonly db: Db) {}

  /** Locks the profile row: every change to one set's membership or main channel takes this lock first (M7). */
  async lockProfile(tx: Tx, appId: string, profileId: string): Promise<boolean> {
    const row = await tx.one(sql`select id from merge_profiles where app_id = ${appId} and id = ${profileId}::uuid for update`);
    return !!row;
  }

  async createProfile(tx: Tx, appId: string, id: string): Promise<void> {
    await tx.run(sql`insert into merge_profiles (id, app_id, created_at, updated_at) values (${id}::uuid, ${appId}, now(), now())`);
  }

  async touchProfile(tx: Tx, appId: string, profileId: string): Promise<void> {
    await tx.run(sql`update merge_profiles set updated_at = now() where app_id = ${appId} and id = ${profileId}::uuid`);
  }

  async deleteProfile(tx: Tx, appId: string, profileId: string): Promise<void> {
    await tx.run(sql`delete from merge_profiles where app_id = ${appId} and id = ${profileId}::uuid`);
  }

  /** The customers a user said are not the same person as `customerId` (either way round). */
  async dismissedFor(appId: string, customerId: string): Promise<string[]> {
    const rows = await this.db.query<{ other_id: string }>(
      sql`select other_id from duplicate_dismissals where app_id = ${appId} and customer_id = ${customerId}::uuid`,
    );
    return rows.map((r) => r.other_id);
  }

  /** Remembers that two customers are not the same person, in both directions. */
  async dismiss(appId: string, customerId: string, otherId: string): Promise<void> {
    await this.db.run(sql`
      insert into duplicate_dismissals (app_id, customer_id, other_id, created_at)
      select ${appId}, x.customer_id, x.other_id, now()
      from unnest(${sqlArray([customerId, otherId], 'uuid')}, ${sqlArray([otherId, customerId], 'uuid')}) as x(customer_id, other_id)
      on conflict do nothing`);
  }

  /** Records that two customers are one person by an `alias` call, in both directions; false when it was known. */
  async addAlias(tx: Tx, appId: string, customerId: string, otherId: string): Promise<boolean> {
    const n = await tx.run(sql`
      insert into alias_suggestions (app_id, customer_id, other_id, created_at)
      select ${appId}, x.customer_id, x.other_id, now()
      from unnest(${sqlArray([customerId, otherId], 'uuid')}, ${sqlArray([otherId, customerId], 'uuid')}) as x(customer_id, other_id)
      on conflict do nothing`);
    return n > 0;
  }

  /** The customers an `alias` call tied to this one. */
  async aliasesOf(appId: string, customerId: string): Promise<string[]> {
    const rows = await this.db.query<{ other_id: string }>(
      sql`select other_id from alias_suggestions where app_id = ${appId} and customer_id = ${customerId}::uuid`,
    );
    return rows.map((r) => r.other_id);
  }
}
