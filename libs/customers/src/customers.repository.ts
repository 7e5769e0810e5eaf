import { Injectable } from '@nestjs/common';
import { Db, isUuid, sql, Sql, type Tx } from '@cdp/platform';
import { CUSTOMER_COLUMNS, CUSTOMER_FROM, type CustomerRow } from './dto/customer.dto';

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

/** A text[] parameter: the query builder would spread a JS array into a list, so it travels as JSON. */
const textArray = (values: readonly string[]): Sql => sql`array(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;

const uuidList = (ids: readonly string[]): Sql =>
  Sql.join(
    ids.map((id) => sql`${id}::uuid`),
    ', ',
  );

/** The only SQL over `customers` and `customer_activity` outside the filter compiler. Scoped by app. */
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
      sql`select ${CUSTOMER_COLUMNS} from ${CUSTOMER_FROM} where c.app_id = ${appId} and c.id in (${uuidList(wanted)})`,
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
      update customers set name = ${p.name}, email = ${p.email}, phone_number = ${p.phone_number}, tags = ${textArray(p.tags)},
        search_text = ${p.search_text}, updated_at = ${p.updated_at}
      where app_id = ${appId} and id = ${id}::uuid`);
  }

  /** Sets some property values and removes others, keeping the rest. */
  async mergeProperties(tx: Tx, appId: string, id: string, set: Record<string, unknown>, remove: string[], at: Date): Promise<void> {
    await tx.run(sql`
      update customers set properties = (properties || ${JSON.stringify(set)}::jsonb) - ${textArray(remove)}, updated_at = ${at}
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
}
