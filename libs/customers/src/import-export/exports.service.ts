import { Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AbilityService, AuditService, type Identity } from '@cdp/access';
import { CURSOR_CODEC, CursorCodec, Db, DEFAULT_PAGE_SIZE, isUuid, JobRunner, newId, type Page } from '@cdp/platform';
import { CustomerQueryService } from '../filter';
import { toExportResponse, type CreateExportDto, type ExportDto } from './import-export.dto';
import { ExportNotFoundError } from './import-export.errors';
import { ExportsRepository } from './exports.repository';

export const EXPORT_QUEUE = 'customers.export';

export interface ExportJob {
  appId: string;
  exportId: string;
}

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * Exports of customers (IE5): the filter is checked when asked (the same codes as a search), the file is made
 * and mailed by the `customers.export` job (`ExportJobHandler`), and downloaded with the link's token.
 */
@Injectable()
export class ExportsService {
  constructor(
    private readonly db: Db,
    private readonly repo: ExportsRepository,
    private readonly queries: CustomerQueryService,
    private readonly jobs: JobRunner,
    private readonly audit: AuditService,
    private readonly abilities: AbilityService,
    @Inject(CURSOR_CODEC) private readonly cursors: CursorCodec,
  ) {}

  async request(identity: Identity, dto: CreateExportDto): Promise<ExportDto> {
    await this.abilities.require(identity, 'create', 'Export');
    await this.queries.validate(identity.appId, dto.filter);
    const id = newId();
    const email = dto.email.trim().toLowerCase();
    const filter = JSON.parse(JSON.stringify(dto.filter ?? {})) as Record<string, unknown>;
    const createdBy = { userId: identity.userId, role: identity.role, email: identity.email, via: identity.via };
    const row = await this.db.transaction(async (tx) => {
      const inserted = await this.repo.insert(tx, identity.appId, { id, email, filter, createdBy, at: new Date() });
      await this.audit.record(tx, identity, {
        action: 'customers.export_requested',
        subject: `export:${id}`,
        details: { exportId: id, filter, recipient: email },
      });
      return inserted;
    });
    await this.jobs.enqueue<ExportJob>(EXPORT_QUEUE, { appId: identity.appId, exportId: id }, { jobId: id });
    return toExportResponse(row);
  }

  async get(appId: string, id: string): Promise<ExportDto> {
    const row = isUuid(id) ? await this.repo.get(appId, id) : undefined;
    if (!row) throw new ExportNotFoundError();
    return toExportResponse(row);
  }

  async list(appId: string, q: { limit?: number; cursor?: string }): Promise<Page<ExportDto>> {
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const scope = { appId, list: 'exports' };
    const after = q.cursor !== undefined ? this.cursors.decodeTimeId(scope, q.cursor) : undefined;
    const rows = (await this.repo.list(appId, after, limit + 1)).map(toExportResponse);
    return this.cursors.timeIdPage(
      scope,
      rows,
      limit,
      (e) => [e.createdAt, e.id],
      (e) => e,
    );
  }

  /**
   * The file of a completed export, for the holder of its link. An unknown id, a wrong, missing or expired
   * token, or a token of another export: all the same 404, so the answer tells nothing about which.
   */
  async download(id: string, token: unknown): Promise<{ csv: Buffer; fileName: string }> {
    if (!isUuid(id) || typeof token !== 'string' || !token || token.length > 200) throw new ExportNotFoundError();
    const row = await this.repo.forDownload(id);
    if (!row?.token_hash || !row.csv || !row.token_expires_at) throw new ExportNotFoundError();
    const given = Buffer.from(hashToken(token));
    const stored = Buffer.from(row.token_hash);
    if (given.length !== stored.length || !timingSafeEqual(given, stored)) throw new ExportNotFoundError();
    if (new Date(row.token_expires_at).getTime() <= Date.now()) throw new ExportNotFoundError();
    const day = new Date(row.created_at).toISOString().slice(0, 10);
    return { csv: Buffer.from(row.csv, 'base64'), fileName: `customers-${day}-${id.slice(-8)}.csv` };
  }
}
