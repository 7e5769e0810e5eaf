import { Injectable } from '@nestjs/common';
import { sql, type Sql, type Tx } from '@cdp/platform';

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

/** Reads over the activities table that a rebuild of another lib's read model needs. */
@Injectable()
export class ActivityTallies {
  /**
   * The app's activities per customer, type and quarter hour (UTC), as a query to run inside the database
   * (`insert … select` by the read models' rebuild; one pass over the app's rows, aggregated there): columns
   * `customer_id`, `type`, `bucket`, `n`.
   */
  byCustomerQuarter(appId: string): Sql {
    return sql`
      select customer_id, type, date_bin('15 minutes', occurred_at, timestamptz '2000-01-01 00:00:00+00') as bucket, count(*)::int as n
      from activities where app_id = ${appId}
      group by 1, 2, 3`;
  }
}
