import { Injectable } from '@nestjs/common';
import { Db, Sql, sql, type Tx } from '@cdp/platform';
import { CUSTOMER_COLUMNS, CUSTOMER_FROM } from '../customer-sql';
import type { CustomerRow } from '../dto/customer.dto';
import type { ExportRecordRow } from './import-export.dto';

export interface ExportWork {
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

  /** Queued → processing (a retry finds it processing and goes on); nothing once finished. */
  claim(appId: string, id: string): Promise<ExportWork | undefined> {
    return this.db.one<ExportWork>(sql`
      update exports set status = 'processing', updated_at = now()
      where app_id = ${appId} and id = ${id}::uuid and status in ('queued', 'processing')
      returning email, filter, created_by, csv is not null as has_csv, row_count, mail_sent_at`);
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

  async setToken(appId: string, id: string, tokenHash: string, expiresAt: Date): Promise<void> {
    await this.db.run(sql`
      update exports set token_hash = ${tokenHash}, token_expires_at = ${expiresAt}, updated_at = now()
      where app_id = ${appId} and id = ${id}::uuid and status = 'processing'`);
  }

  /** Marks it completed and the mail sent; answers the row count only the first time (audited once). */
  complete(tx: Tx, appId: string, id: string): Promise<{ row_count: number } | undefined> {
    return tx.one(sql`
      update exports set status = 'completed', mail_sent_at = now(), completed_at = now(), updated_at = now()
      where app_id = ${appId} and id = ${id}::uuid and status = 'processing'
      returning row_count`);
  }

  async fail(appId: string, id: string, reason: string): Promise<void> {
    await this.db.run(sql`
      update exports set status = 'failed', failure_reason = ${reason}, token_hash = null, completed_at = now(), updated_at = now()
      where app_id = ${appId} and id = ${id}::uuid and status in ('queued', 'processing')`);
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
