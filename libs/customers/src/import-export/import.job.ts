import { Injectable, Logger } from '@nestjs/common';
import { AuditService, type Identity } from '@cdp/access';
import { ChannelRegistry, ChannelsService } from '@cdp/channels';
import { Db, DomainError, JobHandler, type JobContext, type JobHandlerContract, type Tx } from '@cdp/platform';
import { CustomerConsent } from '../consent/customer-consent';
import { CustomersService } from '../customers.service';
import { CustomerIntake } from '../intake/customer-intake';
import { mapHeader } from './import-file';
import { planRows, type RowPlan } from './import-rows';
import { ImportCompletedEvent } from './import-export.events';
import { ImportsRepository, type ImportWork, type RowOutcome } from './imports.repository';
import { IMPORT_QUEUE, type ImportJob } from './imports.service';

/** Rows judged and written per transaction: one multi-row insert of customers, one of outcomes. */
export const IMPORT_BATCH_SIZE = 500;

const key = (channelId: string, identifier: string) => `${channelId.toLowerCase()}\n${identifier}`;
type Candidate = Extract<RowPlan, { status: 'candidate' }>;

/**
 * The `customers.import` job (IE4, X6). Every row is judged first, without the database (`planRows`); then,
 * batch by batch, in one transaction each: the import row is locked, rows that already have an outcome (a
 * retry after a crash) are left alone, the good rows are inserted (`createMany`, taken identifiers answered as
 * `customer_exists`) and every row's outcome written. A retry therefore never creates a customer twice, and the
 * totals, counted from the outcomes, are right. A dry run asks which customers exist instead of inserting.
 */
@Injectable()
@JobHandler(IMPORT_QUEUE)
export class ImportJobHandler implements JobHandlerContract<ImportJob> {
  private readonly log = new Logger('ImportJob');

  constructor(
    private readonly db: Db,
    private readonly repo: ImportsRepository,
    private readonly customers: CustomersService,
    private readonly channels: ChannelsService,
    private readonly channelTypes: ChannelRegistry,
    private readonly intake: CustomerIntake,
    private readonly audit: AuditService,
    private readonly consent: CustomerConsent,
  ) {}

  async run({ appId, importId }: ImportJob, _ctx: JobContext): Promise<void> {
    const work = await this.repo.claim(appId, importId);
    if (!work) return; // finished already, or gone
    const plan = await this.plan(appId, work);
    for (let i = 0; i < plan.length; i += IMPORT_BATCH_SIZE) {
      const batch = plan.slice(i, i + IMPORT_BATCH_SIZE);
      await this.db.transaction((tx) => this.runBatch(tx, appId, importId, work, batch));
    }
    await this.db.transaction(async (tx) => {
      const totals = await this.repo.complete(tx, appId, importId);
      if (!totals) return;
      tx.record(
        new ImportCompletedEvent(
          appId,
          importId,
          work.dry_run,
          totals.total_rows,
          totals.created_count,
          totals.skipped_count,
          totals.failed_count,
        ),
      );
      await this.audit.record(tx, actor(appId, work), {
        action: 'customers.imported',
        subject: `import:${importId}`,
        details: {
          importId,
          dryRun: work.dry_run,
          totalRows: totals.total_rows,
          createdCount: totals.created_count,
          skippedCount: totals.skipped_count,
          failedCount: totals.failed_count,
        },
      });
    });
  }

  /** Imports to resume: the row outcomes written so far are kept, the others are judged and written. */
  async unfinished({ atStart }: { atStart: boolean }): Promise<Array<{ data: ImportJob; jobId: string }>> {
    return (await this.repo.unfinished(atStart)).map((r) => ({ data: { appId: r.app_id, importId: r.id }, jobId: r.id }));
  }

  async failed({ appId, importId }: ImportJob, error: Error): Promise<void> {
    // Only a domain rule's message is shown; anything else stays in the logs.
    const reason =
      error instanceof DomainError
        ? `The import could not be completed: ${error.message}`
        : 'The import could not be completed because of an internal error. Upload the file again; if it happens again, contact support.';
    if (!(error instanceof DomainError)) this.log.error({ err: error, appId, importId }, 'Import failed');
    await this.repo.fail(appId, importId, reason);
  }

  private async plan(appId: string, work: ImportWork): Promise<RowPlan[]> {
    const channels = await this.channels.list(appId);
    const intake = await this.intake.prepare(appId, [], { channels });
    return planRows(mapHeader(work.columns), work.rows, {
      channels: new Map(channels.map((c) => [c.id.toLowerCase(), c])),
      channelTypes: new Set(this.channelTypes.list().map((a) => a.type)),
      check: (raw) => this.intake.check(intake, raw),
    });
  }

  private async runBatch(tx: Tx, appId: string, importId: string, work: ImportWork, batch: RowPlan[]): Promise<void> {
    if ((await this.repo.lock(tx, appId, importId)) !== 'processing') return;
    const done = await this.repo.doneRows(
      tx,
      appId,
      importId,
      batch.map((p) => p.rowNo),
    );
    const todo = batch.filter((p) => !done.has(p.rowNo));
    if (!todo.length) return;
    const outcomes: RowOutcome[] = [];
    const candidates: Candidate[] = [];
    for (const p of todo) {
      if (p.status === 'candidate') candidates.push(p);
      else outcomes.push({ rowNo: p.rowNo, status: p.status, issues: p.issues });
    }
    if (candidates.length)
      outcomes.push(...(await (work.dry_run ? this.wouldCreate(tx, appId, candidates) : this.create(tx, appId, work, candidates))));
    await this.repo.insertOutcomes(tx, appId, importId, outcomes);
  }

  private async create(tx: Tx, appId: string, work: ImportWork, candidates: Candidate[]): Promise<RowOutcome[]> {
    const { created, existing, suppressed } = await this.customers.createMany(
      tx,
      appId,
      candidates.map((c) => c.customer),
    );
    const createdIds = new Map(created.map((c) => [key(c.channel_id, c.identifier), c.id]));
    const holders = new Map(existing.map((e) => [key(e.channelId, e.identifier), e.id]));
    const refused = new Set(suppressed.map((s) => key(s.channelId, s.identifier)));
    // The consent column, at the time the import was requested (X9): for the created customers, and for the
    // existing ones a row names (the row is skipped, its consent is recorded; the newest change wins). An
    // empty cell changes nothing.
    const at = new Date(work.created_at);
    const by = { userId: work.created_by.userId, role: work.created_by.role, via: work.created_by.via };
    await this.consent.apply(
      tx,
      appId,
      candidates.flatMap((c) => {
        const k = key(c.customer.channelId, c.customer.identifier);
        const id = createdIds.get(k) ?? holders.get(k);
        return id && c.consent ? [{ customerId: id, status: c.consent, source: 'import' as const, at, actor: by }] : [];
      }),
    );
    return candidates.map((c) => {
      const k = key(c.customer.channelId, c.customer.identifier);
      const id = createdIds.get(k);
      // Candidates are unique within the file, so a created key belongs to this row.
      if (id) return { rowNo: c.rowNo, status: 'created', customerId: id, issues: [] };
      if (refused.has(k)) return { rowNo: c.rowNo, status: 'failed', customerId: null, issues: [suppressedIssue()] };
      const holder = holders.get(k) || null;
      return { rowNo: c.rowNo, status: 'skipped', customerId: holder, issues: [exists(!!holder && !!c.consent)] };
    });
  }

  private async wouldCreate(tx: Tx, appId: string, candidates: Candidate[]): Promise<RowOutcome[]> {
    const found = await this.customers.findByIdentifiers(
      tx,
      appId,
      candidates.map((c) => ({ channelId: c.customer.channelId, identifier: c.customer.identifier })),
    );
    const holders = new Map(found.map((f) => [key(f.channel_id, f.identifier), f.id]));
    const blocked = await this.intake.suppressedAmong(
      appId,
      candidates.map((c) => c.customer),
      tx,
    );
    return candidates.map((c, i) => {
      const holder = holders.get(key(c.customer.channelId, c.customer.identifier));
      if (holder) return { rowNo: c.rowNo, status: 'skipped', customerId: holder, issues: [exists()] };
      if (blocked.has(i)) return { rowNo: c.rowNo, status: 'failed', customerId: null, issues: [suppressedIssue()] };
      return { rowNo: c.rowNo, status: 'created', customerId: null, issues: [] };
    });
  }
}

function exists(consentRecorded = false) {
  const message = 'a customer with this identifier exists on this channel';
  return {
    column: 'identifier',
    code: 'customer_exists',
    message: consentRecorded ? `${message}; the consent of this row was recorded for it (the newest change wins)` : message,
  };
}

function suppressedIssue() {
  return {
    column: 'identifier',
    code: 'identity_suppressed',
    message: 'this identity, e-mail or phone number belongs to an erased person and is suppressed',
  };
}

function actor(appId: string, work: ImportWork): Identity {
  const by = work.created_by;
  return { appId, userId: by.userId, role: by.role as Identity['role'], email: by.email, via: by.via as Identity['via'] };
}
