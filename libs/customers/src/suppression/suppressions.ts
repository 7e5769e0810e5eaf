import { Inject, Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { CURSOR_CODEC, CursorCodec, Db, DEFAULT_PAGE_SIZE, isUuid, newId, sql, Sql, sqlArray, type Page, type Tx } from '@cdp/platform';
import type { ConsentActor } from '../consent/consent.types';
import { SUPPRESSION_SECRET } from './suppression-secret';
import type { SuppressionDto, SuppressionKind } from './suppression.dto';
import { SuppressionNotFoundError } from './suppression.errors';

/** The contact points of a customer that a suppression may stand for (values as the one door normalises them). */
export interface ContactPoints {
  channelId: string;
  /** Canonical, as the channel's adapter reads it. */
  identifier: string;
  /** Lower-cased. */
  email: string | null;
  /** E.164. */
  phoneNumber: string | null;
}

interface SuppressionRow {
  id: string;
  kind: SuppressionKind;
  channel_id: string | null;
  actor: ConsentActor;
  created_at: Date | string;
}

/**
 * Suppressions of erased people (API.md "Data rights"): for each erased customer up to three keyed hashes —
 * its identity (channel + identifier), its e-mail and its phone number — HMAC-SHA256 with the server's
 * suppression secret over the kind, the app and the value, so nothing readable remains and the same value
 * hashes differently in another app. The one door for new customers asks `blocked` before anything is created.
 */
@Injectable()
export class Suppressions {
  constructor(
    private readonly db: Db,
    @Inject(CURSOR_CODEC) private readonly cursors: CursorCodec,
    @Inject(SUPPRESSION_SECRET) private readonly secret: string,
  ) {}

  /** The hashes that stand for a customer's contact points (an e-mail and a phone number on any channel). */
  hashesOf(appId: string, p: ContactPoints): { kind: SuppressionKind; channelId: string | null; hash: string }[] {
    const out: { kind: SuppressionKind; channelId: string | null; hash: string }[] = [
      {
        kind: 'identity',
        channelId: p.channelId.toLowerCase(),
        hash: this.hash(appId, 'identity', `${p.channelId.toLowerCase()}\n${p.identifier}`),
      },
    ];
    if (p.email) out.push({ kind: 'email', channelId: null, hash: this.hash(appId, 'email', p.email.toLowerCase()) });
    if (p.phoneNumber) out.push({ kind: 'phone', channelId: null, hash: this.hash(appId, 'phone', p.phoneNumber) });
    return out;
  }

  /** The positions in `customers` of those that match a suppression of the app (one indexed query). */
  async blocked(appId: string, customers: readonly ContactPoints[], tx?: Tx): Promise<Set<number>> {
    if (!customers.length) return new Set();
    const hashes = customers.map((c) => this.hashesOf(appId, c).map((h) => h.hash));
    const all = [...new Set(hashes.flat())];
    const found = await (tx ?? this.db).query<{ hash: string }>(
      sql`select hash from suppressions where app_id = ${appId} and hash = any(${sqlArray(all, 'text')})`,
    );
    if (!found.length) return new Set();
    const hit = new Set(found.map((f) => f.hash));
    return new Set(hashes.flatMap((hs, i) => (hs.some((h) => hit.has(h)) ? [i] : [])));
  }

  /** Suppresses the contact points of erased customers in the caller's transaction; answers the suppressions' ids (existing ones included). */
  async suppress(tx: Tx, appId: string, actor: ConsentActor, customers: readonly ContactPoints[]): Promise<string[]> {
    const byHash = new Map(customers.flatMap((c) => this.hashesOf(appId, c)).map((h) => [h.hash, h]));
    if (!byHash.size) return [];
    const now = new Date().toISOString();
    const rows = [...byHash.values()].map((h) => ({ id: newId(), kind: h.kind, channel_id: h.channelId, hash: h.hash }));
    await tx.run(sql`
      insert into suppressions (app_id, id, kind, channel_id, hash, actor, created_at)
      select ${appId}, x.id, x.kind, x.channel_id, x.hash, ${JSON.stringify(actor)}::jsonb, ${now}::timestamptz
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(id uuid, kind text, channel_id uuid, hash text)
      on conflict (app_id, hash) do nothing`);
    const ids = await tx.query<{ id: string }>(sql`
      select id from suppressions where app_id = ${appId} and hash = any(${sqlArray([...byHash.keys()], 'text')}) order by id`);
    return ids.map((r) => r.id);
  }

  /** `GET /v1/suppressions`: newest first. */
  async list(appId: string, opts: { limit?: number; cursor?: string }): Promise<Page<SuppressionDto>> {
    const limit = opts.limit ?? DEFAULT_PAGE_SIZE;
    const scope = { appId, list: 'suppressions' };
    let after = Sql.raw('');
    if (opts.cursor) {
      const { at, id } = this.cursors.decodeTimeId(scope, opts.cursor);
      after = sql` and (created_at, id) < (${at}::timestamptz, ${id}::uuid)`;
    }
    const rows = await this.db.query<SuppressionRow>(sql`
      select id, kind, channel_id, actor, created_at from suppressions
      where app_id = ${appId}${after}
      order by created_at desc, id desc limit ${limit + 1}`);
    return this.cursors.timeIdPage(
      scope,
      rows,
      limit,
      (r) => [r.created_at, r.id],
      (r) => ({ id: r.id, kind: r.kind, channelId: r.channel_id, createdAt: new Date(r.created_at).toISOString(), actor: r.actor }),
    );
  }

  /** `DELETE /v1/suppressions/:id`: the person may come back (another app's id: 404). */
  async lift(appId: string, id: string): Promise<void> {
    if (!isUuid(id)) throw new SuppressionNotFoundError();
    const n = await this.db.run(sql`delete from suppressions where app_id = ${appId} and id = ${id}::uuid`);
    if (!n) throw new SuppressionNotFoundError();
  }

  private hash(appId: string, kind: SuppressionKind, value: string): string {
    return createHmac('sha256', this.secret).update(`${kind}\n${appId}\n${value}`).digest('base64url');
  }
}
