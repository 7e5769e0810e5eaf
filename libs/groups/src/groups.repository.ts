import { Injectable } from '@nestjs/common';
import { Db, escapeLike, isUuid, sql, Sql, sqlArray, type Tx } from '@cdp/platform';
import type { GroupRow } from './dto/group.dto';

const GROUP_COLUMNS = Sql.raw('id, name, description, member_count, created_at, updated_at');

/** A member of a group, as its page lists them (the customers lib gives the customer's row). */
export interface MemberRef {
  customer_id: string;
  added_at: Date | string;
}

/** The only SQL over `groups` and `group_members`; everything scoped by app. */
@Injectable()
export class GroupsRepository {
  constructor(private readonly db: Db) {}

  async insert(
    tx: Tx,
    appId: string,
    g: { id: string; name: string; description: string | null; searchName: string; at: Date },
  ): Promise<void> {
    await tx.run(sql`
      insert into groups (id, app_id, name, description, search_name, member_count, created_at, updated_at)
      values (${g.id}::uuid, ${appId}, ${g.name}, ${g.description}, ${g.searchName}, 0, ${g.at}, ${g.at})`);
  }

  get(appId: string, id: string, tx?: Tx): Promise<GroupRow | undefined> {
    if (!isUuid(id)) return Promise.resolve(undefined);
    return (tx ?? this.db).one<GroupRow>(sql`select ${GROUP_COLUMNS} from groups where app_id = ${appId} and id = ${id}::uuid`);
  }

  /** Locks the group row: every membership change of one group is serialised by it (G2 under concurrency). */
  lock(tx: Tx, appId: string, id: string): Promise<GroupRow | undefined> {
    if (!isUuid(id)) return Promise.resolve(undefined);
    return tx.one<GroupRow>(sql`select ${GROUP_COLUMNS} from groups where app_id = ${appId} and id = ${id}::uuid for update`);
  }

  /** Newest first; `search` is folded already and matched as a substring of the folded name. */
  list(appId: string, opts: { search?: string; after?: { at: Date; id: string }; limit: number }): Promise<GroupRow[]> {
    const search = opts.search ? sql` and search_name like ${'%' + escapeLike(opts.search) + '%'} escape '\\'` : Sql.raw('');
    const after = opts.after ? sql` and (created_at, id) < (${opts.after.at}::timestamptz, ${opts.after.id}::uuid)` : Sql.raw('');
    return this.db.query<GroupRow>(sql`
      select ${GROUP_COLUMNS} from groups where app_id = ${appId}${search}${after}
      order by created_at desc, id desc limit ${opts.limit}`);
  }

  update(
    tx: Tx,
    appId: string,
    id: string,
    p: { name: string; description: string | null; searchName: string; at: Date },
  ): Promise<GroupRow | undefined> {
    return tx.one<GroupRow>(sql`
      update groups set name = ${p.name}, description = ${p.description}, search_name = ${p.searchName}, updated_at = ${p.at}
      where app_id = ${appId} and id = ${id}::uuid returning ${GROUP_COLUMNS}`);
  }

  async count(appId: string): Promise<number> {
    const row = await this.db.one<{ n: number }>(sql`select count(*)::int as n from groups where app_id = ${appId}`);
    return Number(row?.n ?? 0);
  }

  async delete(tx: Tx, appId: string, id: string): Promise<boolean> {
    return (await tx.run(sql`delete from groups where app_id = ${appId} and id = ${id}::uuid`)) > 0;
  }

  async membersAmong(tx: Tx, appId: string, groupId: string, ids: readonly string[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows = await tx.query<{ customer_id: string }>(sql`
      select customer_id from group_members where app_id = ${appId} and group_id = ${groupId}::uuid and customer_id = any(${sqlArray(ids, 'uuid')})`);
    return rows.map((r) => r.customer_id);
  }

  async insertMembers(tx: Tx, appId: string, groupId: string, ids: readonly string[], at: Date): Promise<number> {
    if (!ids.length) return 0;
    return tx.run(sql`
      insert into group_members (app_id, group_id, customer_id, added_at)
      select ${appId}, ${groupId}::uuid, x.id, ${at} from unnest(${sqlArray(ids, 'uuid')}) as x(id)
      on conflict do nothing`);
  }

  /**
   * How many customers of `matches` (a `select c.id …` of the filter) are not members yet, counted only up to
   * `cap` (PERFORMANCE.md rule 4). With `lock`, those rows are key-share locked (see `lockCustomers`).
   */
  async countNew(tx: Tx, appId: string, groupId: string, matches: Sql, cap: number, lock = false): Promise<number> {
    const row = await tx.one<{ n: number }>(sql`
      select count(*)::int as n from (
        select s.id from (${matches}) s
        where not exists (select 1 from group_members m where m.app_id = ${appId} and m.group_id = ${groupId}::uuid and m.customer_id = s.id)
        limit ${cap}${lock ? Sql.raw(' for key share') : Sql.raw('')}
      ) x`);
    return row?.n ?? 0;
  }

  /** How many customers of `matches` are members already (at most the group's size). */
  async countMembersAmong(tx: Tx, appId: string, groupId: string, matches: Sql): Promise<number> {
    const row = await tx.one<{ n: number }>(sql`
      select count(*)::int as n from (${matches}) s
      join group_members m on m.app_id = ${appId} and m.group_id = ${groupId}::uuid and m.customer_id = s.id`);
    return row?.n ?? 0;
  }

  /** `INSERT … SELECT`: the filter's customers become members inside the database, never passing through Node. */
  insertMatches(tx: Tx, appId: string, groupId: string, matches: Sql, at: Date): Promise<number> {
    return tx.run(sql`
      insert into group_members (app_id, group_id, customer_id, added_at)
      select ${appId}, ${groupId}::uuid, s.id, ${at} from (${matches}) s
      on conflict do nothing`);
  }

  /** Answers the ids that were members (and are no longer). */
  async removeMembers(tx: Tx, appId: string, groupId: string, ids: readonly string[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows = await tx.query<{ customer_id: string }>(sql`
      delete from group_members where app_id = ${appId} and group_id = ${groupId}::uuid and customer_id = any(${sqlArray(ids, 'uuid')})
      returning customer_id`);
    return rows.map((r) => r.customer_id);
  }

  async addToCount(tx: Tx, appId: string, groupId: string, delta: number, at: Date): Promise<number> {
    const row = await tx.one<{ member_count: number }>(sql`
      update groups set member_count = member_count + ${delta}::int, updated_at = ${at}
      where app_id = ${appId} and id = ${groupId}::uuid returning member_count`);
    return Number(row?.member_count ?? 0);
  }

  /** Most recently added first (ties by customer id); the customers lib gives their rows. */
  membersPage(appId: string, groupId: string, after: { at: Date; id: string } | undefined, limit: number): Promise<MemberRef[]> {
    const cond = after ? sql` and (added_at, customer_id) < (${after.at}::timestamptz, ${after.id}::uuid)` : Sql.raw('');
    return this.db.query<MemberRef>(sql`
      select customer_id, added_at from group_members
      where app_id = ${appId} and group_id = ${groupId}::uuid${cond}
      order by added_at desc, customer_id desc limit ${limit}`);
  }

  /** The members of a group as a statement selecting `customer_id` (for the customers lib to read them in the database). */
  memberIds(appId: string, groupId: string): Sql {
    return sql`select customer_id from group_members where app_id = ${appId} and group_id = ${groupId}::uuid`;
  }

  /** The groups a customer is in, by name (at most `limit`). */
  groupsOf(appId: string, customerId: string, limit: number): Promise<{ id: string; name: string }[]> {
    if (!isUuid(customerId)) return Promise.resolve([]);
    return this.db.query(sql`
      select g.id, g.name from group_members m join groups g on g.app_id = m.app_id and g.id = m.group_id
      where m.app_id = ${appId} and m.customer_id = ${customerId}::uuid
      order by g.name, g.id limit ${limit}`);
  }

  /**
   * Inside a customer's deletion (its row locked): lock its groups, then remove its memberships and take them
   * off the counts, so `member_count` stays exact before the cascade would remove the rows silently.
   */
  async leaveAllGroups(tx: Tx, appId: string, customerId: string): Promise<void> {
    const groups = await tx.query<{ group_id: string }>(sql`
      select group_id from group_members where app_id = ${appId} and customer_id = ${customerId}::uuid order by group_id`);
    if (!groups.length) return;
    await tx.query(
      sql`select id from groups where app_id = ${appId} and id = any(${sqlArray(
        groups.map((g) => g.group_id),
        'uuid',
      )}) order by id for update`,
    );
    // A fresh statement after the locks: it sees every membership change committed before them.
    await tx.run(sql`
      with gone as (
        delete from group_members where app_id = ${appId} and customer_id = ${customerId}::uuid returning group_id
      )
      update groups g set member_count = g.member_count - 1
      from gone where g.app_id = ${appId} and g.id = gone.group_id`);
  }
}
