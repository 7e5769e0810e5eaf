import { Injectable } from '@nestjs/common';
import { CustomerIntake, CustomersService, type CustomerIssue, type NewCustomer, type RawCustomer } from '@cdp/customers';
import { Db, EMBEDDED_PART_SIZE, newId, type FieldIssue, type Tx } from '@cdp/platform';
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
  /** The request the event came in (its rejections and counts are its own). */
  batch: BatchOutcome;
  index: number;
  event: ValidEvent;
  /** Resolved customer id (by id, or by channel + identifier). */
  customerId?: string;
  /** channel + canonical identifier, for events that name the customer that way. */
  key?: string;
  /** What to create when the key names no customer yet (checked by the one door for new customers). */
  newCustomer?: NewCustomer;
}

/** What one request's events came to in a write: filled only once the write committed. */
interface BatchOutcome {
  accepted: number;
  duplicates: number;
  rejected: RejectedEventDto[];
}

/** The candidates of one request waiting for their app's next write. */
interface Waiting {
  candidates: Candidate[];
  done: (err?: unknown) => void;
}

type StoreReject = (c: Candidate, code: RejectionCode, message: string) => boolean;

const customerKey = (channelId: string, identifier: string) => `${channelId}\n${identifier}`;
const describe = (issues: FieldIssue[]) =>
  issues
    .slice(0, 3)
    .map((i) => `${i.field}: ${i.message}`)
    .join('; ');

/**
 * `POST /v1/events` (FEATURES.md A2): each event checked on its own, the good ones stored in one
 * transaction in a few statements, together with those of concurrent requests of the app (see `write`); on
 * the embedded database in parts of 100 events, one short transaction each, so that other requests are not
 * held (see `Db.inParts`). The bad ones are listed with their index and code. Customers named by
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

  /** Per app: the requests waiting for the next write, and whether a write is running. */
  private readonly waiting = new Map<string, Waiting[]>();
  private readonly writing = new Set<string>();

  async ingest(appId: string, events: unknown[]): Promise<IngestResultDto> {
    if (events.length > MAX_EVENTS_PER_BATCH) throw new BatchTooLargeError(MAX_EVENTS_PER_BATCH, events.length);
    const outcome: BatchOutcome = { accepted: 0, duplicates: 0, rejected: [] };
    const reject = (c: { index: number }, code: RejectionCode, message: string) => {
      outcome.rejected.push({ index: c.index, code, message });
      return false;
    };

    const now = Date.now();
    const candidates: Candidate[] = [];
    (await Promise.all(events.map((e) => validateEvent(e, now)))).forEach((check, index) => {
      if (check.event) candidates.push({ batch: outcome, index, event: check.event });
      else reject({ index }, 'validation_failed', check.message);
    });

    if (candidates.length) await this.write(appId, candidates);
    outcome.rejected.sort((a, b) => a.index - b.index);
    return { accepted: outcome.accepted, duplicates: outcome.duplicates, rejected: outcome.rejected };
  }

  /**
   * Checks and stores a request's valid events. Concurrent requests of one app are written together: while a write of
   * the app runs, the requests that arrive wait and go in the next one, up to `MAX_EVENTS_PER_BATCH` events (embedded: one part).
   * Every write of an app updates the same few rows (the read models' counts per type and time), so their
   * transactions would queue on those rows' locks one after the other anyway; one transaction for many
   * requests takes the locks, the round trips and the commit once (small batches, such as a Segment SDK's 15
   * messages, were a transaction each). A single request is written at once, as before.
   */
  private write(appId: string, candidates: Candidate[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const queue = this.waiting.get(appId) ?? [];
      queue.push({ candidates, done: (err) => (err === undefined ? resolve() : reject(err)) });
      this.waiting.set(appId, queue);
      if (!this.writing.has(appId)) void this.drain(appId);
    });
  }

  /** Writes what waits for the app, group after group, until nothing does. */
  private async drain(appId: string): Promise<void> {
    this.writing.add(appId);
    try {
      for (let queue = this.waiting.get(appId); queue?.length; queue = this.waiting.get(appId)) {
        // On the embedded database a group stays one part (one short transaction): larger writes go through
        // `Db.inParts`' lane, which lets every other request go first between parts.
        const limit = this.db.embedded ? EMBEDDED_PART_SIZE : MAX_EVENTS_PER_BATCH;
        const group: Waiting[] = [];
        let size = 0;
        while (queue.length && (!group.length || size + queue[0].candidates.length <= limit)) {
          const next = queue.shift()!;
          group.push(next);
          size += next.candidates.length;
        }
        if (!queue.length) this.waiting.delete(appId);
        await this.writeGroup(appId, group);
      }
    } finally {
      this.writing.delete(appId);
    }
  }

  private async writeGroup(appId: string, group: Waiting[]): Promise<void> {
    try {
      await this.commit(
        appId,
        group.flatMap((w) => w.candidates),
      );
    } catch (err) {
      if (group.length === 1) return group[0].done(err);
      // A failure must not reach the requests that only shared the transaction: each is written again on its
      // own (nothing of the failed transaction was kept, and idempotency keys make a repeat safe).
      for (const w of group) await this.writeGroup(appId, [w]);
      return;
    }
    for (const w of group) w.done();
  }

  /**
   * One write of `candidates` of one or more requests: their types and customers checked together (a few reads
   * for all of them), then stored (one transaction on PostgreSQL); each request's outcome counted once it committed.
   */
  private async commit(appId: string, candidates: Candidate[]): Promise<void> {
    const staged = new Map<BatchOutcome, BatchOutcome>();
    const stage = (c: Candidate) => {
      let s = staged.get(c.batch);
      if (!s) staged.set(c.batch, (s = { accepted: 0, duplicates: 0, rejected: [] }));
      return s;
    };
    const reject: StoreReject = (c, code, message) => {
      stage(c).rejected.push({ index: c.index, code, message });
      return false;
    };
    const known = await this.types.known(
      appId,
      candidates.map((c) => c.event.type),
    );
    candidates = candidates.filter(
      (c) => known.has(c.event.type) || reject(c, 'unknown_activity_type', `"${c.event.type}" is not an activity type of this app`),
    );
    candidates = await this.resolveChannelCustomers(appId, candidates, reject);
    if (candidates.length) await this.db.inParts(candidates, (tx, part) => this.store(tx, appId, part, reject, stage));
    for (const [batch, s] of staged) {
      batch.accepted += s.accepted;
      batch.duplicates += s.duplicates;
      batch.rejected.push(...s.rejected);
    }
  }

  /** Stores `candidates` in `tx`: the customers they name (found or created), then their activities. */
  private async store(
    tx: Tx,
    appId: string,
    candidates: Candidate[],
    reject: StoreReject,
    stage: (c: Candidate) => BatchOutcome,
  ): Promise<void> {
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
    // Their customer.created activities are written below, in this transaction.
    const { created, existing, suppressed } = await this.customers.createMany(tx, appId, toCreate, { activityWritten: true });
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
    const inserted = new Set((await this.writer.write(tx, appId, [...rows, ...eventRows])).map((a) => a.id));
    candidates.forEach((c, i) => {
      if (inserted.has(eventRows[i].id)) stage(c).accepted++;
      else stage(c).duplicates++;
    });
  }

  /**
   * For events that name the customer by channel + identifier: the customer they would create goes through
   * the one door for new customers, whether or not it exists yet (so an event is accepted or refused the same
   * way on every retry): the channel must be the app's, the identifier valid for its type, the source allowed
   * by the type, the customer fields valid. A refusal is reported in the event's own terms.
   */
  private async resolveChannelCustomers(appId: string, candidates: Candidate[], reject: StoreReject): Promise<Candidate[]> {
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
function refuse(c: Candidate, issues: CustomerIssue[], raw: RawCustomer, reject: StoreReject): false {
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
