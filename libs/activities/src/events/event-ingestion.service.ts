import { Injectable } from '@nestjs/common';
import { CustomerIntake, CustomersService, type CustomerIssue, type NewCustomer, type RawCustomer } from '@cdp/customers';
import { Db, newId, type FieldIssue, type Tx } from '@cdp/platform';
import { BatchTooLargeError } from '../activities.errors';
import { ActivityTypesService } from '../activity-types/activity-types.service';
import { ActivityWriter, type ActivityToWrite } from './activity-writer';
import { customerCreatedKey } from './customer-created.handler';
import { MAX_EVENTS_PER_BATCH, type IngestResultDto, type RejectedEventDto } from './event.dto';
import { validateEvent, type ValidEvent } from './event-validation';

export type RejectionCode =
  | 'validation_failed'
  | 'unknown_activity_type'
  | 'customer_not_found'
  | 'invalid_identifier'
  | 'source_requires_whatsapp'
  | 'identity_suppressed';

interface Candidate {
  index: number;
  event: ValidEvent;
  /** Resolved customer id (by id, or by channel + identifier). */
  customerId?: string;
  /** channel + canonical identifier, for events that name the customer that way. */
  key?: string;
  /** What to create when the key names no customer yet (checked by the one door for new customers). */
  newCustomer?: NewCustomer;
}

const customerKey = (channelId: string, identifier: string) => `${channelId}\n${identifier}`;
const describe = (issues: FieldIssue[]) =>
  issues
    .slice(0, 3)
    .map((i) => `${i.field}: ${i.message}`)
    .join('; ');

/**
 * `POST /v1/events` (FEATURES.md A2): each event checked on its own, the good ones stored in one
 * transaction in a few statements (on the embedded database: in parts of 100 events, one short transaction
 * each, so that other requests are not held; see `Db.inParts`), the bad ones listed with their index and code. Customers named by
 * channel + identifier that do not exist are created (source `organic` unless the event says otherwise),
 * with their `customer.created` activity in the same transaction.
 */
@Injectable()
export class EventIngestionService {
  constructor(
    private readonly db: Db,
    private readonly types: ActivityTypesService,
    private readonly customers: CustomersService,
    private readonly intake: CustomerIntake,
    private readonly writer: ActivityWriter,
  ) {}

  async ingest(appId: string, events: unknown[]): Promise<IngestResultDto> {
    if (events.length > MAX_EVENTS_PER_BATCH) throw new BatchTooLargeError(MAX_EVENTS_PER_BATCH, events.length);
    const rejected: RejectedEventDto[] = [];
    const reject = (c: { index: number }, code: RejectionCode, message: string) => {
      rejected.push({ index: c.index, code, message });
      return false;
    };

    const now = Date.now();
    let candidates: Candidate[] = [];
    (await Promise.all(events.map((e) => validateEvent(e, now)))).forEach((check, index) => {
      if (check.event) candidates.push({ index, event: check.event });
      else reject({ index }, 'validation_failed', check.message);
    });

    const known = await this.types.known(
      appId,
      candidates.map((c) => c.event.type),
    );
    candidates = candidates.filter(
      (c) => known.has(c.event.type) || reject(c, 'unknown_activity_type', `"${c.event.type}" is not an activity type of this app`),
    );
    candidates = await this.resolveChannelCustomers(appId, candidates, reject);

    const parts = await this.db.inParts(candidates, (tx, part) => this.store(tx, appId, part, reject));
    const result = parts.reduce((a, b) => ({ accepted: a.accepted + b.accepted, duplicates: a.duplicates + b.duplicates }), {
      accepted: 0,
      duplicates: 0,
    });
    rejected.sort((a, b) => a.index - b.index);
    return { ...result, rejected };
  }

  /** Stores `candidates` in `tx`: the customers they name (found or created), then their activities. */
  private async store(
    tx: Tx,
    appId: string,
    candidates: Candidate[],
    reject: (c: Candidate, code: RejectionCode, message: string) => boolean,
  ): Promise<{ accepted: number; duplicates: number }> {
    const ids = [...new Set(candidates.filter((c) => c.event.customerId).map((c) => c.event.customerId!))];
    const existingIds = new Set(await this.customers.holdExisting(tx, appId, ids));
    candidates = candidates.filter(
      (c) =>
        !c.event.customerId ||
        existingIds.has(c.event.customerId) ||
        reject(c, 'customer_not_found', 'customerId is not a customer of this app'),
    );
    for (const c of candidates) if (c.event.customerId) c.customerId = c.event.customerId;

    // Customers named by channel + identifier: found, else created once however many events name them.
    const byKey = candidates.filter((c) => c.key);
    const pairs = new Map<string, NewCustomer>();
    for (const c of byKey) if (!pairs.has(c.key!)) pairs.set(c.key!, c.newCustomer!);
    const found = await this.customers.holdByIdentifiers(tx, appId, [...pairs.values()]);
    const toCreate = [...pairs.entries()].filter(([k]) => !found.has(k)).map(([, input]) => input);
    const { created, existing, suppressed } = await this.customers.createMany(tx, appId, toCreate);
    for (const c of created) found.set(customerKey(c.channel_id, c.identifier), c.id);
    for (const e of existing) if (e.id) found.set(customerKey(e.channelId, e.identifier), e.id);
    const refused = new Set(suppressed.map((s) => customerKey(s.channelId, s.identifier)));
    candidates = candidates.filter((c) => {
      if (!c.key) return true;
      if (refused.has(c.key))
        return reject(c, 'identity_suppressed', 'the customer was erased and is suppressed; it cannot be created again');
      c.customerId = found.get(c.key);
      return !!c.customerId || reject(c, 'customer_not_found', 'the customer could not be found or created');
    });

    const rows: ActivityToWrite[] = created.map((c) => ({
      id: newId(),
      customerId: c.id,
      type: 'customer.created',
      occurredAt: new Date(c.created_at),
      data: { source: c.source, via: 'event' },
      idempotencyKey: customerCreatedKey(c.id),
    }));
    const eventRows: ActivityToWrite[] = candidates.map((c) => ({
      id: newId(),
      customerId: c.customerId!,
      type: c.event.type,
      occurredAt: c.event.occurredAt,
      data: c.event.data,
      idempotencyKey: c.event.idempotencyKey ?? null,
      conversation: c.event.conversation,
    }));
    const inserted = await this.writer.write(tx, appId, [...rows, ...eventRows]);
    const eventIds = new Set(eventRows.map((r) => r.id));
    const accepted = inserted.filter((a) => eventIds.has(a.id)).length;
    return { accepted, duplicates: eventRows.length - accepted };
  }

  /**
   * For events that name the customer by channel + identifier: the customer they would create goes through
   * the one door for new customers, whether or not it exists yet (so an event is accepted or refused the same
   * way on every retry): the channel must be the app's, the identifier valid for its type, the source allowed
   * by the type, the customer fields valid. A refusal is reported in the event's own terms.
   */
  private async resolveChannelCustomers(
    appId: string,
    candidates: Candidate[],
    reject: (c: Candidate, code: RejectionCode, message: string) => boolean,
  ): Promise<Candidate[]> {
    const byChannel = candidates.filter((c) => c.event.channelId);
    if (!byChannel.length) return candidates;
    const raws = new Map<Candidate, RawCustomer>(
      byChannel.map((c) => {
        const fields = c.event.customer ?? {};
        return [c, { ...fields, channelId: c.event.channelId, identifier: c.event.identifier, source: fields.source ?? 'organic' }];
      }),
    );
    const ctx = await this.intake.prepare(appId, [...raws.values()]);
    return candidates.filter((c) => {
      const raw = raws.get(c);
      if (!raw) return true;
      const check = this.intake.check(ctx, raw, { nameFallback: 'identifier' });
      if (!check.customer) return refuse(c, check.issues, raw, reject);
      c.key = customerKey(check.customer.channelId, check.customer.identifier);
      c.newCustomer = check.customer;
      return true;
    });
  }
}

/** A refused customer as an event's rejection says it: the channel, then the identifier, then the source, then the fields. */
function refuse(
  c: Candidate,
  issues: CustomerIssue[],
  raw: RawCustomer,
  reject: (c: Candidate, code: RejectionCode, message: string) => boolean,
): false {
  const of = (part: CustomerIssue['part']) => issues.filter((i) => i.part === part);
  if (of('channelId').length) return reject(c, 'validation_failed', "channelId is not one of the app's channels") as false;
  if (of('identifier').length)
    return reject(c, 'invalid_identifier', describe(of('identifier')) || 'identifier is not valid for this channel') as false;
  if (of('source').length)
    return reject(
      c,
      'source_requires_whatsapp',
      `customer.source "${raw.source}" is not allowed on this channel (ads and broadcast: WhatsApp only)`,
    ) as false;
  return reject(c, 'validation_failed', describe(issues.map((i) => ({ ...i, field: `customer.${i.field}` })))) as false;
}
