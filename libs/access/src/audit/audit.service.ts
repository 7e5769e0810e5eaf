import { Inject, Injectable } from '@nestjs/common';
import { CURSOR_CODEC, CursorCodec, Db, DEFAULT_PAGE_SIZE, isUuid, newId, sql, Sql, sqlArray, Tx, type Page } from '@cdp/platform';
import type { Identity } from '../identity';

export interface AuditEntry {
  id: string;
  action: string;
  actor: { userId: string; role: string; email?: string; via: string };
  at: string;
  subject: string;
  details: Record<string, unknown>;
}

export interface AuditRecord {
  appId?: string;
  action: string;
  subject: string;
  details?: Record<string, unknown>;
}

interface AuditRow {
  id: string;
  action: string;
  actor: AuditEntry['actor'];
  at: Date;
  subject: string;
  details: Record<string, unknown>;
}

/**
 * The audit log (who did what, when) for imports, exports, merges, unmerges, main-channel changes,
 * customer deletions and settings changes. Written inside the transaction of the change it records.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly db: Db,
    @Inject(CURSOR_CODEC) private readonly cursors: CursorCodec,
  ) {}

  async record(tx: Tx | undefined, identity: Identity, rec: AuditRecord): Promise<void> {
    const actor = { userId: identity.userId, role: identity.role, email: identity.email, via: identity.via };
    const q = sql`insert into audit_log (id, app_id, action, actor, at, subject, details)
      values (${newId()}, ${rec.appId ?? identity.appId}, ${rec.action}, ${JSON.stringify(actor)}::jsonb, now(),
              ${rec.subject}, ${JSON.stringify(rec.details ?? {})}::jsonb)`;
    if (tx) await tx.run(q);
    else await this.db.run(q);
  }

  /**
   * The entries of `actions` about some customers (a person's data export): those whose subject is one of
   * them, or whose details name one of their ids; oldest first, at most `limit`.
   */
  async about(appId: string, customerIds: readonly string[], actions: readonly string[], limit = 1000): Promise<AuditEntry[]> {
    const ids = customerIds.filter(isUuid).map((id) => id.toLowerCase());
    if (!ids.length || !actions.length) return [];
    const rows = await this.db.query<AuditRow>(sql`
      select id, action, actor, at, subject, details from audit_log
      where app_id = ${appId} and action = any(${sqlArray([...actions], 'text')})
        and (subject = any(${sqlArray(
          ids.map((id) => `customer:${id}`),
          'text',
        )}) or exists (select 1 from unnest(${sqlArray(ids, 'text')}) as x(id) where position(x.id in details::text) > 0))
      order by at, id limit ${limit}`);
    return rows.map((r) => ({
      id: r.id,
      action: r.action,
      actor: r.actor,
      at: new Date(r.at).toISOString(),
      subject: r.subject,
      details: r.details,
    }));
  }

  async list(appId: string, opts: { limit?: number; cursor?: string; action?: string }): Promise<Page<AuditEntry>> {
    const limit = opts.limit ?? DEFAULT_PAGE_SIZE;
    const scope = { appId, list: 'audit' };
    let after = Sql.raw('');
    if (opts.cursor) {
      const { at, id } = this.cursors.decodeTimeId(scope, opts.cursor);
      after = sql` and (at, id) < (${at}::timestamptz, ${id}::uuid)`;
    }
    const byAction = opts.action ? sql` and action = ${opts.action}` : Sql.raw('');
    const rows = await this.db.query<AuditRow>(sql`
      select id, action, actor, at, subject, details from audit_log
      where app_id = ${appId}${byAction}${after}
      order by at desc, id desc limit ${limit + 1}`);
    return this.cursors.timeIdPage(
      scope,
      rows,
      limit,
      (r) => [r.at, r.id],
      (r) => ({ id: r.id, action: r.action, actor: r.actor, at: new Date(r.at).toISOString(), subject: r.subject, details: r.details }),
    );
  }
}
