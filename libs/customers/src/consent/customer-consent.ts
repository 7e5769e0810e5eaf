import { Inject, Injectable } from '@nestjs/common';
import { CURSOR_CODEC, CursorCodec, Db, DEFAULT_PAGE_SIZE, isUuid, newId, sql, Sql, sqlArray, type Page, type Tx } from '@cdp/platform';
import { CustomerNotFoundError } from '../customers.errors';
import { CustomerConsentChangedEvent } from '../customers.events';
import type { ConsentChangeDto } from './consent.dto';
import type { ConsentActor, ConsentChange, ConsentSource, ConsentStatus } from './consent.types';

interface CurrentConsent {
  id: string;
  consent_status: ConsentStatus;
  consent_updated_at: Date | string | null;
}

interface ChangeRow {
  id: string;
  status: ConsentStatus;
  source: ConsentSource;
  note: string | null;
  actor: ConsentActor | null;
  at: Date | string;
  applied: boolean;
}

/**
 * Consent per channel customer (FEATURES.md X9, API.md "Consent"): the only writer of the consent columns and of
 * their history. Every change is kept; the newest time wins, so an event that arrives late (older than the
 * current status) is kept in the history without changing the status. A change of status records a
 * `customer.consent_changed` event in the caller's transaction.
 */
@Injectable()
export class CustomerConsent {
  constructor(
    private readonly db: Db,
    @Inject(CURSOR_CODEC) private readonly cursors: CursorCodec,
  ) {}

  /**
   * Applies a batch of changes in the caller's transaction, in a few statements whatever its size: the
   * customers are locked (in id order), each change is kept, and per customer the newest change (the last
   * one given on a tie) becomes the status unless the current status is newer. Unknown ids are ignored.
   */
  async apply(tx: Tx, appId: string, changes: readonly ConsentChange[]): Promise<void> {
    const given = changes.filter((c) => isUuid(c.customerId)).map((c) => ({ ...c, customerId: c.customerId.toLowerCase() }));
    if (!given.length) return;
    const ids = [...new Set(given.map((c) => c.customerId))].sort();
    const current = new Map(
      (
        await tx.query<CurrentConsent>(sql`
          select id, consent_status, consent_updated_at from customers
          where app_id = ${appId} and id = any(${sqlArray(ids, 'uuid')}) order by id for no key update`)
      ).map((r) => [r.id, r]),
    );
    const newest = new Map<string, ConsentChange>();
    for (const c of given) {
      const best = newest.get(c.customerId);
      if (!best || c.at.getTime() >= best.at.getTime()) newest.set(c.customerId, c);
    }
    const winners = new Set<ConsentChange>();
    for (const [id, c] of newest) {
      const cur = current.get(id);
      if (!cur) continue;
      if (cur.consent_updated_at === null || c.at.getTime() >= new Date(cur.consent_updated_at).getTime()) winners.add(c);
    }
    const recordedAt = new Date().toISOString();
    const rows = given
      .filter((c) => current.has(c.customerId))
      .map((c) => ({
        id: newId(),
        customer_id: c.customerId,
        status: c.status,
        source: c.source,
        note: c.note ?? null,
        actor: c.actor ?? null,
        at: c.at.toISOString(),
        applied: winners.has(c),
      }));
    if (!rows.length) return;
    await tx.run(sql`
      insert into customer_consent_changes (app_id, id, customer_id, status, source, note, actor, at, applied, recorded_at)
      select ${appId}, x.id, x.customer_id, x.status, x.source, x.note, x.actor, x.at, x.applied, ${recordedAt}::timestamptz
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(id uuid, customer_id uuid, status text, source text, note text, actor jsonb, at timestamptz(3), applied boolean)`);
    if (!winners.size) return;
    const updates = [...winners].map((c) => ({ id: c.customerId, status: c.status, source: c.source, at: c.at.toISOString() }));
    await tx.run(sql`
      update customers c set consent_status = x.status, consent_source = x.source, consent_updated_at = x.at
      from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as x(id uuid, status text, source text, at timestamptz(3))
      where c.app_id = ${appId} and c.id = x.id`);
    for (const c of winners) {
      const previous = current.get(c.customerId)!.consent_status;
      if (previous !== c.status)
        tx.record(new CustomerConsentChangedEvent(appId, c.customerId, c.status, previous, c.source, c.at.toISOString()));
    }
  }

  /** `GET /v1/customers/:id/consent-history`: newest first, a page keyed by `(at, id)`. */
  async history(appId: string, customerId: string, opts: { limit?: number; cursor?: string }): Promise<Page<ConsentChangeDto>> {
    if (!isUuid(customerId)) throw new CustomerNotFoundError();
    const found = await this.db.one<{ found: boolean }>(
      sql`select exists(select 1 from customers where app_id = ${appId} and id = ${customerId}::uuid) as found`,
    );
    if (!found?.found) throw new CustomerNotFoundError();
    const limit = opts.limit ?? DEFAULT_PAGE_SIZE;
    const scope = { appId, list: `consent:${customerId.toLowerCase()}` };
    let after = Sql.raw('');
    if (opts.cursor) {
      const { at, id } = this.cursors.decodeTimeId(scope, opts.cursor);
      after = sql` and (at, id) < (${at}::timestamptz, ${id}::uuid)`;
    }
    const rows = await this.db.query<ChangeRow>(sql`
      select id, status, source, note, actor, at, applied from customer_consent_changes
      where app_id = ${appId} and customer_id = ${customerId}::uuid${after}
      order by at desc, id desc limit ${limit + 1}`);
    return this.cursors.timeIdPage(scope, rows, limit, (r) => [r.at, r.id], toChangeDto);
  }

  /** Every change of these customers, oldest first (the data export of a person). */
  async allOf(appId: string, customerIds: readonly string[], tx?: Tx): Promise<(ConsentChangeDto & { customerId: string })[]> {
    const ids = customerIds.filter(isUuid);
    if (!ids.length) return [];
    const rows = await (tx ?? this.db).query<ChangeRow & { customer_id: string }>(sql`
      select id, customer_id, status, source, note, actor, at, applied from customer_consent_changes
      where app_id = ${appId} and customer_id = any(${sqlArray(ids, 'uuid')})
      order by at, id`);
    return rows.map((r) => ({ customerId: r.customer_id, ...toChangeDto(r) }));
  }
}

function toChangeDto(r: ChangeRow): ConsentChangeDto {
  return { status: r.status, source: r.source, note: r.note, actor: r.actor, at: new Date(r.at).toISOString(), applied: r.applied };
}
