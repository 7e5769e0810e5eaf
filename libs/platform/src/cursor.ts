import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidCursorError } from './errors';
import { isUuid } from './ids';

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
    if (typeof at !== 'string' || Number.isNaN(Date.parse(at)) || !isUuid(id)) throw new InvalidCursorError();
    return { at: new Date(at), id };
  }

  encodeTimeId(scope: { appId: string; list: string }, at: Date | string, id: string): string {
    return this.encode(scope, [new Date(at).toISOString(), id]);
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
