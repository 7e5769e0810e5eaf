import { Injectable } from '@nestjs/common';
import { sql, sqlArray, type Tx } from '@cdp/platform';

/** An activity as stored: what a read model kept beside the activities needs of it. */
export interface StoredActivity {
  customerId: string;
  type: string;
  occurredAt: Date;
}

export type ActivityWriteHook = (tx: Tx, appId: string, stored: StoredActivity[]) => Promise<void>;

/**
 * Lets libs above activities keep read models exact without the activities lib importing them: each hook runs
 * inside the transaction that stored the activities (duplicates already left out), once per batch, so the
 * read model commits or rolls back with them. Register in `onModuleInit`.
 */
@Injectable()
export class ActivityWriteHooks {
  private readonly hooks: ActivityWriteHook[] = [];

  register(hook: ActivityWriteHook): void {
    this.hooks.push(hook);
  }

  async run(tx: Tx, appId: string, stored: StoredActivity[]): Promise<void> {
    if (!stored.length) return;
    for (const hook of this.hooks) await hook(tx, appId, stored);
  }
}

/** What a customer's activities add up to per type and quarter hour (UTC): the read models' rebuild reads it. */
export interface ActivityQuarterTally {
  customerId: string;
  type: string;
  /** Start of the quarter hour, UTC. */
  bucket: Date;
  count: number;
}

/** Reads over the activities table that a rebuild of another lib's read model needs (index on customer, time). */
@Injectable()
export class ActivityTallies {
  async byCustomerQuarter(tx: Tx, appId: string, customerIds: readonly string[]): Promise<ActivityQuarterTally[]> {
    if (!customerIds.length) return [];
    const rows = await tx.query<{ customer_id: string; type: string; bucket: Date | string; n: string | number }>(sql`
      select customer_id, type, date_bin('15 minutes', occurred_at, timestamptz '2000-01-01 00:00:00+00') as bucket, count(*) as n
      from activities where app_id = ${appId} and customer_id = any(${sqlArray(customerIds, 'uuid')})
      group by 1, 2, 3`);
    return rows.map((r) => ({ customerId: r.customer_id, type: r.type, bucket: new Date(r.bucket), count: Number(r.n) }));
  }
}
