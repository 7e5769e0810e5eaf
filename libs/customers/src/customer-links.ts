import { Injectable } from '@nestjs/common';
import { Db, isUuid, sql, sqlArray, type Tx } from '@cdp/platform';

/** A customer's link state as the merge lib reads it under lock. */
export interface CustomerLinkRow {
  id: string;
  profile_id: string | null;
  main_channel: boolean;
}

export interface CustomerLinkChange {
  customerId: string;
  /** The linked set (merge profile) it belongs to; null unlinks it. */
  profileId: string | null;
  /** Main channel of its set; forced false when `profileId` is null. */
  mainChannel: boolean;
}

/**
 * The link columns of customers (`profile_id`, `main_channel`) as the merge lib reads and writes them: the
 * only code that touches them. The rules (set size, one main channel, no customer in two sets) are the merge
 * lib's; it calls these inside its own transaction: `lock` first, decide, then `apply`. Link changes do not
 * bump `updated_at` (that time is the customer's own data changing).
 */
@Injectable()
export class CustomerLinks {
  constructor(private readonly db: Db) {}

  /** A customer's current set, read without a lock (the caller locks the set, then re-checks under `lock`). */
  async linkOf(tx: Tx, appId: string, id: string): Promise<{ found: boolean; profileId: string | null }> {
    if (!isUuid(id)) return { found: false, profileId: null };
    const row = await tx.one<{ profile_id: string | null }>(
      sql`select profile_id from customers where app_id = ${appId} and id = ${id}::uuid`,
    );
    return { found: !!row, profileId: row?.profile_id ?? null };
  }

  /** The members of a set with their main-channel flags, by id; stable while the caller holds the set's lock. */
  members(appId: string, profileId: string, tx?: Tx): Promise<CustomerLinkRow[]> {
    return (tx ?? this.db).query<CustomerLinkRow>(sql`
      select id, profile_id, main_channel from customers where app_id = ${appId} and profile_id = ${profileId}::uuid order by id`);
  }

  /**
   * Locks the app's customers among `ids` (`select … for update`, in id order so two merges over overlapping
   * customers cannot deadlock) and answers their link state, ordered by id. Ids of other apps, unknown ids
   * and non-UUIDs are simply absent from the answer.
   */
  async lock(tx: Tx, appId: string, ids: string[]): Promise<CustomerLinkRow[]> {
    const wanted = [...new Set(ids.filter(isUuid))].sort();
    if (!wanted.length) return [];
    return tx.query<CustomerLinkRow>(sql`
      select id, profile_id, main_channel from customers
      where app_id = ${appId} and id = any(${sqlArray(wanted, 'uuid')})
      order by id
      for update`);
  }

  /** Writes the link state of each customer in one statement; answers how many rows changed. */
  async apply(tx: Tx, appId: string, changes: CustomerLinkChange[]): Promise<number> {
    const rows = changes
      .filter((c) => isUuid(c.customerId))
      .map((c) => ({ id: c.customerId, profile_id: c.profileId, main_channel: c.profileId !== null && c.mainChannel }));
    if (!rows.length) return 0;
    return tx.run(sql`
      update customers c set profile_id = x.profile_id, main_channel = x.main_channel
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(id uuid, profile_id uuid, main_channel boolean)
      where c.app_id = ${appId} and c.id = x.id`);
  }
}
