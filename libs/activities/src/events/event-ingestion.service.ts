import { Injectable } from '@nestjs/common';
import { SettingsService } from '@cdp/access';
import { ChannelsService, type ChannelRecord } from '@cdp/channels';
import {
  checkEmail,
  checkPhone,
  checkPropertyValues,
  CustomersService,
  normalizeTags,
  PropertyDefinitionsService,
  tagIssues,
  type NewCustomerInput,
  type PropertyDefinition,
} from '@cdp/customers';
import { Db, newId, type FieldIssue } from '@cdp/platform';
import { BatchTooLargeError } from '../activities.errors';
import { ActivityTypesService } from '../activity-types/activity-types.service';
import { ActivitiesRepository, customerKey } from './activities.repository';
import { ActivityWriter, type ActivityToWrite } from './activity-writer';
import { customerCreatedKey } from './customer-created.handler';
import { MAX_EVENTS_PER_BATCH, type IngestResultDto, type RejectedEventDto } from './event.dto';
import { validateEvent, type ValidEvent } from './event-validation';

export type RejectionCode =
  'validation_failed' | 'unknown_activity_type' | 'customer_not_found' | 'invalid_identifier' | 'source_requires_whatsapp';

interface Candidate {
  index: number;
  event: ValidEvent;
  /** Resolved customer id (by id, or by channel + identifier). */
  customerId?: string;
  /** channel + canonical identifier, for events that name the customer that way. */
  key?: string;
  /** What to create when the key names no customer yet. */
  newCustomer?: NewCustomerInput;
}

const describe = (issues: FieldIssue[]) =>
  issues
    .slice(0, 3)
    .map((i) => `${i.field}: ${i.message}`)
    .join('; ');

/**
 * `POST /v1/events` (FEATURES.md A2): each event checked on its own, the good ones stored in one
 * transaction in a few statements, the bad ones listed with their index and code. Customers named by
 * channel + identifier that do not exist are created (source `organic` unless the event says otherwise),
 * with their `customer.created` activity in the same transaction.
 */
@Injectable()
export class EventIngestionService {
  constructor(
    private readonly db: Db,
    private readonly types: ActivityTypesService,
    private readonly channels: ChannelsService,
    private readonly customers: CustomersService,
    private readonly properties: PropertyDefinitionsService,
    private readonly settings: SettingsService,
    private readonly repo: ActivitiesRepository,
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

    const result = await this.db.transaction(async (tx) => {
      const ids = [...new Set(candidates.filter((c) => c.event.customerId).map((c) => c.event.customerId!))];
      const existingIds = await this.repo.lockCustomers(tx, appId, ids);
      candidates = candidates.filter(
        (c) =>
          !c.event.customerId ||
          existingIds.has(c.event.customerId) ||
          reject(c, 'customer_not_found', 'customerId is not a customer of this app'),
      );
      for (const c of candidates) if (c.event.customerId) c.customerId = c.event.customerId;

      // Customers named by channel + identifier: found, else created once however many events name them.
      const byKey = candidates.filter((c) => c.key);
      const pairs = new Map<string, NewCustomerInput>();
      for (const c of byKey) if (!pairs.has(c.key!)) pairs.set(c.key!, c.newCustomer!);
      const found = await this.repo.lockCustomersByIdentifier(tx, appId, [...pairs.values()]);
      const toCreate = [...pairs.entries()].filter(([k]) => !found.has(k)).map(([, input]) => input);
      const { created, existing } = await this.customers.createMany(tx, appId, toCreate);
      for (const c of created) found.set(customerKey(c.channel_id, c.identifier), c.id);
      for (const e of existing) if (e.id) found.set(customerKey(e.channelId, e.identifier), e.id);
      candidates = candidates.filter((c) => {
        if (!c.key) return true;
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
    });
    rejected.sort((a, b) => a.index - b.index);
    return { ...result, rejected };
  }

  /**
   * For events that name the customer by channel + identifier: the channel must be the app's, the
   * identifier valid for its type (normalised by the adapter), the source allowed by the type, and the
   * customer fields valid, whether or not the customer exists yet (so an event is accepted or refused the
   * same way on every retry).
   */
  private async resolveChannelCustomers(
    appId: string,
    candidates: Candidate[],
    reject: (c: Candidate, code: RejectionCode, message: string) => boolean,
  ): Promise<Candidate[]> {
    const byChannel = candidates.filter((c) => c.event.channelId);
    if (!byChannel.length) return candidates;
    const channels = new Map<string, ChannelRecord>(
      (await this.channels.findMany(appId, [...new Set(byChannel.map((c) => c.event.channelId!))])).map((ch) => [ch.id, ch]),
    );
    const { defaultCountry } = await this.settings.get(appId);
    let definitions: Map<string, PropertyDefinition> | undefined;
    const out: Candidate[] = [];
    for (const c of candidates) {
      const e = c.event;
      if (!e.channelId) {
        out.push(c);
        continue;
      }
      const channel = channels.get(e.channelId);
      if (!channel) {
        reject(c, 'validation_failed', "channelId is not one of the app's channels");
        continue;
      }
      const check = this.channels.validateIdentifier(channel, e.identifier, { defaultCountry });
      if (check.identifier === undefined) {
        reject(c, 'invalid_identifier', describe(check.issues) || 'identifier is not valid for this channel');
        continue;
      }
      const fields = e.customer ?? {};
      const source = fields.source ?? 'organic';
      if (!this.channels.sourceAllowed(channel.type, source)) {
        reject(
          c,
          'source_requires_whatsapp',
          `customer.source "${source}" is not allowed on this channel (ads and broadcast: WhatsApp only)`,
        );
        continue;
      }
      const issues: FieldIssue[] = [];
      const email = fields.email === undefined ? null : pick(checkEmail(fields.email, 'customer.email'), issues);
      const phone =
        fields.phoneNumber === undefined ? null : pick(checkPhone(fields.phoneNumber, defaultCountry, 'customer.phoneNumber'), issues);
      const tags = normalizeTags(fields.tags ?? []);
      issues.push(...tagIssues(tags, 'customer.tags'));
      let properties: Record<string, unknown> = {};
      if (fields.properties && Object.keys(fields.properties).length) {
        definitions ??= new Map((await this.properties.list(appId)).map((d) => [d.key, d]));
        const props = checkPropertyValues(definitions, fields.properties, 'customer.properties');
        issues.push(...props.issues);
        properties = props.set;
      }
      if (issues.length) {
        reject(c, 'validation_failed', describe(issues));
        continue;
      }
      c.key = customerKey(channel.id, check.identifier);
      c.newCustomer = {
        channelId: channel.id,
        identifier: check.identifier,
        name: fields.name?.trim() || check.identifier,
        email,
        phoneNumber: phone,
        source,
        platform: fields.platform ?? null,
        tags,
        properties,
      };
      out.push(c);
    }
    return out;
  }
}

function pick(check: { value?: string; issue?: FieldIssue }, issues: FieldIssue[]): string | null {
  if (check.issue) issues.push(check.issue);
  return check.value ?? null;
}
