import { Injectable } from '@nestjs/common';
import { CUSTOMER_COLUMNS, CUSTOMER_FROM, type CustomerRow } from '@cdp/customers';
import { Db, sql, Sql } from '@cdp/platform';
import type { DuplicateReason } from '../dto/duplicate.dto';

/** Where to look for another customer with the same contact point. */
export interface DuplicateProbe {
  customerId: string;
  channelId: string;
  /** E.164 numbers the customer is known by (its phone, its identifier when that is a phone). */
  phones: string[];
  /** Lower-cased e-mail addresses it is known by. */
  emails: string[];
  /** The same contact points as other channels of the app would write them as identifiers. */
  identifiers: { channel_id: string; identifier: string; reason: DuplicateReason }[];
  name: string;
}

export interface DuplicateCandidateRow extends CustomerRow {
  reasons: DuplicateReason[];
  name_similarity: number | null;
}

/** How many similar names are considered before scoring (the trigram probe's own bound). */
const NAME_CANDIDATES = 50;

const list = (values: string[]): Sql =>
  Sql.join(
    values.map((v) => sql`${v}`),
    ', ',
  );

/**
 * Duplicate suggestions (X4), every branch index-served: phone by `(app_id, phone_number)`, e-mail by
 * `(app_id, lower(email))`, identifiers by the unique `(app_id, channel_id, identifier)`, names by the trigram
 * GIN on `name` (pg_trgm `%`, default similarity threshold 0.3), each bounded.
 */
@Injectable()
export class DuplicatesRepository {
  constructor(private readonly db: Db) {}

  async candidates(appId: string, p: DuplicateProbe): Promise<DuplicateCandidateRow[]> {
    const branches: Sql[] = [];
    if (p.phones.length)
      branches.push(sql`select c.id, 'same_phone' as reason, null::real as sim from customers c
        where c.app_id = ${appId} and c.phone_number is not null and c.phone_number in (${list(p.phones)})`);
    if (p.emails.length)
      branches.push(sql`select c.id, 'same_email' as reason, null::real as sim from customers c
        where c.app_id = ${appId} and c.email is not null and lower(c.email) in (${list(p.emails)})`);
    if (p.identifiers.length)
      branches.push(sql`select c.id, w.reason as reason, null::real as sim
        from jsonb_to_recordset(${JSON.stringify(p.identifiers)}::jsonb) as w(channel_id uuid, identifier text, reason text)
        join customers c on c.app_id = ${appId} and c.channel_id = w.channel_id and c.identifier = w.identifier`);
    if (p.name.trim())
      branches.push(sql`(select c.id, 'similar_name' as reason, similarity(c.name, ${p.name}) as sim from customers c
        where c.app_id = ${appId} and c.name % ${p.name} and c.id <> ${p.customerId}::uuid and c.channel_id <> ${p.channelId}::uuid
          and c.profile_id is null
        order by similarity(c.name, ${p.name}) desc limit ${NAME_CANDIDATES})`);
    if (!branches.length) return [];
    return this.db.query<DuplicateCandidateRow>(sql`
      with cand as (${Sql.join(branches, ' union all ')}),
      agg as (select id, array_agg(distinct reason) as reasons, max(sim) as name_similarity from cand group by id)
      select ${CUSTOMER_COLUMNS}, agg.reasons, agg.name_similarity
      from agg join (${CUSTOMER_FROM}) on c.app_id = ${appId} and c.id = agg.id
      where c.id <> ${p.customerId}::uuid and c.channel_id <> ${p.channelId}::uuid and c.profile_id is null
        and not exists (select 1 from duplicate_dismissals d where d.app_id = ${appId} and d.customer_id = ${p.customerId}::uuid and d.other_id = c.id)`);
  }

  /** Remembers that two customers are not the same person, in both directions. */
  async dismiss(appId: string, customerId: string, otherId: string): Promise<void> {
    const rows = [
      { customer_id: customerId, other_id: otherId },
      { customer_id: otherId, other_id: customerId },
    ];
    await this.db.run(sql`
      insert into duplicate_dismissals (app_id, customer_id, other_id, created_at)
      select ${appId}, x.customer_id, x.other_id, now() from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(customer_id uuid, other_id uuid)
      on conflict do nothing`);
  }
}
