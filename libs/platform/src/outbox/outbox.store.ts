import { newId } from '../ids';
import { sql, sqlArray, type SqlRunner } from '../database/sql';
import { eventTypeOf, type DomainEvent } from './domain-event';

/** An outbox row as the relay reads it. */
export interface OutboxRow {
  seq: string;
  id: string;
  app_id: string;
  type: string;
  payload: Record<string, unknown>;
  recorded_at: Date | string;
  attempts: number;
}

/** Inserts the events a transaction recorded, in one statement, in the order they were recorded. */
export async function insertOutboxRows(tx: SqlRunner, events: readonly DomainEvent[]): Promise<void> {
  if (!events.length) return;
  const at = new Date().toISOString();
  const rows = events.map((e, n) => ({ n, id: newId(), app_id: e.appId, type: eventTypeOf(e), payload: e, recorded_at: at }));
  await tx.run(sql`
    insert into outbox (id, app_id, type, payload, recorded_at)
    select x.id, x.app_id, x.type, x.payload, x.recorded_at
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(n integer, id uuid, app_id text, type text, payload jsonb, recorded_at timestamptz(3))
    order by x.n`);
}

/** The oldest events waiting to be handled (and not set aside for a later retry), in recording order. */
export function pendingOutboxRows(tx: SqlRunner, limit: number): Promise<OutboxRow[]> {
  return tx.query<OutboxRow>(sql`
    select seq::text as seq, id, app_id, type, payload, recorded_at, attempts from outbox
    where handled_at is null and failed_at is null and (retry_at is null or retry_at <= now())
    order by seq limit ${limit}`);
}

/** One event, if it is still waiting (any retry pause ignored). */
export function pendingOutboxRow(tx: SqlRunner, seq: string): Promise<OutboxRow | undefined> {
  return tx.one<OutboxRow>(sql`
    select seq::text as seq, id, app_id, type, payload, recorded_at, attempts from outbox
    where seq = ${seq}::bigint and handled_at is null and failed_at is null`);
}

export async function markOutboxHandled(tx: SqlRunner, seqs: readonly string[]): Promise<void> {
  await tx.run(sql`update outbox set handled_at = now() where seq = any(${sqlArray(seqs, 'bigint')}) and handled_at is null`);
}

/**
 * Marks an app's events of one type handled without handing them on (those still waiting, and those set aside
 * after failing): for a writer that has just counted what they describe from the base tables itself, under
 * the relay's lock (`holdOutboxRelay`). Answers how many.
 */
export function markPendingOfTypeHandled(tx: SqlRunner, appId: string, type: string): Promise<number> {
  return tx.run(sql`
    update outbox set handled_at = now()
    where handled_at is null and app_id = ${appId} and type = ${type}`);
}

/** One more failed attempt: retried after `retryInMs`, or set aside for good (`failed_at`) when `giveUp`. */
export async function markOutboxAttemptFailed(
  tx: SqlRunner,
  seq: string,
  error: string,
  retryInMs: number,
  giveUp: boolean,
): Promise<void> {
  await tx.run(sql`
    update outbox set attempts = attempts + 1, last_error = ${error.slice(0, 2000)},
      retry_at = now() + make_interval(secs => ${retryInMs / 1000}::double precision),
      failed_at = case when ${giveUp}::boolean then now() end
    where seq = ${seq}::bigint`);
}

/** Forgets handled events older than `olderThanMs` (a bounded number per call); answers how many. */
export function purgeHandledOutboxRows(tx: SqlRunner, olderThanMs: number, limit: number): Promise<number> {
  return tx.run(sql`
    delete from outbox where seq in (
      select seq from outbox where handled_at < now() - make_interval(secs => ${olderThanMs / 1000}::double precision)
      order by seq limit ${limit})`);
}
