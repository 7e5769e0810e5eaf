import { Inject, Injectable } from '@nestjs/common';
import { Db, isUuid, sql, Sql, sqlArray, type Tx } from '@cdp/platform';
import { ACTIVITIES_OPTIONS, type ActivitiesModuleOptions } from '../activities.options';
import { toConversation, type ConversationDto } from '../conversations/conversation.dto';
import type { ConversationRow } from '../conversations/conversations.repository';

/** An activity as the data export of a person writes it. */
export interface ExportedActivity {
  id: string;
  customerId: string;
  type: string;
  occurredAt: string;
  data: Record<string, unknown>;
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
  private readonly inboxBaseUrl: string;

  constructor(
    private readonly db: Db,
    @Inject(ACTIVITIES_OPTIONS) options: ActivitiesModuleOptions,
  ) {
    this.inboxBaseUrl = options.inboxBaseUrl.replace(/\/+$/, '');
  }

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
  async conversations(appId: string, customerIds: readonly string[]): Promise<ConversationDto[]> {
    const ids = customerIds.filter(isUuid);
    if (!ids.length) return [];
    const rows = await this.db.query<ConversationRow>(sql`
      select id, customer_id, room_id, status, started_at, resolved_at, last_message, additional_info, notes, last_event_at
      from conversations
      where app_id = ${appId} and customer_id = any(${sqlArray(ids, 'uuid')})
      order by started_at desc, id desc`);
    return rows.map((r) => toConversation(r, this.inboxBaseUrl));
  }
}
