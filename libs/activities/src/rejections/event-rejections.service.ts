import { Inject, Injectable, Logger } from '@nestjs/common';
import { CURSOR_CODEC, CursorCodec, Db, DEFAULT_PAGE_SIZE, newId, Sql, sql, type Page } from '@cdp/platform';

/** How long a rejected event or message is kept (API.md "Rejected events are kept"). */
export const REJECTION_RETENTION_DAYS = 30;
/** What is kept of a rejected payload: its JSON text, cut at this many bytes. */
export const MAX_REJECTED_PAYLOAD_BYTES = 32 * 1024;

export type RejectionVia = 'events' | 'segment';

export interface Rejection {
  /** Position in the request (`events[i]`, `batch[i]`; 0 for a single Segment message). */
  index: number;
  code: string;
  message: string;
  /** What the sender sent for that item, as parsed. */
  payload: unknown;
}

export interface EventRejection {
  id: string;
  receivedAt: string;
  via: RejectionVia;
  apiKeyId: string | null;
  index: number;
  code: string;
  message: string;
  payload: string;
}

interface Row {
  id: string;
  received_at: Date | string;
  via: RejectionVia;
  api_key_id: string | null;
  index: number;
  code: string;
  message: string;
  payload: string;
}

/**
 * A text column cannot hold NUL (U+0000), and a message may quote the very value that was refused for holding
 * one (issue 11): it is kept written out as the JSON escape `\u0000`, so the entry is stored and still says
 * what came.
 */
const withoutNul = (text: string): string => text.split('\u0000').join('\\u0000');

/** The JSON text of a payload, cut at 32 KB on a character boundary (a cut payload is no longer valid JSON). */
export function keptPayload(payload: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(payload) ?? 'null';
  } catch {
    text = String(payload);
  }
  if (Buffer.byteLength(text, 'utf8') <= MAX_REJECTED_PAYLOAD_BYTES) return text;
  let cut = Buffer.from(text, 'utf8').subarray(0, MAX_REJECTED_PAYLOAD_BYTES).toString('utf8');
  if (cut.endsWith('\uFFFD')) cut = cut.slice(0, -1);
  return cut;
}

/**
 * The dead-letter list (FEATURES.md X13): every event of `POST /v1/events` and every Segment message that was
 * rejected, with its reason and what was sent, kept 30 days. Written after the request's own work (a rejected
 * item changes nothing else), read newest first.
 */
@Injectable()
export class EventRejectionsService {
  private readonly log = new Logger('EventRejections');

  constructor(
    private readonly db: Db,
    @Inject(CURSOR_CODEC) private readonly cursors: CursorCodec,
  ) {}

  /** Keeps the rejected items of one request (one statement); nothing to keep, nothing written. */
  async record(
    appId: string,
    via: RejectionVia,
    apiKeyId: string | null,
    items: readonly Rejection[],
    receivedAt = new Date(),
  ): Promise<void> {
    if (!items.length) return;
    const rows = items.map((r) => ({
      id: newId(),
      index: r.index,
      code: r.code,
      message: withoutNul(r.message).slice(0, 1000),
      payload: withoutNul(keptPayload(r.payload)),
    }));
    await this.db.run(sql`
      insert into event_rejections (app_id, id, received_at, via, api_key_id, index, code, message, payload)
      select ${appId}, x.id, ${receivedAt}, ${via}, ${apiKeyId}::uuid, x.index, x.code, x.message, x.payload
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(id uuid, index integer, code text, message text, payload text)`);
  }

  /** `GET /v1/event-rejections`: newest first, keyset on (receivedAt, id). */
  async list(appId: string, opts: { limit?: number; cursor?: string; via?: RejectionVia }): Promise<Page<EventRejection>> {
    const limit = opts.limit ?? DEFAULT_PAGE_SIZE;
    const scope = { appId, list: 'event-rejections' };
    let after = Sql.raw('');
    if (opts.cursor) {
      const { at, id } = this.cursors.decodeTimeId(scope, opts.cursor);
      after = sql` and (received_at, id) < (${at}::timestamptz, ${id}::uuid)`;
    }
    const byVia = opts.via ? sql` and via = ${opts.via}` : Sql.raw('');
    const rows = await this.db.query<Row>(sql`
      select id, received_at, via, api_key_id, index, code, message, payload from event_rejections
      where app_id = ${appId}${byVia}${after}
      order by received_at desc, id desc limit ${limit + 1}`);
    return this.cursors.timeIdPage(
      scope,
      rows,
      limit,
      (r) => [r.received_at, r.id],
      (r) => ({
        id: r.id,
        receivedAt: new Date(r.received_at).toISOString(),
        via: r.via,
        apiKeyId: r.api_key_id,
        index: r.index,
        code: r.code,
        message: r.message,
        payload: r.payload,
      }),
    );
  }

  /** Deletes what is older than the retention (every app); answers how many rows went. */
  async purge(now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - REJECTION_RETENTION_DAYS * 24 * 3600 * 1000);
    const n = await this.db.run(sql`delete from event_rejections where received_at < ${before}`);
    if (n) this.log.log(`Deleted ${n} rejected event(s) older than ${REJECTION_RETENTION_DAYS} days`);
    return n;
  }
}
