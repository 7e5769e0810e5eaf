import { Injectable } from '@nestjs/common';
import { Db, sql, Sql, sqlArray, type Tx } from '@cdp/platform';
import type { ConversationState } from './conversation-state';

export interface ConversationRow {
  id: string;
  customer_id: string;
  room_id: string;
  status: 'ongoing' | 'resolved';
  started_at: Date | string;
  resolved_at: Date | string | null;
  last_message: string | null;
  additional_info: unknown;
  notes: unknown;
  last_event_at: Date | string;
}

const COLUMNS = Sql.raw('id, customer_id, room_id, status, started_at, resolved_at, last_message, additional_info, notes, last_event_at');
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

const toJson = (roomId: string, id: string | null, s: ConversationState) => ({
  id,
  room_id: roomId,
  customer_id: s.customerId,
  status: s.status,
  started_at: iso(s.startedAt),
  resolved_at: iso(s.resolvedAt),
  last_message: s.lastMessage,
  // Wrapped so that a JSON null and "no value" stay apart through jsonb_to_recordset.
  additional_info: { v: s.additionalInfo ?? null },
  notes: { v: s.notes ?? null },
  last_event_at: iso(s.lastEventAt),
});

export const toState = (r: ConversationRow): ConversationState => ({
  customerId: r.customer_id,
  status: r.status,
  startedAt: new Date(r.started_at).getTime(),
  resolvedAt: r.resolved_at === null ? null : new Date(r.resolved_at).getTime(),
  lastMessage: r.last_message,
  additionalInfo: r.additional_info ?? null,
  notes: r.notes ?? null,
  lastEventAt: new Date(r.last_event_at).getTime(),
});

const RECORDSET = Sql.raw(`x(id uuid, room_id text, customer_id uuid, status text, started_at timestamptz(3), resolved_at timestamptz(3),
  last_message text, additional_info jsonb, notes jsonb, last_event_at timestamptz(3))`);

@Injectable()
export class ConversationsRepository {
  constructor(private readonly db: Db) {}

  /** Inserts the rooms not yet known (sorted by room, so concurrent batches lock alike); answers those inserted. */
  async insertNew(tx: Tx, appId: string, rooms: { roomId: string; id: string; state: ConversationState }[]): Promise<Set<string>> {
    if (!rooms.length) return new Set();
    const json = JSON.stringify([...rooms].sort((a, b) => (a.roomId < b.roomId ? -1 : 1)).map((r) => toJson(r.roomId, r.id, r.state)));
    const rows = await tx.query<{ room_id: string }>(sql`
      insert into conversations (app_id, id, customer_id, room_id, status, started_at, resolved_at, last_message, additional_info, notes,
                                 last_event_at, created_at, updated_at)
      select ${appId}, x.id, x.customer_id, x.room_id, x.status, x.started_at, x.resolved_at, x.last_message,
             nullif(x.additional_info -> 'v', 'null'::jsonb), nullif(x.notes -> 'v', 'null'::jsonb), x.last_event_at, now(), now()
      from jsonb_to_recordset(${json}::jsonb) as ${RECORDSET}
      order by x.room_id
      on conflict (app_id, room_id) do nothing
      returning room_id`);
    return new Set(rows.map((r) => r.room_id));
  }

  /** The rooms' current rows, locked for the rest of the batch. */
  lockRooms(tx: Tx, appId: string, roomIds: string[]): Promise<ConversationRow[]> {
    if (!roomIds.length) return Promise.resolve([]);
    return tx.query<ConversationRow>(sql`
      select ${COLUMNS} from conversations
      where app_id = ${appId} and room_id = any(${sqlArray(roomIds, 'text')})
      order by room_id for update`);
  }

  async updateMany(tx: Tx, appId: string, rooms: { roomId: string; state: ConversationState }[]): Promise<void> {
    if (!rooms.length) return;
    const json = JSON.stringify(rooms.map((r) => toJson(r.roomId, null, r.state)));
    await tx.run(sql`
      update conversations c set
        status = x.status, started_at = x.started_at, resolved_at = x.resolved_at, last_message = x.last_message,
        additional_info = nullif(x.additional_info -> 'v', 'null'::jsonb), notes = nullif(x.notes -> 'v', 'null'::jsonb),
        last_event_at = x.last_event_at, updated_at = now()
      from jsonb_to_recordset(${json}::jsonb) as ${RECORDSET}
      where c.app_id = ${appId} and c.room_id = x.room_id`);
  }

  findById(appId: string, id: string): Promise<ConversationRow | undefined> {
    return this.db.one<ConversationRow>(sql`select ${COLUMNS} from conversations where app_id = ${appId} and id = ${id}::uuid`);
  }

  /** A customer's conversations, newest start first, keyset on (started_at, id). */
  listByCustomer(
    appId: string,
    customerId: string,
    opts: { status?: 'ongoing' | 'resolved'; after?: { startedAt: Date; id: string }; limit: number },
  ): Promise<ConversationRow[]> {
    const status = opts.status ? sql` and status = ${opts.status}` : Sql.raw('');
    const after = opts.after ? sql` and (started_at, id) < (${opts.after.startedAt}::timestamptz, ${opts.after.id}::uuid)` : Sql.raw('');
    return this.db.query<ConversationRow>(sql`
      select ${COLUMNS} from conversations
      where app_id = ${appId} and customer_id = ${customerId}::uuid${status}${after}
      order by started_at desc, id desc limit ${opts.limit}`);
  }
}
