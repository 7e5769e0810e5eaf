import { Injectable, Logger } from '@nestjs/common';
import { CustomerIntake, CustomersService, PropertyDefinitionsService, type CustomerRow } from '@cdp/customers';
import { DuplicatesService } from '@cdp/merge';
import { BadRequestError, Db, ForbiddenError, newId, sql, sqlArray, UnauthorizedError } from '@cdp/platform';
import { ActivityTypesService } from '../activity-types/activity-types.service';
import { isAvailableActivityType } from '../activity-types/available-types';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { EventIngestionService } from '../events/event-ingestion.service';
import { MAX_EVENTS_PER_BATCH } from '../events/event.dto';
import { EventRejectionsService, type Rejection } from '../rejections/event-rejections.service';
import {
  activityOf,
  checkMessage,
  contactTraits,
  type Json,
  type SegmentMessage,
  type SegmentRejectionCode,
  type SegmentType,
} from './segment-message';

/** At most this many custom activity types per app; a track event beyond them is rejected (`unknown_activity_type`). */
export const MAX_CUSTOM_ACTIVITY_TYPES = 500;

export interface SegmentRequest {
  authorization?: string;
  body: unknown;
  /** The call type of a single-message path (`/v1/track` → `track`); undefined for `/v1/batch`. */
  pathType?: SegmentType;
  receivedAt: Date;
}

export interface SegmentRejected {
  index: number;
  messageId: string | null;
  code: SegmentRejectionCode;
  message: string;
}

export interface SegmentResult {
  success: true;
  accepted: number;
  duplicates: number;
  rejected: SegmentRejected[];
}

interface Item {
  index: number;
  raw: unknown;
  message: SegmentMessage;
}

interface Caller {
  appId: string;
  keyId: string;
  channelId: string;
}

interface HeldRow {
  id: string;
  anonymous_id: string;
  message_id: string;
  type: string;
  occurred_at: Date | string;
  data: Json;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const idempotencyKey = (messageId: string) => `segment:${messageId}`;

/**
 * The Segment HTTP Tracking API (FEATURES.md X11; API.md "Segment-compatible ingestion"): messages of
 * `@segment/analytics-node`, `@rudderstack/rudder-sdk-node` and other Segment-spec senders become activities
 * through the one event ingestion path (`EventIngestionService`, the one writer of activities), customers
 * through the one door (`CustomerIntake`, inside it):
 * - the write key is an API key bound to a channel; a `userId` is an identifier on that channel;
 * - `messageId` is the idempotency key (`segment:<messageId>`), so a retried request changes nothing;
 * - a message with only an `anonymousId` is held, and written to the customer's timeline (with its original
 *   time) once a message carries that anonymous id with a `userId`, or an `alias` names it as `previousId`;
 * - identify updates the customer (name, e-mail, phone, property values), alias between two customers
 *   suggests them as duplicates (never merges them);
 * - every rejected message is kept in the dead-letter list.
 */
@Injectable()
export class SegmentIngestionService {
  private readonly log = new Logger('Segment');

  constructor(
    private readonly db: Db,
    private readonly keys: ApiKeysService,
    private readonly types: ActivityTypesService,
    private readonly ingestion: EventIngestionService,
    private readonly rejections: EventRejectionsService,
    private readonly customers: CustomersService,
    private readonly intake: CustomerIntake,
    private readonly properties: PropertyDefinitionsService,
    private readonly duplicates: DuplicatesService,
  ) {}

  async receive(req: SegmentRequest): Promise<SegmentResult> {
    const body = req.body;
    const caller = await this.authenticate(req.authorization, isObject(body) ? body.writeKey : undefined);
    if (!isObject(body)) throw new BadRequestError('malformed_json', 'The body must be a JSON object');
    let raws: unknown[];
    if (req.pathType) raws = [body];
    else if (Array.isArray(body.batch)) raws = body.batch;
    else throw new BadRequestError('malformed_json', 'The body must have a "batch" array of messages');

    const rejected: (SegmentRejected & { raw: unknown })[] = [];
    const reject = (index: number, raw: unknown, code: SegmentRejectionCode, message: string) =>
      rejected.push({ index, raw, code, message, messageId: isObject(raw) && typeof raw.messageId === 'string' ? raw.messageId : null });

    let items: Item[] = [];
    raws.forEach((raw, index) => {
      const check = checkMessage(
        raw,
        { context: isObject(body.context) ? body.context : undefined, sentAt: body.sentAt },
        req.receivedAt,
        req.pathType,
      );
      if (check.message) items.push({ index, raw, message: check.message });
      else reject(index, raw, check.code, check.reason);
    });
    items = await this.ensureTrackTypes(caller.appId, items, reject);

    let accepted = 0;
    let duplicates = 0;
    const count = (r: { accepted: number; duplicates: number }) => {
      accepted += r.accepted;
      duplicates += r.duplicates;
    };

    // Messages of a known person: through the event ingestion path, in the order sent.
    const known = items.filter((i) => i.message.userId && i.message.type !== 'alias');
    const definitions = await this.propertyKeys(caller.appId, known);
    count(
      await this.ingest(
        caller,
        known.map((i) => ({ item: i, event: this.eventOf(caller, i.message, definitions) })),
        reject,
      ),
    );
    const ok = (i: Item) => !rejected.some((r) => r.index === i.index);
    await this.applyTraits(
      caller,
      known.filter((i) => i.message.type === 'identify' && ok(i)),
      definitions,
    );

    // Anonymous messages wait for their person; messages naming both attach what waited.
    count(
      await this.hold(
        caller,
        items.filter((i) => !i.message.userId),
      ),
    );
    const ties = known.filter((i) => i.message.anonymousId && ok(i)).map((i) => ({ anonymousId: i.message.anonymousId!, item: i }));
    await this.attach(caller, ties, reject);

    for (const a of items.filter((i) => i.message.type === 'alias')) count(await this.alias(caller, a, reject));

    rejected.sort((a, b) => a.index - b.index);
    await this.rejections.record(
      caller.appId,
      'segment',
      caller.keyId,
      rejected.map((r): Rejection => ({ index: r.index, code: r.code, message: r.message, payload: r.raw })),
      req.receivedAt,
    );
    return {
      success: true,
      accepted,
      duplicates,
      rejected: rejected.map((r) => ({ index: r.index, messageId: r.messageId, code: r.code, message: r.message })),
    };
  }

  /** `Authorization: Basic base64(key:)` or `writeKey` in the body: a valid key (401), bound to a channel (403). */
  private async authenticate(header: string | undefined, writeKey: unknown): Promise<Caller> {
    let key: string | undefined;
    const basic = typeof header === 'string' ? /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header) : null;
    if (basic) key = Buffer.from(basic[1], 'base64').toString('utf8').split(':')[0];
    else if (typeof writeKey === 'string') key = writeKey;
    const found = key ? await this.keys.resolve(key) : undefined;
    if (!found) throw new UnauthorizedError('A valid write key (an API key of the app) is required: Basic auth with the key as user name');
    if (!found.channelId)
      throw new ForbiddenError(
        'This API key is not bound to a channel: create a key with "channelId" (POST /v1/api-keys) for Segment-spec senders',
      );
    return { appId: found.appId, keyId: found.keyId, channelId: found.channelId };
  }

  /** Track events name their activity type: created as a custom type on first use, up to the app's limit. */
  private async ensureTrackTypes(
    appId: string,
    items: Item[],
    reject: (index: number, raw: unknown, code: SegmentRejectionCode, message: string) => void,
  ): Promise<Item[]> {
    const names = new Map<string, string>();
    for (const i of items) if (i.message.eventKey && !names.has(i.message.eventKey)) names.set(i.message.eventKey, i.message.event!);
    if (!names.size) return items;
    const known = await this.types.known(appId, [...names.keys()]);
    const missing = [...names.keys()].filter((k) => !known.has(k) && !isAvailableActivityType(k));
    if (missing.length) {
      let custom = (await this.types.list(appId)).filter((t) => t.kind === 'custom').length;
      for (const key of missing) {
        if (custom >= MAX_CUSTOM_ACTIVITY_TYPES) break;
        try {
          await this.types.create(appId, { key, name: names.get(key)!.slice(0, 100), description: 'Created by a Segment track call' });
          custom++;
        } catch {
          // Taken meanwhile by a concurrent request: read back below.
        }
      }
      for (const k of await this.types.known(appId, missing)) known.add(k);
    }
    return items.filter((i) => {
      if (!i.message.eventKey || known.has(i.message.eventKey) || isAvailableActivityType(i.message.eventKey)) return true;
      reject(
        i.index,
        i.raw,
        'unknown_activity_type',
        `"${i.message.eventKey}" is not an activity type of this app, and the app has ${MAX_CUSTOM_ACTIVITY_TYPES} custom types already`,
      );
      return false;
    });
  }

  /** The property definitions an identify's traits may set (the traits that are not definitions stay in the activity only). */
  private async propertyKeys(appId: string, items: Item[]): Promise<Set<string>> {
    const keys = [...new Set(items.filter((i) => i.message.type === 'identify').flatMap((i) => Object.keys(i.message.traits)))];
    if (!keys.length) return new Set();
    return new Set((await this.properties.byKeys(appId, keys)).keys());
  }

  private eventOf(caller: Caller, m: SegmentMessage, definitions: Set<string>): Json {
    const { type, data } = activityOf(m);
    const event: Json = {
      type,
      occurredAt: m.occurredAt.toISOString(),
      channelId: caller.channelId,
      identifier: m.userId,
      data,
      idempotencyKey: idempotencyKey(m.messageId),
    };
    if (m.type === 'identify') {
      const props = Object.fromEntries(Object.entries(m.traits).filter(([k]) => definitions.has(k)));
      event.customer = { ...contactTraits(m.traits), ...(Object.keys(props).length ? { properties: props } : {}) };
    }
    return event;
  }

  /** Through the event ingestion path, at most 1,000 at a time; its rejections reported against the messages. */
  private async ingest(
    caller: Caller,
    list: { item: Item; event: Json }[],
    reject: (index: number, raw: unknown, code: SegmentRejectionCode, message: string) => void,
  ): Promise<{ accepted: number; duplicates: number }> {
    let accepted = 0;
    let duplicates = 0;
    for (let from = 0; from < list.length; from += MAX_EVENTS_PER_BATCH) {
      const chunk = list.slice(from, from + MAX_EVENTS_PER_BATCH);
      const r = await this.ingestion.ingest(
        caller.appId,
        chunk.map((c) => c.event),
      );
      accepted += r.accepted;
      duplicates += r.duplicates;
      for (const x of r.rejected) {
        const { item } = chunk[x.index];
        reject(item.index, item.raw, x.code as SegmentRejectionCode, x.message.replace(/^customer\./, 'traits: '));
      }
    }
    return { accepted, duplicates };
  }

  /** identify on a customer that existed: its name, e-mail, phone and property values as the traits say (already checked by the door). */
  private async applyTraits(caller: Caller, items: Item[], definitions: Set<string>): Promise<void> {
    if (!items.length) return;
    const rows = await this.rowsOf(
      caller,
      items.map((i) => i.message.userId!),
    );
    for (const i of items) {
      const row = rows.get(i.message.userId!);
      if (!row) continue;
      const contact = contactTraits(i.message.traits);
      const patch: { name?: string; email?: string; phoneNumber?: string } = {};
      if (typeof contact.name === 'string' && contact.name.trim() && contact.name.trim() !== row.name) patch.name = contact.name.trim();
      if (typeof contact.email === 'string' && contact.email.trim().toLowerCase() !== row.email) patch.email = contact.email;
      if (typeof contact.phoneNumber === 'string') patch.phoneNumber = contact.phoneNumber;
      const props = Object.fromEntries(
        Object.entries(i.message.traits).filter(
          ([k, v]) => definitions.has(k) && JSON.stringify(row.properties?.[k]) !== JSON.stringify(v),
        ),
      );
      try {
        if (Object.keys(patch).length) await this.customers.update(caller.appId, row.id, patch);
        if (Object.keys(props).length) await this.customers.setProperties(caller.appId, row.id, props);
      } catch (err) {
        // Checked by the door before the activity was written; a failure here is a concurrent change (e.g. a deletion).
        this.log.warn(`identify ${i.message.messageId}: the customer was not updated: ${(err as Error).message}`);
      }
    }
  }

  /** The app's customers on the caller's channel named by these user ids (canonical identifiers through the channel's rules). */
  private async rowsOf(caller: Caller, userIds: string[]): Promise<Map<string, CustomerRow>> {
    const raws = [...new Set(userIds)].map((u) => ({ channelId: caller.channelId, identifier: u, source: 'organic' as const }));
    const ctx = await this.intake.prepare(caller.appId, raws);
    const canonical = new Map<string, string>();
    for (const r of raws) {
      const c = this.intake.check(ctx, r, { nameFallback: 'identifier' });
      if (c.customer) canonical.set(r.identifier, c.customer.identifier);
    }
    if (!canonical.size) return new Map();
    const found = await this.customers.findByIdentifiers(
      undefined,
      caller.appId,
      [...new Set(canonical.values())].map((identifier) => ({ channelId: caller.channelId, identifier })),
    );
    const byIdentifier = new Map(found.map((r) => [r.identifier, r]));
    const out = new Map<string, CustomerRow>();
    for (const [userId, identifier] of canonical) {
      const row = byIdentifier.get(identifier);
      if (row) out.set(userId, row);
    }
    return out;
  }

  /** Messages with only an anonymous id: kept until the person is known (a messageId already stored or held is a duplicate). */
  private async hold(caller: Caller, items: Item[]): Promise<{ accepted: number; duplicates: number }> {
    if (!items.length) return { accepted: 0, duplicates: 0 };
    const rows = items.map((i) => {
      const { type, data } = activityOf(i.message);
      return {
        id: newId(),
        anonymous_id: i.message.anonymousId!,
        message_id: i.message.messageId,
        key: idempotencyKey(i.message.messageId),
        type,
        occurred_at: i.message.occurredAt.toISOString(),
        data,
      };
    });
    const inserted = await this.db.query<{ id: string }>(sql`
      insert into segment_held_messages (app_id, id, channel_id, anonymous_id, message_id, type, occurred_at, data, received_at)
      select ${caller.appId}, x.id, ${caller.channelId}::uuid, x.anonymous_id, x.message_id, x.type, x.occurred_at, x.data, now()
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as x(id uuid, anonymous_id text, message_id text, key text, type text, occurred_at timestamptz(3), data jsonb)
      where not exists (select 1 from activities a where a.app_id = ${caller.appId} and a.idempotency_key = x.key)
      on conflict (app_id, message_id) do nothing
      returning id`);
    return { accepted: inserted.length, duplicates: items.length - inserted.length };
  }

  /**
   * What was held under these anonymous ids is written as activities of the person the tying message names,
   * with its original times; the held rows go once written (a crash in between writes nothing twice: the
   * activities' idempotency keys are the message ids).
   */
  private async attach(
    caller: Caller,
    ties: { anonymousId: string; item: Item; userId?: string }[],
    reject: (index: number, raw: unknown, code: SegmentRejectionCode, message: string) => void,
  ): Promise<number> {
    if (!ties.length) return 0;
    const byAnonymous = new Map<string, { item: Item; userId: string }>();
    for (const t of ties)
      if (!byAnonymous.has(t.anonymousId)) byAnonymous.set(t.anonymousId, { item: t.item, userId: t.userId ?? t.item.message.userId! });
    const held = await this.db.query<HeldRow>(sql`
      select id, anonymous_id, message_id, type, occurred_at, data from segment_held_messages
      where app_id = ${caller.appId} and channel_id = ${caller.channelId}::uuid and anonymous_id = any(${sqlArray([...byAnonymous.keys()], 'text')})
      order by occurred_at, id`);
    if (!held.length) return 0;
    const list = held.map((h) => {
      const tie = byAnonymous.get(h.anonymous_id)!;
      return {
        item: tie.item,
        event: {
          type: h.type,
          occurredAt: new Date(h.occurred_at).toISOString(),
          channelId: caller.channelId,
          identifier: tie.userId,
          data: h.data,
          idempotencyKey: idempotencyKey(h.message_id),
        },
      };
    });
    await this.ingest(caller, list, (index, raw, code, message) =>
      reject(index, raw, code, `a message held under anonymousId could not be attached: ${message}`),
    );
    await this.db.run(
      sql`delete from segment_held_messages where app_id = ${caller.appId} and id = any(${sqlArray(
        held.map((h) => h.id),
        'uuid',
      )})`,
    );
    return held.length;
  }

  /**
   * alias: what was held under `previousId` (an anonymous id) joins `userId`; when both ids are customers of the
   * channel, they are suggested as duplicates (reason `alias`); otherwise a `customer.aliased` activity is
   * written on `userId`'s customer (created when missing).
   */
  private async alias(
    caller: Caller,
    item: Item,
    reject: (index: number, raw: unknown, code: SegmentRejectionCode, message: string) => void,
  ): Promise<{ accepted: number; duplicates: number }> {
    const m = item.message;
    await this.attach(caller, [{ anonymousId: m.previousId!, item, userId: m.userId }], reject);
    const rows = await this.rowsOf(caller, [m.userId!, m.previousId!]);
    const current = rows.get(m.userId!);
    const previous = rows.get(m.previousId!);
    if (current && previous && current.id !== previous.id) {
      const added = await this.db.transaction((tx) => this.duplicates.suggestAlias(tx, caller.appId, current.id, previous.id));
      return added ? { accepted: 1, duplicates: 0 } : { accepted: 0, duplicates: 1 };
    }
    return this.ingest(caller, [{ item, event: this.eventOf(caller, m, new Set()) }], reject);
  }
}
