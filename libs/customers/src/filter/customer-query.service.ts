import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import {
  CURSOR_CODEC,
  CursorCodec,
  DEFAULT_PAGE_SIZE,
  InvalidCursorError,
  isIsoInstant,
  isUuid,
  keysetPage,
  Sql,
  sql,
  type Page,
} from '@cdp/platform';
import { toCustomerResponse, type CustomerResponseDto, type CustomerRow } from '../dto/customer.dto';
import { BY_CREATED, BY_NAME, COMMON_MATCHES, CustomerQueryRepository, type KeysetOrder } from './customer-query.repository';
import { CustomerFilterCompiler } from './filter.compiler';
import type { CustomerFilterDto, NormalizedFilterDto } from './filter.dto';
import { DEFAULT_CUSTOMER_SORT, type CustomerSort, type ValidatedFilter } from './filter.types';
import { FilterValidator, type ValidateOptions } from './filter.validator';
import { normalizeSources } from './source-rules';

export interface CustomerSearchQuery {
  filter?: CustomerFilterDto;
  sort?: CustomerSort;
  limit?: number;
  cursor?: string;
}

export interface CustomerCount {
  count: number;
  /** True when `limit` was given and more customers match (count is then the limit). */
  capped: boolean;
}

const iso = (d: Date | string): string => new Date(d).toISOString();

/**
 * List, search and count of customers over the filter language (FEATURES.md C4–C9, C12, X8). Pages are keyset
 * cursors only, signed for the app, the sort and the filter: a cursor of another app, sort or filter, or a
 * forged one, is 422 `invalid_cursor`.
 *
 * Search plan (PERFORMANCE.md rule 2), for the `-createdAt` and `name` sorts: step 1 scans the next
 * `SEARCH_WINDOW` customers of the sort's btree and filters them; when that fills the page, or the window
 * reached the end of the list (small apps), it is the answer; otherwise step 2 collects every match through
 * the trigram GIN and sorts them. `-lastActivityAt` walks `customer_activity`'s index, then the customers
 * without activity (newest first).
 */
@Injectable()
export class CustomerQueryService {
  constructor(
    private readonly validator: FilterValidator,
    private readonly compiler: CustomerFilterCompiler,
    private readonly repo: CustomerQueryRepository,
    @Inject(CURSOR_CODEC) private readonly cursors: CursorCodec,
  ) {}

  /** Validates a filter once, for callers that compile it themselves (`idsQuery`) or reuse it. */
  validate(appId: string, filter: CustomerFilterDto | undefined, opts?: ValidateOptions): Promise<ValidatedFilter> {
    return this.validator.validate(appId, filter, opts);
  }

  /** The WHERE fragment of a validated filter over alias `c`. */
  where(appId: string, filter: ValidatedFilter): Sql {
    return this.compiler.compile(appId, filter);
  }

  /** `select c.id from customers c where …`: for bulk work inside the database (`INSERT … SELECT`, export). */
  idsQuery(appId: string, filter: ValidatedFilter): Sql {
    return sql`select c.id from customers c where c.app_id = ${appId} and ${this.compiler.compile(appId, filter)}`;
  }

  async search(appId: string, q: CustomerSearchQuery, opts?: ValidateOptions): Promise<Page<CustomerResponseDto>> {
    return this.searchValidated(appId, await this.validator.validate(appId, q.filter, opts), q);
  }

  async searchValidated(
    appId: string,
    filter: ValidatedFilter,
    q: Omit<CustomerSearchQuery, 'filter'>,
  ): Promise<Page<CustomerResponseDto>> {
    const sort = q.sort ?? DEFAULT_CUSTOMER_SORT;
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const scope = { appId, list: `customers:${sort}:${fingerprint(filter)}` };
    const position = q.cursor === undefined ? undefined : this.cursors.decode(scope, q.cursor);
    const where = this.compiler.compile(appId, filter);
    let rows: CustomerRow[];
    let next: unknown[] | undefined;
    if (sort === '-lastActivityAt') {
      ({ rows, next } = await this.byActivity(appId, where, position, limit));
    } else {
      const order = sort === 'name' ? BY_NAME : BY_CREATED;
      rows = await this.byKeyset(appId, where, order, position && this.keysetPosition(sort, position), !!filter.search, limit + 1);
      return keysetPage(rows, limit, toCustomerResponse, (last) =>
        this.cursors.encode(scope, sort === 'name' ? [last.name, last.id] : [iso(last.created_at), last.id]),
      );
    }
    return { data: rows.map(toCustomerResponse), nextCursor: next ? this.cursors.encode(scope, next) : null };
  }

  async count(appId: string, q: { filter?: CustomerFilterDto; limit?: number }, opts?: ValidateOptions): Promise<CustomerCount> {
    return this.countValidated(appId, await this.validator.validate(appId, q.filter, opts), q.limit);
  }

  async countValidated(appId: string, filter: ValidatedFilter, limit?: number): Promise<CustomerCount> {
    const n = await this.repo.count(appId, this.compiler.compile(appId, filter), limit);
    return limit !== undefined && n > limit ? { count: limit, capped: true } : { count: n, capped: false };
  }

  /**
   * C7: the filter as the screen must show it after a channel change. Channels are resolved (unknown or
   * foreign: 422); sources the selection does not allow are dropped, and every source says whether it can be
   * chosen. Nothing else of the filter is changed or checked here.
   */
  async normalize(appId: string, filter: CustomerFilterDto): Promise<NormalizedFilterDto> {
    const channels = await this.validator.resolveChannels(appId, filter);
    const sourceOptions = this.validator.sourceOptions(channels.selectedTypes);
    const out: CustomerFilterDto = { ...filter };
    const changes: string[] = [];
    if (filter.sources) {
      const r = normalizeSources([...new Set(filter.sources)], sourceOptions, this.validator.catalogue());
      out.sources = r.sources;
      changes.push(...r.changes);
    }
    return { filter: out, changes, sourceOptions };
  }

  private async byKeyset(
    appId: string,
    where: Sql,
    order: KeysetOrder,
    position: unknown[] | undefined,
    searching: boolean,
    n: number,
  ): Promise<CustomerRow[]> {
    const after = position && order.after(position);
    if (!searching) return this.repo.page(appId, where, order, after, n);
    const first = await this.repo.pageInWindow(appId, where, order, after, n);
    if (first.length >= n || (await this.repo.windowIsComplete(appId, order, after))) return first;
    // Common fragments (by the planner's estimate): the plain keyset page, which walks on along the order
    // and meets a page soon; rare ones: every match through the trigram index, sorted. Both are exact.
    if ((await this.repo.estimateMatches(appId, where, after)) >= COMMON_MATCHES) return this.repo.page(appId, where, order, after, n);
    return this.repo.pageMatchesFirst(appId, where, order, after, n);
  }

  private async byActivity(
    appId: string,
    where: Sql,
    position: unknown[] | undefined,
    limit: number,
  ): Promise<{ rows: CustomerRow[]; next?: unknown[] }> {
    const [phase, at, id] = position ?? [];
    if (position !== undefined && !((phase === 'a' || phase === 'n') && isIsoInstant(at) && isUuid(id))) throw new InvalidCursorError();
    let rows: CustomerRow[] = [];
    if (phase !== 'n') rows = await this.repo.pageByActivity(appId, where, position && { at: at as string, id: id as string }, limit + 1);
    if (rows.length <= limit) {
      const after = phase === 'n' ? BY_CREATED.after([at, id]) : undefined;
      rows = rows.concat(await this.repo.pageWithoutActivity(appId, where, after, limit + 1 - rows.length));
    }
    if (rows.length <= limit) return { rows };
    rows = rows.slice(0, limit);
    const last = rows[limit - 1];
    // Rows with activity come first; the last one shown says which part the next page continues in.
    const next = last.last_activity_at !== null ? ['a', iso(last.last_activity_at), last.id] : ['n', iso(last.created_at), last.id];
    return { rows, next };
  }

  private keysetPosition(sort: CustomerSort, position: unknown[]): unknown[] {
    const [key, id] = position;
    const ok = position.length === 2 && isUuid(id) && (sort === 'name' ? typeof key === 'string' : isIsoInstant(key));
    if (!ok) throw new InvalidCursorError();
    return position;
  }
}

/** Binds a cursor to the filter it was made for: the same filter always gives the same fingerprint. */
function fingerprint(f: ValidatedFilter): string {
  const sorted = (xs: string[]) => [...xs].sort();
  const canonical = {
    ...f,
    channelIds: sorted(f.channelIds),
    channelTypes: sorted(f.channelTypes),
    sources: sorted(f.sources),
    platforms: sorted(f.platforms),
    tags: sorted(f.tags),
    consent: sorted(f.consent),
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url').slice(0, 16);
}
