import { Injectable } from '@nestjs/common';
import { Db, sql, type Tx } from '@cdp/platform';
import type { LinkState } from './merge-plan';

/**
 * SQL of the merge lib: merge profiles, and read-only lookups of set membership on `customers` (the link
 * columns themselves are written only through the customers lib's `CustomerLinksWriter`). Scoped by app.
 */
@Injectable()
export class MergeRepository {
  /** A customer's current set, read without a lock (the caller locks the profile, then re-checks). */
  async profileOf(tx: Tx, appId: string, customerId: string): Promise<{ found: boolean; profileId: string | null }> {
    const row = await tx.one<{ profile_id: string | null }>(
      sql`select profile_id from customers where app_id = ${appId} and id = ${customerId}::uuid`,
    );
    return { found: !!row, profileId: row?.profile_id ?? null };
  }

  /** Locks the profile row: every change to one set's membership or main channel takes this lock first (M7). */
  async lockProfile(tx: Tx, appId: string, profileId: string): Promise<boolean> {
    const row = await tx.one(sql`select id from merge_profiles where app_id = ${appId} and id = ${profileId}::uuid for update`);
    return !!row;
  }

  /** The members of a set and their main-channel flags; stable while the profile is locked. */
  async members(q: Tx | Db, appId: string, profileId: string): Promise<LinkState[]> {
    const rows = await q.query<{ id: string; main_channel: boolean }>(
      sql`select id, main_channel from customers where app_id = ${appId} and profile_id = ${profileId}::uuid order by id`,
    );
    return rows.map((r) => ({ id: r.id, profileId, mainChannel: r.main_channel }));
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
}

/** PostgreSQL's deadlock_detected / serialization_failure: the transaction can simply be run again. */
export function isRetryableConflict(err: unknown): boolean {
  const code = (err as { code?: string } | undefined)?.code;
  return code === '40P01' || code === '40001';
}
