import { EntityManager } from '@mikro-orm/core';
import type { Knex, SqlEntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { DomainEvent } from '../outbox/domain-event';
import { insertOutboxRows } from '../outbox/outbox.store';
import { DATABASE_OPTIONS } from './database.module';
import type { DatabaseOptions } from './database.options';
import { Sql } from './sql';

/** Items per part of a bulk write on the embedded database (`Db.inParts`). */
export const EMBEDDED_PART_SIZE = 100;

/** At most this long a part of a bulk write waits for other work to leave the embedded database. */
const YIELD_AT_MOST_MS = 100;

/** Lets the event loop turn once through its I/O phase: requests that arrived meanwhile are read and queued. */
const turn = () => new Promise<void>((r) => setImmediate(() => setImmediate(r)));
const pause = () => new Promise<void>((r) => setTimeout(r, 1));

/** The part of knex's pool (tarn) that says whether anyone holds or waits for the connection. */
interface PoolState {
  numUsed(): number;
  numPendingAcquires(): number;
}

/**
 * A Postgres array literal (`{"a","b"}`) for an array value: knex would otherwise spread an array binding
 * into a list of placeholders, and `= any(?::uuid[])` needs one parameter.
 */
function arrayLiteral(values: unknown[]): string {
  const items = values.map((v) => {
    if (v === null || v === undefined) return 'NULL';
    if (Array.isArray(v)) return arrayLiteral(v);
    const text = v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v);
    return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  });
  return `{${items.join(',')}}`;
}

function toBinding(v: unknown): unknown {
  if (v === undefined) return null;
  if (Array.isArray(v)) return arrayLiteral(v);
  return v;
}

interface RawResult {
  rows?: unknown[];
  rowCount?: number | null; // pg
  affectedRows?: number; // PGlite
}

/** What knex hands out for a statement: its pool's connection, or the one a transaction holds. */
interface KnexClient {
  acquireConnection(): Promise<Connection>;
  releaseConnection(c: Connection): Promise<unknown>;
}
type Connection = { query(text: string | { text: string; values: unknown[] }, values?: unknown[]): Promise<RawResult> };
type KnexLike = Knex & { client: KnexClient; isCompleted?: () => boolean };

/**
 * The statement's text with `$1, $2, …` for its `?`s, as knex would write it; undefined where knex's own rules
 * would read the text differently (`??` for an identifier, an escaped `\?`, several statements, a count that
 * does not match), so that such a statement still goes through knex.
 */
function positional(text: string, values: number): string | undefined {
  if (text.includes(';') || text.includes('??') || text.includes('\\?')) return undefined;
  // A statement without values goes as it is (MikroORM's knex does the same).
  if (values === 0) return text;
  let n = 0;
  const out = text.replace(/\?/g, () => `$${++n}`);
  return n === values ? out : undefined;
}

/**
 * A unit of work bound to one connection (a transaction, or single statements outside one). Statements go to
 * the driver with their values as bound parameters (`$1`, `$2`, …): values are never part of the SQL text.
 */
export class Tx {
  private readonly recorded: DomainEvent[] = [];

  /** `autocommit`: the pool's knex, for single statements outside a transaction (no EntityManager fork). */
  constructor(
    private readonly em: SqlEntityManager,
    private readonly autocommit?: Knex,
  ) {}

  /**
   * A statement on the connection knex gives for it (the pool's, or the transaction's), sent to the driver
   * directly: knex's query builder, events and positional rewriting cost more than a short read's SQL on the
   * server. Knex still owns the connections, so pooling, transactions and their connection are unchanged.
   */
  private async raw(q: Sql): Promise<RawResult> {
    const knex = (this.autocommit ?? this.em.getTransactionContext() ?? this.em.getKnex()) as KnexLike;
    const values = q.values.map(toBinding);
    const text = positional(q.text, values.length);
    // A finished transaction's refusal, and the statements `positional` leaves alone, are knex's.
    if (text === undefined || knex.isCompleted?.()) return (await knex.raw(q.text, values as never[])) as RawResult;
    const client = knex.client;
    const connection = await client.acquireConnection();
    try {
      // PGlite's connection takes the text and the values; `pg`'s one query object.
      return 'exec' in connection ? await connection.query(text, values) : await connection.query({ text, values });
    } finally {
      await client.releaseConnection(connection);
    }
  }

  /**
   * Records domain events in this transaction's outbox: they are written with its other changes, and handed to
   * handlers only after it commits (never if it rolls back). Only inside `Db.transaction`.
   */
  record(...events: DomainEvent[]): void {
    if (this.autocommit) throw new Error('Domain events are recorded inside a transaction (Db.transaction)');
    this.recorded.push(...events);
  }

  /** Writes what was recorded (called by `Db.transaction` before it commits); answers how many. */
  async flushRecorded(): Promise<number> {
    const events = this.recorded.splice(0);
    await insertOutboxRows(this, events);
    return events.length;
  }

  /** Rows of a parameterised statement. */
  async query<T = Record<string, unknown>>(q: Sql): Promise<T[]> {
    return ((await this.raw(q)).rows ?? []) as T[];
  }

  async one<T = Record<string, unknown>>(q: Sql): Promise<T | undefined> {
    return (await this.query<T>(q))[0];
  }

  /** Runs a statement and answers how many rows it touched. */
  async run(q: Sql): Promise<number> {
    const res = await this.raw(q);
    return res.rowCount ?? res.affectedRows ?? 0;
  }
}

/**
 * The one door to SQL for libs: parameterised statements (`Sql`) on the current context, and transactions.
 * The database's own error (SQL, constraint names) never reaches a client: the problem filter answers 500
 * `internal_error` for anything that is not a DomainError; repositories translate the constraint
 * violations they expect (e.g. a unique key) into DomainErrors with `isUniqueViolation`.
 */
@Injectable()
export class Db {
  private readonly committedListeners: (() => void)[] = [];
  /** The embedded database's bulk writers, one part at a time (`inParts`). */
  private lane: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly em: EntityManager,
    @Optional() @Inject(DATABASE_OPTIONS) private readonly opts?: DatabaseOptions,
  ) {}

  /** The embedded PGlite: in this process, on its event loop, with one connection. */
  get embedded(): boolean {
    return !!this.opts && !this.opts.databaseUrl;
  }

  private get sqlEm(): SqlEntityManager {
    return this.em as unknown as SqlEntityManager;
  }

  private get autocommit(): Tx {
    return new Tx(this.sqlEm, this.sqlEm.getConnection().getKnex());
  }

  /** A statement outside any explicit transaction (autocommit). */
  query<T = Record<string, unknown>>(q: Sql): Promise<T[]> {
    return this.autocommit.query<T>(q);
  }

  one<T = Record<string, unknown>>(q: Sql): Promise<T | undefined> {
    return this.autocommit.one<T>(q);
  }

  run(q: Sql): Promise<number> {
    return this.autocommit.run(q);
  }

  /**
   * Runs `fn` in one transaction on one connection; an error rolls everything back. The domain events `fn`
   * recorded (`tx.record`) are written to the outbox just before the commit, and the outbox relay is woken
   * right after it.
   */
  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    let recorded = 0;
    const out = await this.sqlEm.fork().transactional(async (em) => {
      const tx = new Tx(em as unknown as SqlEntityManager);
      const result = await fn(tx);
      recorded = await tx.flushRecorded();
      return result;
    });
    if (recorded) for (const listener of this.committedListeners) listener();
    return out;
  }

  /**
   * A bulk write of `items` (an event batch): on PostgreSQL, one transaction over all of them. On the embedded
   * database, parts of `EMBEDDED_PART_SIZE` items, each its own short transaction: PGlite runs on this
   * process's event loop with one connection, so one long transaction would hold every other request (a
   * health check, a list) for seconds. The parts of all bulk writers go one at a time, in arrival order, and
   * other work goes first between two parts (`yieldToOthers`), so a request waits for one part at most.
   * What a part committed stays committed if a later part fails (the caller's items must make a retry safe,
   * e.g. by idempotency keys). Answers each part's result, in order.
   */
  async inParts<T, R>(items: readonly T[], fn: (tx: Tx, part: T[]) => Promise<R>): Promise<R[]> {
    if (!this.embedded || items.length <= EMBEDDED_PART_SIZE) return [await this.transaction((tx) => fn(tx, [...items]))];
    const results: R[] = [];
    for (let i = 0; i < items.length; i += EMBEDDED_PART_SIZE) {
      const part = items.slice(i, i + EMBEDDED_PART_SIZE);
      const run = this.lane.then(() => this.transaction((tx) => fn(tx, part)));
      this.lane = run.then(
        () => this.yieldToOthers(),
        () => this.yieldToOthers(),
      );
      results.push(await run);
    }
    return results;
  }

  /**
   * Between two parts of bulk writes: the event loop turns (requests that arrived meanwhile reach the
   * database's queue), then the next part waits while anyone else holds or waits for the connection, for
   * `YIELD_AT_MOST_MS` at most (so bulk writes are never starved): reads go first.
   */
  private async yieldToOthers(): Promise<void> {
    await turn();
    const pool = (this.sqlEm.getConnection().getKnex().client as { pool?: PoolState }).pool;
    if (!pool) return;
    const until = Date.now() + YIELD_AT_MOST_MS;
    while ((pool.numUsed() > 0 || pool.numPendingAcquires() > 0) && Date.now() < until) await pause();
  }

  /** Calls `listener` after every commit that recorded domain events (the outbox relay wakes up on it). */
  onEventsCommitted(listener: () => void): void {
    this.committedListeners.push(listener);
  }

  /** A fresh EntityManager for entity work outside a request (jobs, CLI). */
  fork(): SqlEntityManager {
    return this.sqlEm.fork();
  }
}

/** PostgreSQL's unique_violation (SQLSTATE 23505), as both drivers report it; `constraint` narrows it. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string; message?: string; name?: string } | undefined;
  if (!e) return false;
  const unique = e.code === '23505' || e.name === 'UniqueConstraintViolationException';
  if (!unique) return false;
  if (!constraint) return true;
  return e.constraint === constraint || (e.message ?? '').includes(constraint);
}
