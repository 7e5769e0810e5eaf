import { Injectable } from '@nestjs/common';
import { sql, type Tx } from '@cdp/platform';

export interface ActivityTouch {
  customerId: string;
  at: Date;
}

/**
 * The hot per-customer state `customer_activity.last_activity_at` (PERFORMANCE.md rule 1: never rewrite the
 * customer row per event). The activities lib calls `touch` once per ingested batch, inside its transaction.
 */
@Injectable()
export class CustomerActivityStore {
  /**
   * One statement per batch: each customer's last activity becomes the newest of what it was and what the
   * batch brings (an older, late event never moves it back, and writes nothing: a creation's own activity, at the
   * creation time the row already holds, is the common case). Several entries of one customer are folded
   * first, because an upsert may not touch the same row twice. Customers must be the app's (the foreign key
   * refuses others).
   */
  async touch(tx: Tx, appId: string, entries: ActivityTouch[]): Promise<void> {
    const newest = new Map<string, number>();
    for (const e of entries) {
      const t = e.at.getTime();
      if (Number.isNaN(t)) continue;
      newest.set(e.customerId, Math.max(newest.get(e.customerId) ?? -Infinity, t));
    }
    if (!newest.size) return;
    // Sorted by customer so concurrent batches lock rows in the same order.
    const rows = [...newest.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([customer_id, t]) => ({ customer_id, at: new Date(t).toISOString() }));
    await tx.run(sql`
      insert into customer_activity (app_id, customer_id, last_activity_at)
      select ${appId}, x.customer_id, x.at
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(customer_id uuid, at timestamptz(3))
      on conflict (app_id, customer_id) do update
        set last_activity_at = excluded.last_activity_at
        where excluded.last_activity_at > customer_activity.last_activity_at`);
  }
}
