import { Injectable } from '@nestjs/common';
import { Db, isUuid, sql, Sql, sqlArray, type Tx } from '@cdp/platform';

/** An activity as the data export of a person writes it. */
export interface ExportedActivity {
  id: string;
  customerId: string;
  type: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

/** A conversation as the data export of a person writes it. */
export interface ExportedConversation {
  id: string;
  customerId: string;
  roomId: string;
  status: 'ongoing' | 'resolved';
  startedAt: string;
  resolvedAt: string | null;
  lastMessage: string | null;
  additionalInfo: unknown;
  notes: unknown;
}

interface Row {
  id: string;
  customer_id: string;
  type: string;
  occurred_at: Date | string;
  data: Record<string, unknown>;
}

/**
 * Everything this lib holds about given customers, for the access and erasure of a person (FEATURES.md X10):
 * activities read in bounded pages on `(app_id, customer_id, occurred_at desc, id desc)` so that a caller
 * streaming them never holds more than one page, their count, and their conversations.
 */
@Injectable()
export class CustomerActivityReader {
  constructor(private readonly db: Db) {}

  /** The customer's activities, newest first, `pageSize` rows per statement. */
  async *activities(appId: string, customerId: string, pageSize = 1000): AsyncGenerator<ExportedActivity[]> {
    if (!isUuid(customerId)) return;
    let after: Sql = Sql.raw('');
    for (;;) {
      const rows = await this.db.query<Row>(sql`
        select id, customer_id, type, occurred_at, data from activities
        where app_id = ${appId} and customer_id = ${customerId}::uuid${after}
        order by occurred_at desc, id desc limit ${pageSize}`);
      if (!rows.length) return;
      yield rows.map((r) => ({
        id: r.id,
        customerId: r.customer_id,
        type: r.type,
        occurredAt: new Date(r.occurred_at).toISOString(),
        data: r.data,
      }));
      if (rows.length < pageSize) return;
      const last = rows[rows.length - 1];
      after = sql` and (occurred_at, id) < (${new Date(last.occurred_at)}::timestamptz, ${last.id}::uuid)`;
    }
  }

  /** How many activities the customers have. */
  async count(appId: string, customerIds: readonly string[], tx?: Tx): Promise<number> {
    const ids = customerIds.filter(isUuid);
    if (!ids.length) return 0;
    const row = await (tx ?? this.db).one<{ n: string | number }>(
      sql`select count(*) as n from activities where app_id = ${appId} and customer_id = any(${sqlArray(ids, 'uuid')})`,
    );
    return Number(row?.n ?? 0);
  }

  /** The customers' conversations, newest first. */
  async conversations(appId: string, customerIds: readonly string[]): Promise<ExportedConversation[]> {
    const ids = customerIds.filter(isUuid);
    if (!ids.length) return [];
    const rows = await this.db.query<{
      id: string;
      customer_id: string;
      room_id: string;
      status: 'ongoing' | 'resolved';
      started_at: Date | string;
      resolved_at: Date | string | null;
      last_message: string | null;
      additional_info: unknown;
      notes: unknown;
    }>(sql`
      select id, customer_id, room_id, status, started_at, resolved_at, last_message, additional_info, notes from conversations
      where app_id = ${appId} and customer_id = any(${sqlArray(ids, 'uuid')})
      order by started_at desc, id desc`);
    return rows.map((r) => ({
      id: r.id,
      customerId: r.customer_id,
      roomId: r.room_id,
      status: r.status,
      startedAt: new Date(r.started_at).toISOString(),
      resolvedAt: r.resolved_at === null ? null : new Date(r.resolved_at).toISOString(),
      lastMessage: r.last_message,
      additionalInfo: r.additional_info ?? null,
      notes: r.notes ?? null,
    }));
  }
}
