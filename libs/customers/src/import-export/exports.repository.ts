import { Injectable } from '@nestjs/common';
import { Db, Sql, sql, type Tx } from '@cdp/platform';
import { CUSTOMER_COLUMNS, CUSTOMER_FROM } from '../customer-sql';
import type { CustomerRow } from '../dto/customer.dto';
import type { ExportRecordRow } from './import-export.dto';
import { MAX_INTERRUPTIONS } from './imports.repository';

export interface ExportWork {
  status: 'processing' | 'completed';
  email: string;
  filter: Record<string, unknown>;
  created_by: { userId: string; role: string; email?: string; via: string };
  has_csv: boolean;
  row_count: number | null;
  mail_sent_at: Date | string | null;
}

export interface DownloadRow {
  token_hash: string | null;
  token_expires_at: Date | string | null;
  csv: string | null;
  created_at: Date | string;
}

const RECORD = Sql.raw('id, app_id, status, email, filter, row_count, failure_reason, token_expires_at, created_at, completed_at');

@Injectable()
export class ExportsRepository {
  constructor(private readonly db: Db) {}

  async insert(
    tx: Tx,
    appId: string,
    e: { id: string; email: string; filter: unknown; createdBy: Record<string, unknown>; at: Date },
  ): Promise<ExportRecordRow> {
    return (await tx.one<ExportRecordRow>(sql`
      insert into exports (id, app_id, status, email, filter, created_by, created_at, updated_at)
      values (${e.id}, ${appId}, 'queued', ${e.email}, ${JSON.stringify(e.filter ?? {})}::jsonb, ${JSON.stringify(e.createdBy)}::jsonb, ${e.at}, ${e.at})
      returning ${RECORD}`))!;
  }

  get(appId: string, id: string): Promise<ExportRecordRow | undefined> {
    return this.db.one<ExportRecordRow>(sql`select ${RECORD} from exports where app_id = ${appId} and id = ${id}::uuid`);
  }

  list(appId: string, after: { at: Date; id: string } | undefined, n: number): Promise<ExportRecordRow[]> {
    const from = after ? sql` and (created_at, id) < (${after.at}::timestamptz, ${after.id}::uuid)` : Sql.raw('');
    return this.db.query<ExportRecordRow>(sql`
      select ${RECORD} from exports where app_id = ${appId}${from} order by created_at desc, id desc limit ${n}`);
  }

  /**
   * Queued → processing (a retry finds it processing and goes on); a completed export whose mail was not sent
   * yet is handed as it is (its mail is what is left). Nothing once finished.
   */
  claim(appId: string, id: string): Promise<ExportWork | undefined> {
    return this.db.one<ExportWork>(sql`
      update exports set status = case when status = 'queued' then 'processing' else status end, updated_at = now()
      where app_id = ${appId} and id = ${id}::uuid and (status in ('queued', 'processing') or (status = 'completed' and mail_sent_at is null))
      returning status, email, filter, created_by, csv is not null as has_csv, row_count, mail_sent_at`);
  }

  /** The latest `n` customers by creation that match `where` (the filter compiler's fragment over `c`). */
  latest(appId: string, where: Sql, n: number): Promise<CustomerRow[]> {
    return this.db.query<CustomerRow>(sql`
      select ${CUSTOMER_COLUMNS} from ${CUSTOMER_FROM}
      where c.app_id = ${appId} and ${where}
      order by c.created_at desc, c.id desc limit ${n}`);
  }

  async saveCsv(appId: string, id: string, csv: Buffer, rowCount: number): Promise<void> {
    // Bound as base64 text and decoded by the database: the same statement on both drivers.
    await this.db.run(sql`
      update exports set csv = decode(${csv.toString('base64')}, 'base64'), row_count = ${rowCount}, updated_at = now()
      where app_id = ${appId} and id = ${id}::uuid and status = 'processing'`);
  }

  /**
   * Completes the export with the link's token (its sha256) and expiry, before any mail names it: a link in a
   * mail always finds a completed export. A completed export whose mail was not sent gets a new token (the
   * mail with the old one was never sent, or its sending was interrupted). `first` is true only the first
   * time (audited once); nothing when the export is no longer there to complete (failed meanwhile).
   */
  async complete(
    tx: Tx,
    appId: string,
    id: string,
    tokenHash: string,
    expiresAt: Date,
  ): Promise<{ row_count: number; first: boolean } | undefined> {
    const before = await tx.one<{ status: string; mail_sent_at: unknown }>(
      sql`select status, mail_sent_at from exports where app_id = ${appId} and id = ${id}::uuid for update`,
    );
    if (!before || !(before.status === 'processing' || (before.status === 'completed' && !before.mail_sent_at))) return undefined;
    const done = await tx.one<{ row_count: number }>(sql`
      update exports set status = 'completed', token_hash = ${tokenHash}, token_expires_at = ${expiresAt},
        completed_at = coalesce(completed_at, now()), updated_at = now()
      where app_id = ${appId} and id = ${id}::uuid
      returning row_count`);
    return { row_count: done!.row_count, first: before.status === 'processing' };
  }

  /** Records that the mail with the link went out (a resumed job then has nothing left to do). */
  async markMailed(appId: string, id: string): Promise<void> {
    await this.db.run(sql`
      update exports set mail_sent_at = now(), updated_at = now()
      where app_id = ${appId} and id = ${id}::uuid and status = 'completed' and mail_sent_at is null`);
  }

  /**
   * Exports to run again (every app), oldest first: queued, processing, or completed without their mail.
   * `atStart`: as for imports, those left processing count an interruption, and the third ends them `failed`.
   */
  async unfinished(atStart: boolean): Promise<Array<{ app_id: string; id: string }>> {
    if (atStart) {
      await this.db.run(sql`update exports set interrupted_count = interrupted_count + 1, updated_at = now() where status = 'processing'`);
      await this.db.run(sql`
        update exports set status = 'failed', token_hash = null, completed_at = now(), updated_at = now(),
          failure_reason = concat('The export was stopped ', interrupted_count::text, ' times by a restart of the service while it ran, and was ended. Ask for it again.')
        where status = 'processing' and interrupted_count >= ${MAX_INTERRUPTIONS}`);
    }
    return this.db.query(sql`
      select app_id, id from exports
      where status in ('queued', 'processing') or (status = 'completed' and mail_sent_at is null)
      order by created_at, id limit 1000`);
  }

  /** Ends it `failed` (also a completed export whose mail could not be sent: nobody has its link). */
  async fail(appId: string, id: string, reason: string): Promise<void> {
    await this.db.run(sql`
      update exports set status = 'failed', failure_reason = ${reason}, token_hash = null, completed_at = now(), updated_at = now()
      where app_id = ${appId} and id = ${id}::uuid
        and (status in ('queued', 'processing') or (status = 'completed' and mail_sent_at is null))`);
  }

  /**
   * The file behind a download link. The link carries no app: the export id (a UUID, the primary key) finds
   * it, and the token proves the right to it.
   */
  forDownload(id: string): Promise<DownloadRow | undefined> {
    return this.db.one<DownloadRow>(sql`
      select token_hash, token_expires_at, encode(csv, 'base64') as csv, created_at
      from exports where id = ${id}::uuid and status = 'completed'`);
  }
}
