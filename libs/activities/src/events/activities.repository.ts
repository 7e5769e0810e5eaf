import { Injectable } from '@nestjs/common';
import { sql, type Tx } from '@cdp/platform';

export interface NewActivity {
  id: string;
  customerId: string;
  type: string;
  occurredAt: Date;
  data: Record<string, unknown>;
  idempotencyKey: string | null;
}

export interface InsertedActivity {
  id: string;
  customer_id: string;
  type: string;
  occurred_at: Date | string;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Writes of the event log and its per-customer-and-type summary: one statement each per batch. */
@Injectable()
export class ActivitiesRepository {
  /**
   * One multi-row insert in the given order; an idempotency key already stored (or earlier in the same
   * batch, or in a concurrent batch, which this waits for) inserts nothing. Answers what was inserted.
   */
  async insert(tx: Tx, appId: string, rows: NewActivity[]): Promise<InsertedActivity[]> {
    if (!rows.length) return [];
    const json = JSON.stringify(
      rows.map((r, n) => ({
        n,
        id: r.id,
        customer_id: r.customerId,
        type: r.type,
        occurred_at: r.occurredAt.toISOString(),
        data: r.data,
        idempotency_key: r.idempotencyKey,
      })),
    );
    return tx.query<InsertedActivity>(sql`
      insert into activities (app_id, id, customer_id, type, occurred_at, data, idempotency_key)
      select ${appId}, x.id, x.customer_id, x.type, x.occurred_at, coalesce(x.data, '{}'::jsonb), x.idempotency_key
      from jsonb_to_recordset(${json}::jsonb) as x(n integer, id uuid, customer_id uuid, type text, occurred_at timestamptz(3), data jsonb, idempotency_key text)
      order by x.n
      on conflict (app_id, idempotency_key) do nothing
      returning id, customer_id, type, occurred_at`);
  }

  /**
   * The per-customer-and-type summary (last time, count) for windows that end now: one upsert, each
   * (customer, type) folded first and sorted so concurrent batches lock rows in the same order.
   */
  async upsertTypeSummary(tx: Tx, appId: string, inserted: InsertedActivity[]): Promise<void> {
    const folded = new Map<string, { customer_id: string; type: string; last: number; count: number }>();
    for (const a of inserted) {
      const k = `${a.customer_id}\n${a.type}`;
      const t = new Date(a.occurred_at).getTime();
      const f = folded.get(k);
      if (f) {
        f.count += 1;
        f.last = Math.max(f.last, t);
      } else folded.set(k, { customer_id: a.customer_id, type: a.type, last: t, count: 1 });
    }
    if (!folded.size) return;
    const rows = [...folded.values()]
      .sort((a, b) => byText(a.customer_id, b.customer_id) || byText(a.type, b.type))
      .map((f) => ({ customer_id: f.customer_id, type: f.type, last_at: new Date(f.last).toISOString(), count: f.count }));
    await tx.run(sql`
      insert into customer_activity_types (app_id, customer_id, type, last_at, count)
      select ${appId}, x.customer_id, x.type, x.last_at, x.count
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(customer_id uuid, type text, last_at timestamptz(3), count integer)
      on conflict (app_id, customer_id, type) do update set
        last_at = greatest(customer_activity_types.last_at, excluded.last_at),
        count = customer_activity_types.count + excluded.count`);
  }
}
