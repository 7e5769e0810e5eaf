import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomBytes } from 'node:crypto';
import { AuditService, type Identity } from '@cdp/access';
import { Db, DomainError, JobHandler, MailService, type JobContext, type JobHandlerContract } from '@cdp/platform';
import { CustomerQueryService, type CustomerFilterDto } from '../filter';
import { buildExportCsv, MAX_EXPORT_ROWS } from './export-csv';
import { ExportCompletedEvent } from './import-export.events';
import { ExportsRepository, type ExportWork } from './exports.repository';
import { EXPORT_QUEUE, hashToken, type ExportJob } from './exports.service';

/** How long a download link works. */
export const EXPORT_LINK_TTL_MS = 24 * 60 * 60 * 1000;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The `customers.export` job (IE5), in steps that each leave their mark in the record, so a retry does only
 * what is left: (1) the latest 1,000 matching customers by creation (the WHERE from the filter compiler)
 * become the CSV, kept in the record; (2) a fresh random token (32 bytes; only its sha256 is kept) and its
 * expiry are stored and the record is completed, in one transaction; (3) only then is the link mailed, and the
 * mail recorded as sent. A retry of (3) after a failed mail, or after a crash (the export is found completed
 * without its mail), sends a new link (the token is replaced); a crash between the mail and its record sends
 * it once more.
 */
@Injectable()
@JobHandler(EXPORT_QUEUE)
export class ExportJobHandler implements JobHandlerContract<ExportJob> {
  private readonly log = new Logger('ExportJob');

  constructor(
    private readonly db: Db,
    private readonly repo: ExportsRepository,
    private readonly queries: CustomerQueryService,
    private readonly mail: MailService,
    private readonly audit: AuditService,
    private readonly config: ConfigService,
  ) {}

  async run({ appId, exportId }: ExportJob, _ctx: JobContext): Promise<void> {
    const work = await this.repo.claim(appId, exportId);
    if (!work || work.mail_sent_at) return;
    let rowCount = work.row_count ?? 0;
    if (work.status === 'processing' && !work.has_csv) {
      // Checked again: a channel of the filter may have been deleted since the request.
      const filter = await this.queries.validate(appId, work.filter as CustomerFilterDto);
      const rows = await this.repo.latest(appId, this.queries.where(appId, filter), MAX_EXPORT_ROWS);
      rowCount = rows.length;
      await this.repo.saveCsv(appId, exportId, Buffer.from(buildExportCsv(rows), 'utf8'), rowCount);
    }
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + EXPORT_LINK_TTL_MS);
    // Completed before the mail goes out, so the link in it always works.
    const done = await this.db.transaction(async (tx) => {
      const completed = await this.repo.complete(tx, appId, exportId, hashToken(token), expiresAt);
      if (completed?.first) {
        tx.record(new ExportCompletedEvent(appId, exportId, completed.row_count));
        await this.audit.record(tx, actor(appId, work), {
          action: 'customers.exported',
          subject: `export:${exportId}`,
          details: {
            exportId,
            filter: work.filter,
            rowCount: completed.row_count,
            recipient: work.email,
            linkExpiresAt: expiresAt.toISOString(),
          },
        });
      }
      return completed;
    });
    if (!done) return;
    rowCount = done.row_count ?? rowCount;
    const base = (this.config.get<{ PUBLIC_BASE_URL?: string }>('env')?.PUBLIC_BASE_URL ?? '').replace(/\/+$/, '');
    const link = `${base}/v1/exports/${exportId}/download?token=${token}`;
    const until = `${expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    const what = rowCount === 1 ? '1 customer' : `${rowCount} customers`;
    await this.mail.send({
      to: work.email,
      subject: 'Your customer export is ready',
      text: `Your export of ${what} is ready.\n\nDownload it (the link works until ${until}):\n${link}\n`,
      html: `<p>Your export of ${escapeHtml(what)} is ready.</p><p><a href="${escapeHtml(link)}">Download the CSV</a> (the link works until ${escapeHtml(until)}).</p>`,
    });
    await this.repo.markMailed(appId, exportId);
  }

  /** Exports to resume: the CSV made so far is kept; a completed one whose mail did not go out gets its mail. */
  async unfinished({ atStart }: { atStart: boolean }): Promise<Array<{ data: ExportJob; jobId: string }>> {
    return (await this.repo.unfinished(atStart)).map((r) => ({ data: { appId: r.app_id, exportId: r.id }, jobId: r.id }));
  }

  async failed({ appId, exportId }: ExportJob, error: Error): Promise<void> {
    const reason =
      error instanceof DomainError
        ? `The export could not be completed: ${error.message}`
        : 'The export could not be completed (the file could not be made or the e-mail not sent). Ask for it again; if it happens again, contact support.';
    if (!(error instanceof DomainError)) this.log.error({ err: error, appId, exportId }, 'Export failed');
    await this.repo.fail(appId, exportId, reason);
  }
}

function actor(appId: string, work: ExportWork): Identity {
  const by = work.created_by;
  return { appId, userId: by.userId, role: by.role as Identity['role'], email: by.email, via: by.via as Identity['via'] };
}
