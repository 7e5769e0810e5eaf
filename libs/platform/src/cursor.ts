import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidCursorError } from './errors';
import { isUuid } from './ids';

/** An ISO-8601 UTC instant with milliseconds, as every time of the API (and every time-keyed cursor) is written. */
export const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const isIsoInstant = (v: unknown): v is string => typeof v === 'string' && ISO_INSTANT.test(v) && !Number.isNaN(Date.parse(v));

/**
 * Opaque keyset cursors: base64url(JSON payload) + '.' + HMAC. The payload carries the app and the list it
 * was made for, so a forged cursor, or one from another app or another sort, is refused (422
 * `invalid_cursor`) before it reaches SQL.
 */
export class CursorCodec {
  constructor(private readonly secret: string) {}

  encode(scope: { appId: string; list: string }, position: unknown[]): string {
    const body = Buffer.from(JSON.stringify({ a: scope.appId, l: scope.list, p: position })).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  decode(scope: { appId: string; list: string }, cursor: string): unknown[] {
    const dot = cursor.indexOf('.');
    if (dot <= 0 || cursor.length > 2048) throw new InvalidCursorError();
    const body = cursor.slice(0, dot);
    const sig = Buffer.from(cursor.slice(dot + 1));
    const expected = Buffer.from(this.sign(body));
    if (sig.length !== expected.length || !timingSafeEqual(sig, expected)) throw new InvalidCursorError();
    let payload: { a?: unknown; l?: unknown; p?: unknown };
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      throw new InvalidCursorError();
    }
    if (payload.a !== scope.appId || payload.l !== scope.list || !Array.isArray(payload.p)) throw new InvalidCursorError();
    return payload.p;
  }

  /** The most common position: a time and an id (`(created_at, id) < (…)` keysets); anything else is 422. */
  decodeTimeId(scope: { appId: string; list: string }, cursor: string): { at: Date; id: string } {
    const [at, id] = this.decode(scope, cursor);
    if (!isIsoInstant(at) || !isUuid(id)) throw new InvalidCursorError();
    return { at: new Date(at), id };
  }

  encodeTimeId(scope: { appId: string; list: string }, at: Date | string, id: string): string {
    return this.encode(scope, [new Date(at).toISOString(), id]);
  }

  /** A page of a list keyed by `(time, id)`: `rows` fetched with `limit + 1`, the cursor made from the page's last row. */
  timeIdPage<R, T>(
    scope: { appId: string; list: string },
    rows: readonly R[],
    limit: number,
    key: (row: R) => [at: Date | string, id: string],
    map: (row: R) => T,
  ): Page<T> {
    return keysetPage(rows, limit, map, (last) => this.encodeTimeId(scope, ...key(last)));
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url').slice(0, 32);
  }
}

export const CURSOR_CODEC = Symbol('CURSOR_CODEC');

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/**
 * One keyset page from rows fetched with `limit + 1`: the extra row only says that a next page exists, and
 * `nextCursor` continues after the page's last row. Every page of the API is made here (API.md "Lists").
 */
export function keysetPage<R, T>(rows: readonly R[], limit: number, map: (row: R) => T, nextCursor: (last: R) => string): Page<T> {
  const page = rows.slice(0, limit);
  return { data: page.map(map), nextCursor: rows.length > limit && page.length ? nextCursor(page[page.length - 1]) : null };
}
