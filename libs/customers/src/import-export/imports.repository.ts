import { Injectable } from '@nestjs/common';
import { Db, Sql, sql, type Tx } from '@cdp/platform';
import type { ImportOutcomeRow, ImportRecordRow } from './import-export.dto';
import type { RowIssue } from './import-rows';
import type { Separator } from './import-file';

export interface NewImport {
  id: string;
  dryRun: boolean;
  separator: Separator;
  fileName: string | null;
  columns: string[];
  rows: string[][];
  createdBy: Record<string, unknown>;
  at: Date;
}

export interface ImportWork {
  status: ImportRecordRow['status'];
  dry_run: boolean;
  columns: string[];
  rows: string[][];
  created_by: { userId: string; role: string; email?: string; via: string };
  /** When the import was requested: the time of the consent it sets. */
  created_at: Date | string;
}

export interface RowOutcome {
  rowNo: number;
  status: 'created' | 'skipped' | 'failed';
  customerId?: string | null;
  issues: RowIssue[];
}

// Counts always come from the row outcomes, so they are right while the job runs and after any retry.
const SUMMARY = Sql.raw(`i.id, i.app_id, i.status, i.dry_run, i.separator, i.file_name, i.total_rows,
  coalesce(n.created, 0)::int as created_count, coalesce(n.skipped, 0)::int as skipped_count,
  coalesce(n.failed, 0)::int as failed_count, i.failure_reason, i.created_at, i.completed_at`);
const COUNTS = Sql.raw(`left join lateral (
    select count(*) filter (where r.status = 'created') as created, count(*) filter (where r.status = 'skipped') as skipped,
           count(*) filter (where r.status = 'failed') as failed
    from import_rows r where r.app_id = i.app_id and r.import_id = i.id) n on true`);

/** Restarts of the service an import (or export) may be interrupted by before it is ended `failed`. */
export const MAX_INTERRUPTIONS = 3;

@Injectable()
export class ImportsRepository {
  constructor(private readonly db: Db) {}

  async insert(tx: Tx, appId: string, i: NewImport): Promise<void> {
    await tx.run(sql`
      insert into imports (id, app_id, status, dry_run, separator, file_name, columns, rows, total_rows, created_by, created_at, updated_at)
      values (${i.id}, ${appId}, 'queued', ${i.dryRun}, ${i.separator}, ${i.fileName}, ${JSON.stringify(i.columns)}::jsonb,
              ${JSON.stringify(i.rows)}::jsonb, ${i.rows.length}, ${JSON.stringify(i.createdBy)}::jsonb, ${i.at}, ${i.at})`);
  }

  get(appId: string, id: string): Promise<ImportRecordRow | undefined> {
    return this.db.one<ImportRecordRow>(sql`select ${SUMMARY} from imports i ${COUNTS} where i.app_id = ${appId} and i.id = ${id}::uuid`);
  }

  /** Newest first; `after` is the last row of the previous page. */
  list(appId: string, after: { at: Date; id: string } | undefined, n: number): Promise<ImportRecordRow[]> {
    const from = after ? sql` and (created_at, id) < (${after.at}::timestamptz, ${after.id}::uuid)` : Sql.raw('');
    return this.db.query<ImportRecordRow>(sql`
      select ${SUMMARY} from (
        select id, app_id, status, dry_run, separator, file_name, total_rows, failure_reason, created_at, completed_at
        from imports where app_id = ${appId}${from}
        order by created_at desc, id desc limit ${n}
      ) i ${COUNTS}
      order by i.created_at desc, i.id desc`);
  }

  /** Outcomes of the failed and skipped rows, by row number. */
  problems(appId: string, id: string): Promise<ImportOutcomeRow[]> {
    return this.db.query<ImportOutcomeRow>(sql`
      select row_no, status, issues from import_rows
      where app_id = ${appId} and import_id = ${id}::uuid and status <> 'created' order by row_no`);
  }

  /** The stored header and rows (the report of failed rows repeats their original cells). */
  file(appId: string, id: string): Promise<{ columns: string[]; rows: string[][]; separator: Separator } | undefined> {
    return this.db.one(sql`select columns, rows, separator from imports where app_id = ${appId} and id = ${id}::uuid`);
  }

  /**
   * Moves a queued import to `processing` and hands its work; a retry finds it `processing` and goes on.
   * Nothing for an import that is finished (or not there).
   */
  claim(appId: string, id: string): Promise<ImportWork | undefined> {
    return this.db.one<ImportWork>(sql`
      update imports set status = 'processing', updated_at = now()
      where app_id = ${appId} and id = ${id}::uuid and status in ('queued', 'processing')
      returning status, dry_run, columns, rows, created_by, created_at`);
  }

  /** Serialises two runs of the same import (a stalled job taken over while its first worker still runs). */
  async lock(tx: Tx, appId: string, id: string): Promise<string | undefined> {
    return (await tx.one<{ status: string }>(sql`select status from imports where app_id = ${appId} and id = ${id}::uuid for update`))
      ?.status;
  }

  async doneRows(tx: Tx, appId: string, id: string, rowNos: number[]): Promise<Set<number>> {
    const rows = await tx.query<{ row_no: number }>(sql`
      select row_no from import_rows where app_id = ${appId} and import_id = ${id}::uuid and row_no = any(${`{${rowNos.join(',')}}`}::int[])`);
    return new Set(rows.map((r) => r.row_no));
  }

  async insertOutcomes(tx: Tx, appId: string, id: string, outcomes: RowOutcome[]): Promise<void> {
    if (!outcomes.length) return;
    const payload = outcomes.map((o) => ({ row_no: o.rowNo, status: o.status, customer_id: o.customerId ?? null, issues: o.issues }));
    await tx.run(sql`
      insert into import_rows (app_id, import_id, row_no, status, customer_id, issues)
      select ${appId}, ${id}::uuid, x.row_no, x.status, x.customer_id, coalesce(x.issues, '[]'::jsonb)
      from jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) as x(row_no int, status text, customer_id uuid, issues jsonb)
      on conflict (app_id, import_id, row_no) do nothing`);
  }

  /** Marks the import completed with its totals; answers them only the first time (so it is audited once). */
  complete(
    tx: Tx,
    appId: string,
    id: string,
  ): Promise<{ created_count: number; skipped_count: number; failed_count: number; total_rows: number } | undefined> {
    return tx.one(sql`
      with n as (
        select count(*) filter (where status = 'created')::int as created, count(*) filter (where status = 'skipped')::int as skipped,
               count(*) filter (where status = 'failed')::int as failed
        from import_rows where app_id = ${appId} and import_id = ${id}::uuid
      )
      update imports i set status = 'completed', created_count = n.created, skipped_count = n.skipped, failed_count = n.failed,
        completed_at = now(), updated_at = now()
      from n where i.app_id = ${appId} and i.id = ${id}::uuid and i.status = 'processing'
      returning i.created_count, i.skipped_count, i.failed_count, i.total_rows`);
  }

  /**
   * Imports to run again (queued or processing, every app), oldest first. `atStart`: those left processing were
   * stopped by the death of the process before; each such interruption is counted, and an import interrupted
   * `MAX_INTERRUPTIONS` times is ended `failed` with a reason rather than resumed once more.
   */
  async unfinished(atStart: boolean): Promise<Array<{ app_id: string; id: string }>> {
    if (atStart) {
      await this.db.run(sql`update imports set interrupted_count = interrupted_count + 1, updated_at = now() where status = 'processing'`);
      // No semicolon in this statement's text, not even in a literal: the embedded driver would take it for a
      // script of several statements and send it without its parameters.
      await this.db.run(sql`
        update imports i set status = 'failed', completed_at = now(), updated_at = now(),
          failure_reason = concat('The import was stopped ', i.interrupted_count::text, ' times by a restart of the service while it ran, and was ended. ',
            (select count(*) from import_rows r where r.app_id = i.app_id and r.import_id = i.id)::text, ' of ', i.total_rows::text,
            ' rows were processed (see the row report). Upload the other rows again.')
        where i.status = 'processing' and i.interrupted_count >= ${MAX_INTERRUPTIONS}`);
    }
    return this.db.query(sql`
      select app_id, id from imports where status in ('queued', 'processing') order by created_at, id limit 1000`);
  }

  async fail(appId: string, id: string, reason: string): Promise<void> {
    await this.db.run(sql`
      update imports set status = 'failed', failure_reason = ${reason}, completed_at = now(), updated_at = now()
      where app_id = ${appId} and id = ${id}::uuid and status in ('queued', 'processing')`);
  }
}
