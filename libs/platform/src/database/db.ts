import { EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Sql } from './sql';

/** A unit of work bound to one connection (a transaction, or the request's context). */
export class Tx {
  constructor(readonly em: SqlEntityManager) {}

  /** Rows of a parameterised statement. */
  async query<T = Record<string, unknown>>(q: Sql): Promise<T[]> {
    const res = (await this.em.execute(q.text, q.values as unknown[], 'all')) as unknown[];
    // The PGlite dialect runs any text containing `;` (even inside a quoted value) as a script and answers
    // one result per statement; our statements are always one, so take the first.
    return (Array.isArray(res[0]) ? res[0] : res) as T[];
  }

  async one<T = Record<string, unknown>>(q: Sql): Promise<T | undefined> {
    return (await this.query<T>(q))[0];
  }

  /** Runs a statement and answers how many rows it touched. */
  async run(q: Sql): Promise<number> {
    const raw = (await this.em.execute(q.text, q.values as unknown[], 'run')) as { affectedRows?: number } | { affectedRows?: number }[];
    const res = Array.isArray(raw) ? raw[0] : raw; // see `query`: PGlite's script path
    return res?.affectedRows ?? 0;
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
  constructor(private readonly em: EntityManager) {}

  private get sqlEm(): SqlEntityManager {
    return this.em as unknown as SqlEntityManager;
  }

  /** A statement outside any explicit transaction (autocommit). */
  query<T = Record<string, unknown>>(q: Sql): Promise<T[]> {
    return new Tx(this.sqlEm.fork()).query<T>(q);
  }

  one<T = Record<string, unknown>>(q: Sql): Promise<T | undefined> {
    return new Tx(this.sqlEm.fork()).one<T>(q);
  }

  run(q: Sql): Promise<number> {
    return new Tx(this.sqlEm.fork()).run(q);
  }

  /** Runs `fn` in one transaction on one connection; an error rolls everything back. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.sqlEm.fork().transactional((em) => fn(new Tx(em as unknown as SqlEntityManager)));
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
