import { Inject, Injectable } from '@nestjs/common';
import { AbilityService, AuditService, type Identity } from '@cdp/access';
import { ChannelRegistry, ChannelsService } from '@cdp/channels';
import {
  CURSOR_CODEC,
  CursorCodec,
  Db,
  DEFAULT_PAGE_SIZE,
  isUuid,
  JobRunner,
  newId,
  ValidationFailedError,
  type Page,
} from '@cdp/platform';
import { buildCsv } from './export-csv';
import { toImportErrors, toImportSummary, type ImportDto, type ImportSummaryDto } from './import-export.dto';
import { ImportNotFoundError } from './import-export.errors';
import { IMPORT_COLUMNS, parseImportFile, SEPARATORS, type Separator } from './import-file';
import { ImportsRepository } from './imports.repository';

export const IMPORT_QUEUE = 'customers.import';

export interface ImportJob {
  appId: string;
  importId: string;
}

export interface ImportUpload {
  content: Buffer;
  fileName: string | null;
  separator: unknown;
  dryRun: boolean;
}

const EXAMPLE_NAMES = [
  'Budi Santoso',
  'Siti Rahayu',
  'Nguyễn Văn An',
  'Somchai Wongsakul',
  'Dewi Lestari',
  'Trần Thị Mai',
  'Agus Pratama',
  'Kanya Srisuk',
];
const FALLBACK_IDENTIFIERS = ['customer@example.com', 'customer-001'];

/**
 * Imports of customers from CSV (FEATURES.md IE1–IE4, X6): the file is read and its header and size checked
 * at upload; the rows are judged and imported by the `customers.import` job (`ImportJobHandler`), whose report
 * this service shows.
 */
@Injectable()
export class ImportsService {
  constructor(
    private readonly db: Db,
    private readonly repo: ImportsRepository,
    private readonly jobs: JobRunner,
    private readonly audit: AuditService,
    private readonly abilities: AbilityService,
    private readonly channels: ChannelsService,
    private readonly channelTypes: ChannelRegistry,
    @Inject(CURSOR_CODEC) private readonly cursors: CursorCodec,
  ) {}

  /**
   * IE1: the header and one example row per channel type. Where the app has a channel of that type, the row
   * uses its id and name (and an identifier that channel accepts), so the example imports as it is; for the
   * other types the channel id is a placeholder to replace (such a row fails with `unknown_channel`).
   */
  async template(appId: string, separator: Separator = 'comma'): Promise<string> {
    const channels = await this.channels.list(appId);
    const rows = this.channelTypes.list().map((adapter, i) => {
      const channel = channels.find((c) => c.type === adapter.type);
      const candidates = [adapter.identifier.example, ...FALLBACK_IDENTIFIERS];
      const identifier = channel
        ? (candidates.find((raw) => this.channels.validateIdentifier(channel, raw).identifier !== undefined) ?? adapter.identifier.example)
        : adapter.identifier.example;
      const name = EXAMPLE_NAMES[i % EXAMPLE_NAMES.length];
      const email = `${name
        .split(' ')[0]
        .normalize('NFKD')
        .replace(/[^A-Za-z]/g, '')
        .toLowerCase()}@example.com`;
      return [
        name,
        identifier,
        email,
        '+6281234567890',
        channel?.id ?? `<id of your ${adapter.name} channel>`,
        adapter.type,
        channel?.name ?? '',
      ];
    });
    return buildCsv(IMPORT_COLUMNS, rows, SEPARATORS[separator]);
  }

  /** IE2–IE3, X6: checks the file, stores it as a queued import and hands it to the job. */
  async request(identity: Identity, upload: ImportUpload): Promise<ImportDto> {
    await this.abilities.require(identity, 'create', 'Import');
    const separator = checkSeparator(upload.separator);
    const file = parseImportFile(upload.content, separator);
    const id = newId();
    const at = new Date();
    const createdBy = { userId: identity.userId, role: identity.role, email: identity.email, via: identity.via };
    await this.db.transaction(async (tx) => {
      await this.repo.insert(tx, identity.appId, {
        id,
        dryRun: upload.dryRun,
        separator,
        fileName: upload.fileName,
        columns: file.columns,
        rows: file.rows,
        createdBy,
        at,
      });
      await this.audit.record(tx, identity, {
        action: 'customers.import_requested',
        subject: `import:${id}`,
        details: { importId: id, fileName: upload.fileName, dryRun: upload.dryRun, separator, totalRows: file.rows.length },
      });
    });
    await this.jobs.enqueue<ImportJob>(IMPORT_QUEUE, { appId: identity.appId, importId: id }, { jobId: id });
    const summary = toImportSummary({
      id,
      app_id: identity.appId,
      status: 'queued',
      dry_run: upload.dryRun,
      separator,
      file_name: upload.fileName,
      total_rows: file.rows.length,
      created_count: 0,
      skipped_count: 0,
      failed_count: 0,
      failure_reason: null,
      created_at: at,
      completed_at: null,
    });
    return { ...summary, errors: [] };
  }

  async get(appId: string, id: string): Promise<ImportDto> {
    const row = isUuid(id) ? await this.repo.get(appId, id) : undefined;
    if (!row) throw new ImportNotFoundError();
    return { ...toImportSummary(row), errors: toImportErrors(await this.repo.problems(appId, id)) };
  }

  async list(appId: string, q: { limit?: number; cursor?: string }): Promise<Page<ImportSummaryDto>> {
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const scope = { appId, list: 'imports' };
    const after = q.cursor !== undefined ? this.cursors.decodeTimeId(scope, q.cursor) : undefined;
    const rows = (await this.repo.list(appId, after, limit + 1)).map(toImportSummary);
    return this.cursors.timeIdPage(
      scope,
      rows,
      limit,
      (i) => [i.createdAt, i.id],
      (i) => i,
    );
  }

  /**
   * The failed and skipped rows as they were uploaded (same columns, same separator) with an `error` column
   * saying what is wrong, so they can be corrected and uploaded again (the import ignores `error`).
   */
  async errorsCsv(appId: string, id: string): Promise<string> {
    const file = isUuid(id) ? await this.repo.file(appId, id) : undefined;
    if (!file) throw new ImportNotFoundError();
    const problems = await this.repo.problems(appId, id);
    // A report uploaded again has an `error` column of its own: the new one replaces it.
    const keep = file.columns.map((c, i) => (c.trim().toLowerCase() === 'error' ? -1 : i)).filter((i) => i >= 0);
    const records = problems.map((p) => {
      const cells = file.rows[p.row_no - 1] ?? [];
      const error = p.issues.map((x) => `${x.code}${x.column ? ` (${x.column})` : ''}: ${x.message}`).join('; ');
      return [...keep.map((i) => cells[i] ?? ''), `row ${p.row_no}: ${error}`];
    });
    return buildCsv([...keep.map((i) => file.columns[i]), 'error'], records, SEPARATORS[file.separator]);
  }
}

export function checkSeparator(raw: unknown): Separator {
  if (raw === undefined || raw === null || raw === '') return 'comma';
  if (typeof raw === 'string' && Object.hasOwn(SEPARATORS, raw)) return raw as Separator;
  throw new ValidationFailedError('The separator is not valid', [
    { field: 'separator', code: 'isIn', message: 'separator must be comma or semicolon' },
  ]);
}
