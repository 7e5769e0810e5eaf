import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { SettingsService, type Identity } from '@cdp/access';
import {
  CustomerDeletionHooks,
  CustomerQueryService,
  CustomersService,
  foldText,
  toCustomerResponse,
  type CustomerFilterDto,
  type CustomerResponseDto,
  type ValidatedFilter,
} from '@cdp/customers';
import {
  CURSOR_CODEC,
  CursorCodec,
  Db,
  DEFAULT_PAGE_SIZE,
  isForeignKeyViolation,
  isRetryableConflict,
  isUuid,
  keysetPage,
  newId,
  retrying,
  Sql,
  ValidationFailedError,
  type Page,
} from '@cdp/platform';
import { createHash } from 'node:crypto';
import {
  toGroupResponse,
  type AddMembersDto,
  type AddMembersResultDto,
  type CreateGroupDto,
  type CreatedGroupDto,
  type GroupDto,
  type RemoveMembersResultDto,
  type UpdateGroupDto,
} from './dto/group.dto';
import { GroupMemberLimitExceededError, GroupNotFoundError } from './groups.errors';
import { GroupCreatedEvent, GroupDeletedEvent, GroupMembersAddedEvent, GroupMembersRemovedEvent, GroupUpdatedEvent } from './groups.events';
import { GroupsRepository } from './groups.repository';

const MAX_ATTEMPTS = 4;

/** Who to add: chosen ids, or every customer matching a validated filter. */
type Selection = { ids: string[] } | { matches: Sql };

/**
 * Customer groups (FEATURES.md G1–G3): a group keeps the members it was given; a filter is evaluated once,
 * inside the database (`INSERT … SELECT`). `member_count` is exact: changed in the transaction of every add
 * and remove, under the group's row lock, and by the customer deletion hook. The app's `groupMemberLimit`
 * (G2) is checked under the same lock, so two concurrent adds cannot pass it together.
 */
@Injectable()
export class GroupsService implements OnModuleInit {
  constructor(
    private readonly db: Db,
    private readonly repo: GroupsRepository,
    private readonly query: CustomerQueryService,
    private readonly customers: CustomersService,
    private readonly settings: SettingsService,
    private readonly deletionHooks: CustomerDeletionHooks,
    @Inject(CURSOR_CODEC) private readonly cursors: CursorCodec,
  ) {}

  onModuleInit(): void {
    this.deletionHooks.register((tx, appId, customer) => this.repo.leaveAllGroups(tx, appId, customer.id));
  }

  async create(identity: Identity, dto: CreateGroupDto): Promise<CreatedGroupDto> {
    const appId = identity.appId;
    const selection = await this.selection(appId, dto, false);
    const { groupMemberLimit: limit } = await this.settings.get(appId);
    return this.retrying(() =>
      this.db.transaction(async (tx) => {
        const id = newId();
        const at = new Date();
        const name = dto.name;
        await this.repo.insert(tx, appId, { id, name, description: dto.description ?? null, searchName: foldText(name), at });
        let notFound: string[] = [];
        let added = 0;
        if (selection && 'ids' in selection) {
          const found = await this.customers.holdExisting(tx, appId, selection.ids);
          notFound = missing(selection.ids, found);
          if (found.length > limit) throw GroupMemberLimitExceededError.adding(limit, 0, found.length, 'customerIds');
          added = await this.repo.insertMembers(tx, appId, id, found, at);
        } else if (selection) {
          // Nobody else sees the new group before it commits: counting and inserting need no group lock.
          const matched = await this.repo.countNew(tx, appId, id, selection.matches, limit + 1, true);
          if (matched > limit) throw GroupMemberLimitExceededError.matching(limit, 0, matched, true, 'filter');
          added = await this.repo.insertMatches(tx, appId, id, selection.matches, at);
        }
        if (added) await this.repo.addToCount(tx, appId, id, added, at);
        const group = toGroupResponse((await this.repo.get(appId, id, tx))!);
        tx.record(new GroupCreatedEvent(appId, id, group));
        return { ...group, notFound };
      }),
    );
  }

  async get(appId: string, id: string): Promise<GroupDto> {
    const row = await this.repo.get(appId, id);
    if (!row) throw new GroupNotFoundError();
    return toGroupResponse(row);
  }

  /** How many groups the app has (the analytics summary). */
  count(appId: string): Promise<number> {
    return this.repo.count(appId);
  }

  async list(appId: string, q: { search?: string; limit?: number; cursor?: string }): Promise<Page<GroupDto>> {
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const search = q.search === undefined ? '' : foldText(q.search);
    const scope = { appId, list: `groups:${createHash('sha256').update(search).digest('base64url').slice(0, 16)}` };
    const after = q.cursor === undefined ? undefined : this.cursors.decodeTimeId(scope, q.cursor);
    const rows = await this.repo.list(appId, { search: search || undefined, after, limit: limit + 1 });
    return this.cursors.timeIdPage(scope, rows, limit, (r) => [r.created_at, r.id], toGroupResponse);
  }

  async update(appId: string, id: string, dto: UpdateGroupDto): Promise<GroupDto> {
    const cur = await this.repo.get(appId, id);
    if (!cur) throw new GroupNotFoundError();
    const name = dto.name ?? cur.name;
    const description = dto.description === undefined ? cur.description : dto.description;
    return this.db.transaction(async (tx) => {
      const row = await this.repo.update(tx, appId, cur.id, { name, description, searchName: foldText(name), at: new Date() });
      if (!row) throw new GroupNotFoundError();
      const group = toGroupResponse(row);
      const changed = [...(name !== cur.name ? ['name'] : []), ...(description !== cur.description ? ['description'] : [])];
      if (changed.length) tx.record(new GroupUpdatedEvent(appId, group.id, group, changed));
      return group;
    });
  }

  async delete(identity: Identity, id: string): Promise<void> {
    if (!isUuid(id)) throw new GroupNotFoundError();
    await this.db.transaction(async (tx) => {
      if (!(await this.repo.delete(tx, identity.appId, id))) throw new GroupNotFoundError();
      tx.record(new GroupDeletedEvent(identity.appId, id.toLowerCase()));
    });
  }

  async members(appId: string, id: string, q: { limit?: number; cursor?: string }): Promise<Page<CustomerResponseDto>> {
    const group = await this.repo.get(appId, id);
    if (!group) throw new GroupNotFoundError();
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const scope = { appId, list: `group-members:${group.id}` };
    const after = q.cursor === undefined ? undefined : this.cursors.decodeTimeId(scope, q.cursor);
    const refs = await this.repo.membersPage(appId, group.id, after, limit + 1);
    // The rows of the page's customers, in the page's order (one deleted in between is simply left out).
    const rows = new Map(
      (
        await this.customers.getMany(
          appId,
          refs.map((r) => r.customer_id),
        )
      ).map((c) => [c.id, c]),
    );
    const page = keysetPage(
      refs,
      limit,
      (r) => rows.get(r.customer_id),
      (last) => this.cursors.encodeTimeId(scope, last.added_at, last.customer_id),
    );
    return { data: page.data.filter((c) => c !== undefined).map(toCustomerResponse), nextCursor: page.nextCursor };
  }

  /** G3: add chosen customers (unknown or other apps' ids are `notFound`) or every match of a filter. */
  async addMembers(identity: Identity, id: string, dto: AddMembersDto): Promise<AddMembersResultDto> {
    const appId = identity.appId;
    if (!isUuid(id)) throw new GroupNotFoundError();
    const selection = (await this.selection(appId, dto, true))!;
    const { groupMemberLimit: limit } = await this.settings.get(appId);
    return this.retrying(() =>
      this.db.transaction(async (tx) => {
        const at = new Date();
        if ('ids' in selection) {
          // Customers first, then the group (the order a customer's deletion takes them in, reversed never).
          const found = await this.customers.holdExisting(tx, appId, selection.ids);
          const group = await this.repo.lock(tx, appId, id);
          if (!group) throw new GroupNotFoundError();
          const already = new Set(await this.repo.membersAmong(tx, appId, group.id, found));
          const fresh = found.filter((c) => !already.has(c));
          if (group.member_count + fresh.length > limit)
            throw GroupMemberLimitExceededError.adding(limit, group.member_count, fresh.length, 'customerIds');
          const added = await this.repo.insertMembers(tx, appId, group.id, fresh, at);
          const memberCount = added ? await this.repo.addToCount(tx, appId, group.id, added, at) : group.member_count;
          if (added) tx.record(new GroupMembersAddedEvent(appId, group.id, added, memberCount, fresh, null));
          return { added, alreadyMembers: already.size, notFound: missing(selection.ids, found), memberCount };
        }
        const seen = await this.repo.get(appId, id, tx);
        if (!seen) throw new GroupNotFoundError();
        await this.repo.countNew(tx, appId, seen.id, selection.matches, limit + 1, true);
        const group = await this.repo.lock(tx, appId, id);
        if (!group) throw new GroupNotFoundError();
        const room = Math.max(0, limit - group.member_count);
        const matched = await this.repo.countNew(tx, appId, group.id, selection.matches, room + 1);
        if (matched > room)
          throw GroupMemberLimitExceededError.matching(limit, group.member_count, matched, matched === room + 1, 'filter');
        const alreadyMembers = await this.repo.countMembersAmong(tx, appId, group.id, selection.matches);
        const added = matched ? await this.repo.insertMatches(tx, appId, group.id, selection.matches, at) : 0;
        const memberCount = added ? await this.repo.addToCount(tx, appId, group.id, added, at) : group.member_count;
        if (added) tx.record(new GroupMembersAddedEvent(appId, group.id, added, memberCount, null, dto.filter));
        return { added, alreadyMembers, notFound: [], memberCount };
      }),
    );
  }

  /** G3: remove chosen members; ids that are not members are ignored. */
  async removeMembers(identity: Identity, id: string, customerIds: string[]): Promise<RemoveMembersResultDto> {
    const appId = identity.appId;
    if (!isUuid(id)) throw new GroupNotFoundError();
    const ids = [...new Set(customerIds.map((c) => c.toLowerCase()))];
    return this.retrying(() =>
      this.db.transaction(async (tx) => {
        const group = await this.repo.lock(tx, appId, id);
        if (!group) throw new GroupNotFoundError();
        const removed = await this.repo.removeMembers(tx, appId, group.id, ids);
        const memberCount = removed.length
          ? await this.repo.addToCount(tx, appId, group.id, -removed.length, new Date())
          : group.member_count;
        if (removed.length) tx.record(new GroupMembersRemovedEvent(appId, group.id, removed, memberCount));
        return { removed: removed.length, memberCount };
      }),
    );
  }

  /** Exactly one of `customerIds` / `filter` (optional on create); the filter validated once, here. */
  private async selection(
    appId: string,
    dto: { customerIds?: string[]; filter?: CustomerFilterDto },
    required: boolean,
  ): Promise<Selection | undefined> {
    if (dto.customerIds && dto.filter)
      throw new ValidationFailedError('Give customerIds or a filter, not both', [
        { field: 'filter', code: 'not_with_customer_ids', message: 'filter cannot be given with customerIds' },
      ]);
    if (dto.customerIds) return { ids: [...new Set(dto.customerIds.map((c) => c.toLowerCase()))] };
    if (dto.filter) {
      const validated: ValidatedFilter = await this.query.validate(appId, dto.filter);
      return { matches: this.query.idsQuery(appId, validated) };
    }
    if (required)
      throw new ValidationFailedError('Give customerIds or a filter', [
        { field: 'customerIds', code: 'required', message: 'customerIds or filter is required' },
      ]);
    return undefined;
  }

  private retrying<T>(run: () => Promise<T>): Promise<T> {
    return retrying(run, { attempts: MAX_ATTEMPTS, retryOn: isTransient });
  }
}

/** A deadlock, a serialisation failure, or a member customer deleted between the lock and the insert. */
function isTransient(err: unknown): boolean {
  return isRetryableConflict(err) || isForeignKeyViolation(err);
}

const missing = (wanted: string[], found: string[]): string[] => {
  const have = new Set(found);
  return wanted.filter((w) => !have.has(w));
};
