import { Injectable } from '@nestjs/common';
import { Db, isUuid, sql, Sql, sqlArray, type Tx } from '@cdp/platform';
import { CUSTOMER_COLUMNS, CUSTOMER_FROM } from './customer-sql';
import type { CustomerRow } from './dto/customer.dto';

/** A customer row to insert (search text computed by the service). */
export interface NewCustomerRow {
  id: string;
  channel_id: string;
  identifier: string;
  name: string;
  email: string | null;
  phone_number: string | null;
  source: CustomerRow['source'];
  platform: CustomerRow['platform'];
  tags: string[];
  properties: Record<string, unknown>;
  search_text: string;
  created_at: string;
}

export interface CustomerContactPatch {
  name: string;
  email: string | null;
  phone_number: string | null;
  tags: string[];
  search_text: string;
  updated_at: Date;
}

/** Where to look for other customers with the same contact points (duplicate suggestions, X4). */
export interface DuplicateProbe {
  customerId: string;
  channelId: string;
  /** E.164 numbers the customer is known by (its phone, its identifier when that is a phone). */
  phones: string[];
  /** Lower-cased e-mail addresses it is known by. */
  emails: string[];
  /** The same contact points as other channels of the app would write them as identifiers. */
  identifiers: { channel_id: string; identifier: string; reason: 'same_phone' | 'same_email' }[];
  name: string;
  /** Customers never to suggest (e.g. the pairs a user dismissed). */
  exclude: string[];
}

export interface DuplicateCandidateRow extends CustomerRow {
  reasons: ('same_phone' | 'same_email' | 'similar_name')[];
  name_similarity: number | null;
}

/** One broadcast recipient: a customer, its channel and its identifier there. */
export interface RecipientRow {
  customerId: string;
  channelId: string;
  identifier: string;
}

/** How many similar names are considered before scoring (the trigram probe's own bound). */
const NAME_CANDIDATES = 50;

/**
 * SQL over `customers` and `customer_activity` (besides the filter's and the import/export's own
 * repositories, all in this lib: no other lib names these tables). Everything is scoped by app.
 */
@Injectable()
export class CustomersRepository {
  constructor(private readonly db: Db) {}

  async getRow(appId: string, id: string, tx?: Tx): Promise<CustomerRow | undefined> {
    if (!isUuid(id)) return undefined;
    return (tx ?? this.db).one<CustomerRow>(
      sql`select ${CUSTOMER_COLUMNS} from ${CUSTOMER_FROM} where c.app_id = ${appId} and c.id = ${id}::uuid`,
    );
  }

  /** Locks the customer row (not its channel) until `tx` ends. */
  lockRow(tx: Tx, appId: string, id: string): Promise<CustomerRow | undefined> {
    return tx.one<CustomerRow>(
      sql`select ${CUSTOMER_COLUMNS} from ${CUSTOMER_FROM} where c.app_id = ${appId} and c.id = ${id}::uuid for update of c`,
    );
  }

  async getMany(appId: string, ids: readonly string[], tx?: Tx): Promise<CustomerRow[]> {
    const wanted = [...new Set(ids.filter(isUuid))];
    if (!wanted.length) return [];
    return (tx ?? this.db).query<CustomerRow>(
      sql`select ${CUSTOMER_COLUMNS} from ${CUSTOMER_FROM} where c.app_id = ${appId} and c.id = any(${sqlArray(wanted, 'uuid')})`,
    );
  }

  async findByIdentifiers(appId: string, pairs: readonly { channelId: string; identifier: string }[], tx?: Tx): Promise<CustomerRow[]> {
    const wanted = pairs.filter((p) => isUuid(p.channelId)).map((p) => ({ channel_id: p.channelId, identifier: p.identifier }));
    if (!wanted.length) return [];
    return (tx ?? this.db).query<CustomerRow>(sql`
      select ${CUSTOMER_COLUMNS} from ${CUSTOMER_FROM}
      join (select distinct * from jsonb_to_recordset(${JSON.stringify(wanted)}::jsonb) as w(channel_id uuid, identifier text)) w
        on w.channel_id = c.channel_id and w.identifier = c.identifier
      where c.app_id = ${appId}`);
  }

  /**
   * One statement: inserts the rows that are new (an existing `(channel, identifier)`, or a repeat within the
   * batch, is skipped), gives each new customer its `customer_activity` row at its creation time, and answers
   * the created rows.
   */
  insertMany(tx: Tx, appId: string, rows: NewCustomerRow[]): Promise<CustomerRow[]> {
    if (!rows.length) return Promise.resolve([]);
    return tx.query<CustomerRow>(sql`
      with x as (
        select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(
          id uuid, channel_id uuid, identifier text, name text, email text, phone_number text, source text, platform text,
          tags text[], properties jsonb, search_text text, created_at timestamptz(3))
      ), ins as (
        insert into customers (id, app_id, channel_id, identifier, name, email, phone_number, source, platform, properties, tags,
                               profile_id, main_channel, search_text, created_at, updated_at)
        select x.id, ${appId}, x.channel_id, x.identifier, x.name, x.email, x.phone_number, x.source, x.platform,
               coalesce(x.properties, '{}'::jsonb), coalesce(x.tags, '{}'::text[]), null, false, x.search_text, x.created_at, x.created_at
        from x
        on conflict (app_id, channel_id, identifier) do nothing
        returning *
      ), act as (
        insert into customer_activity (app_id, customer_id, last_activity_at)
        select app_id, id, created_at from ins
        returning app_id, customer_id, last_activity_at
      )
      select ${CUSTOMER_COLUMNS}
      from ins c
      join channels ch on ch.app_id = c.app_id and ch.id = c.channel_id
      left join act ca on ca.app_id = c.app_id and ca.customer_id = c.id`);
  }

  async updateContact(tx: Tx, appId: string, id: string, p: CustomerContactPatch): Promise<void> {
    await tx.run(sql`
      update customers set name = ${p.name}, email = ${p.email}, phone_number = ${p.phone_number}, tags = ${sqlArray(p.tags, 'text')},
        search_text = ${p.search_text}, updated_at = ${p.updated_at}
      where app_id = ${appId} and id = ${id}::uuid`);
  }

  /** Sets some property values and removes others, keeping the rest. */
  async mergeProperties(tx: Tx, appId: string, id: string, set: Record<string, unknown>, remove: string[], at: Date): Promise<void> {
    await tx.run(sql`
      update customers set properties = (properties || ${JSON.stringify(set)}::jsonb) - ${sqlArray(remove, 'text')}, updated_at = ${at}
      where app_id = ${appId} and id = ${id}::uuid`);
  }

  async delete(tx: Tx, appId: string, id: string): Promise<boolean> {
    return (await tx.run(sql`delete from customers where app_id = ${appId} and id = ${id}::uuid`)) > 0;
  }

  /** The other members of a linked set: main channel first, then oldest. */
  linkedTo(appId: string, profileId: string, exceptId: string): Promise<CustomerRow[]> {
    return this.db.query<CustomerRow>(sql`
      select ${CUSTOMER_COLUMNS} from ${CUSTOMER_FROM}
      where c.app_id = ${appId} and c.profile_id = ${profileId}::uuid and c.id <> ${exceptId}::uuid
      order by c.main_channel desc, c.created_at, c.id`);
  }

  /** The app's tags with how many customers carry each, most used first (byte order breaks ties on both backends). */
  tagCounts(appId: string, limit: number): Promise<{ tag: string; count: number }[]> {
    return this.db.query<{ tag: string; count: number }>(sql`
      select t.tag, count(*)::int as count
      from customers c cross join lateral unnest(c.tags) as t(tag)
      where c.app_id = ${appId}
      group by t.tag
      order by count desc, t.tag collate "C"
      limit ${limit}`);
  }

  async channelHasCustomers(appId: string, channelId: string): Promise<boolean> {
    if (!isUuid(channelId)) return false;
    const row = await this.db.one<{ used: boolean }>(
      sql`select exists(select 1 from customers where app_id = ${appId} and channel_id = ${channelId}::uuid) as used`,
    );
    return !!row?.used;
  }

  /** Whether the app has this customer. */
  async exists(appId: string, id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const row = await this.db.one<{ found: boolean }>(
      sql`select exists(select 1 from customers where app_id = ${appId} and id = ${id}::uuid) as found`,
    );
    return !!row?.found;
  }

  /**
   * The app's customers among `ids`, key-share locked until `tx` ends: other writers of the rows pass, a
   * deletion waits. Taken in id order, so two transactions over overlapping customers cannot deadlock.
   */
  async holdExisting(tx: Tx, appId: string, ids: readonly string[]): Promise<string[]> {
    const wanted = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))].sort();
    if (!wanted.length) return [];
    const rows = await tx.query<{ id: string }>(sql`
      select id from customers where app_id = ${appId} and id = any(${sqlArray(wanted, 'uuid')})
      order by id for key share`);
    return rows.map((r) => r.id);
  }

  /** As `holdExisting`, for customers named by (channel, canonical identifier). */
  holdByIdentifiers(
    tx: Tx,
    appId: string,
    keys: readonly { channelId: string; identifier: string }[],
  ): Promise<{ id: string; channel_id: string; identifier: string }[]> {
    const wanted = keys.filter((k) => isUuid(k.channelId)).map((k) => ({ channel_id: k.channelId, identifier: k.identifier }));
    if (!wanted.length) return Promise.resolve([]);
    return tx.query<{ id: string; channel_id: string; identifier: string }>(sql`
      select c.id, c.channel_id, c.identifier from customers c
      join jsonb_to_recordset(${JSON.stringify(wanted)}::jsonb) as x(channel_id uuid, identifier text)
        on c.app_id = ${appId} and c.channel_id = x.channel_id and c.identifier = x.identifier
      order by c.id for key share of c`);
  }

  /**
   * Duplicate suggestions (X4): the unlinked customers of the app's other channels with the same phone, the same
   * e-mail (also where a channel holds it as the identifier), or a similar name; each branch index-served (phone
   * by `(app_id, phone_number)`, e-mail by `(app_id, lower(email))`, identifiers by the unique key, names by the
   * trigram GIN on `name`, pg_trgm's `%` at its default threshold) and bounded. Every branch names its columns,
   * so any of them may be the first (a customer without a phone has no phone branch).
   */
  duplicateCandidates(appId: string, p: DuplicateProbe): Promise<DuplicateCandidateRow[]> {
    const branches: Sql[] = [];
    if (p.phones.length)
      branches.push(sql`select c.id, 'same_phone' as reason, null::real as sim from customers c
        where c.app_id = ${appId} and c.phone_number is not null and c.phone_number = any(${sqlArray(p.phones, 'text')})`);
    if (p.emails.length)
      branches.push(sql`select c.id, 'same_email' as reason, null::real as sim from customers c
        where c.app_id = ${appId} and c.email is not null and lower(c.email) = any(${sqlArray(p.emails, 'text')})`);
    if (p.identifiers.length)
      branches.push(sql`select c.id, w.reason as reason, null::real as sim
        from jsonb_to_recordset(${JSON.stringify(p.identifiers)}::jsonb) as w(channel_id uuid, identifier text, reason text)
        join customers c on c.app_id = ${appId} and c.channel_id = w.channel_id and c.identifier = w.identifier`);
    if (p.name.trim())
      branches.push(sql`(select c.id, 'similar_name' as reason, similarity(c.name, ${p.name}) as sim from customers c
        where c.app_id = ${appId} and c.name % ${p.name} and c.id <> ${p.customerId}::uuid and c.channel_id <> ${p.channelId}::uuid
          and c.profile_id is null
        order by similarity(c.name, ${p.name}) desc limit ${NAME_CANDIDATES})`);
    if (!branches.length) return Promise.resolve([]);
    return this.db.query<DuplicateCandidateRow>(sql`
      with cand as (${Sql.join(branches, ' union all ')}),
      agg as (select id, array_agg(distinct reason) as reasons, max(sim) as name_similarity from cand group by id)
      select ${CUSTOMER_COLUMNS}, agg.reasons, agg.name_similarity
      from agg join (${CUSTOMER_FROM}) on c.app_id = ${appId} and c.id = agg.id
      where c.id <> ${p.customerId}::uuid and c.channel_id <> ${p.channelId}::uuid and c.profile_id is null
        and c.id <> all(${sqlArray(p.exclude, 'uuid')})`);
  }

  /**
   * One recipient per person among `members` (a statement that selects `customer_id`s of the app), customers
   * who opted out left out (X9): an unlinked customer is itself; a linked set is its main channel customer
   * when it has one (even when only another member is among `members`) — when the main one opted out, the
   * most recently active opted-in member of the set instead, else (none opted in) its most recently active
   * member among `members` that did not opt out; a set without a main channel is that member. A set left
   * with nobody is left out. `excludedOptedOut` counts the members that opted out.
   */
  async recipients(appId: string, members: Sql): Promise<{ recipients: RecipientRow[]; excludedOptedOut: number }> {
    const rows = await this.db.query<RecipientRow & { excluded: number }>(sql`
      with m as (
        select c.id, c.profile_id, c.channel_id, c.identifier, c.consent_status,
               coalesce(ca.last_activity_at, '-infinity'::timestamptz) as last_at
        from (${members}) s
        join customers c on c.app_id = ${appId} and c.id = s.customer_id
        left join customer_activity ca on ca.app_id = c.app_id and ca.customer_id = c.id
      ), sets as (
        select distinct profile_id from m where profile_id is not null
      ), best as (
        select distinct on (profile_id) profile_id, id, channel_id, identifier from m
        where profile_id is not null and consent_status <> 'opted_out'
        order by profile_id, last_at desc, id desc
      ), mains as (
        select c.profile_id, c.id, c.channel_id, c.identifier, c.consent_status from customers c
        where c.app_id = ${appId} and c.main_channel and c.profile_id in (select profile_id from sets)
      ), opted_in as (
        select distinct on (c.profile_id) c.profile_id, c.id, c.channel_id, c.identifier from customers c
        left join customer_activity ca on ca.app_id = c.app_id and ca.customer_id = c.id
        where c.app_id = ${appId} and c.consent_status = 'opted_in' and not c.main_channel
          and c.profile_id in (select profile_id from mains where consent_status = 'opted_out')
        order by c.profile_id, coalesce(ca.last_activity_at, '-infinity'::timestamptz) desc, c.id desc
      ), chosen as (
        select id as "customerId", channel_id as "channelId", identifier from m where profile_id is null and consent_status <> 'opted_out'
        union all
        select
          case when mn.consent_status <> 'opted_out' then mn.id else coalesce(oi.id, b.id) end,
          case when mn.consent_status <> 'opted_out' then mn.channel_id else coalesce(oi.channel_id, b.channel_id) end,
          case when mn.consent_status <> 'opted_out' then mn.identifier else coalesce(oi.identifier, b.identifier) end
        from sets s
        left join mains mn on mn.profile_id = s.profile_id
        left join opted_in oi on oi.profile_id = s.profile_id
        left join best b on b.profile_id = s.profile_id
      )
      select r."customerId", r."channelId", r.identifier, (select count(*)::int from m where consent_status = 'opted_out') as excluded
      from chosen r where r."customerId" is not null
      union all
      select null, null, null, (select count(*)::int from m where consent_status = 'opted_out')
      order by 1`);
    const excludedOptedOut = rows.length ? Number(rows[0].excluded) : 0;
    const recipients = rows
      .filter((r) => r.customerId !== null)
      .map(({ customerId, channelId, identifier }) => ({ customerId, channelId, identifier }));
    return { recipients, excludedOptedOut };
  }
}
