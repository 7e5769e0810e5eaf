import { Injectable } from '@nestjs/common';
import { EventBus, QueryBus, QueryHandlerNotFoundException } from '@nestjs/cqrs';
import { AbilityService, AuditService, SettingsService, type Identity } from '@cdp/access';
import { ChannelsService, type CustomerSource } from '@cdp/channels';
import { Db, isUniqueViolation, isUuid, newId, ValidationFailedError, type FieldIssue, type Tx } from '@cdp/platform';
import { AfterCommit } from './after-commit';
import { checkEmail, checkPhone, normalizeTags, tagIssues } from './contact-fields';
import { CustomerDeletionHooks } from './customer-deletion.hooks';
import { CustomerExistsError, CustomerNotFoundError } from './customers.errors';
import { CustomerCreatedEvent, CustomerDeletedEvent, CustomerUpdatedEvent } from './customers.events';
import { CustomerGroupsQuery } from './customers.queries';
import { CustomersRepository, type NewCustomerRow } from './customers.repository';
import type { CreateCustomerDto, TagCountDto, UpdateCustomerDto } from './dto/customer-input.dto';
import {
  toCustomerResponse,
  type CustomerDetailDto,
  type CustomerGroupRefDto,
  type CustomerResponseDto,
  type CustomerRow,
} from './dto/customer.dto';
import { PropertyDefinitionsService } from './properties/property-definitions.service';
import { buildSearchText } from './search-text';

/** What `createMany` inserts: already validated and normalised by the caller (import, event ingestion). */
export interface NewCustomerInput {
  channelId: string;
  /** Canonical, as `ChannelsService.checkIdentifier` answers it. */
  identifier: string;
  name: string;
  email?: string | null;
  /** E.164. */
  phoneNumber?: string | null;
  source: CustomerSource;
  platform?: 'web' | 'mobile' | null;
  tags?: string[];
  properties?: Record<string, unknown>;
}

export interface CreateManyResult {
  created: CustomerRow[];
  /** Inputs whose `(channel, identifier)` was taken (or repeated an earlier input), with the customer holding it. */
  existing: { channelId: string; identifier: string; id: string }[];
}

export const MAX_TAGS_LISTED = 1000;

/**
 * Customers (FEATURES.md C1–C3, C10, X5): one row per customer per channel instance, `(channel, identifier)`
 * unique in the app. Every identifier enters through the channel's adapter (normalisation, validation and the
 * identity guardrails); e-mail is lower-cased, phone numbers kept in E.164.
 */
@Injectable()
export class CustomersService {
  constructor(
    private readonly db: Db,
    private readonly repo: CustomersRepository,
    private readonly channels: ChannelsService,
    private readonly settings: SettingsService,
    private readonly properties: PropertyDefinitionsService,
    private readonly deletionHooks: CustomerDeletionHooks,
    private readonly audit: AuditService,
    private readonly abilities: AbilityService,
    private readonly events: EventBus,
    private readonly queries: QueryBus,
    private readonly afterCommit: AfterCommit,
  ) {}

  /** `POST /v1/customers`: added by hand, so its source is `admin` (C3). */
  async create(appId: string, dto: CreateCustomerDto): Promise<CustomerResponseDto> {
    const [channel] = await this.channels.findMany(appId, [dto.channelId]);
    if (!channel)
      throw new ValidationFailedError('The channel is not valid', [
        { field: 'channelId', code: 'unknown_channel', message: "channelId must be one of the app's channels" },
      ]);
    const { defaultCountry } = await this.settings.get(appId);
    const { identifier } = this.channels.checkIdentifier(channel, dto.identifier, { defaultCountry });
    const issues: FieldIssue[] = [];
    const email = dto.email == null ? null : pick(checkEmail(dto.email), issues);
    const phone = dto.phoneNumber == null ? null : pick(checkPhone(dto.phoneNumber, defaultCountry), issues);
    const tags = normalizeTags(dto.tags ?? []);
    issues.push(...tagIssues(tags));
    const input: NewCustomerInput = {
      channelId: channel.id,
      identifier,
      name: dto.name,
      email,
      phoneNumber: phone,
      source: 'admin',
      platform: dto.platform ?? null,
      tags,
    };
    try {
      return await this.db.transaction(async (tx) => {
        const props = await this.properties.check(appId, dto.properties ?? {}, { tx });
        issues.push(...props.issues);
        if (issues.length) throw new ValidationFailedError('The customer is not valid', issues);
        const { created, existing } = await this.createMany(tx, appId, [{ ...input, properties: props.set }]);
        if (!created.length) throw new CustomerExistsError({ channelId: channel.id, identifier, customerId: existing[0]?.id });
        return toCustomerResponse(created[0]);
      });
    } catch (err) {
      // The insert skips a taken identifier, but a unique key must never surface as a 500 whatever the path.
      if (isUniqueViolation(err)) throw new CustomerExistsError({ channelId: channel.id, identifier });
      throw err;
    }
  }

  /**
   * Inserts many customers in one statement inside the caller's transaction (imports, events). A taken
   * `(channel, identifier)` is not an error: it is answered in `existing`. Each created customer gets its
   * `customer_activity` row (last activity = creation time); `CustomerCreatedEvent`s are published once `tx`
   * commits (a root transaction, as `Db.transaction` opens). Inputs must be valid (channel of the app, source allowed by its type, values checked).
   */
  async createMany(tx: Tx, appId: string, given: NewCustomerInput[]): Promise<CreateManyResult> {
    if (!given.length) return { created: [], existing: [] };
    // Ids come back from the database in lower case; compare like with like.
    const inputs = given.map((i) => ({ ...i, channelId: i.channelId.toLowerCase() }));
    const now = new Date().toISOString();
    const rows: NewCustomerRow[] = inputs.map((i) => ({
      id: newId(),
      channel_id: i.channelId,
      identifier: i.identifier,
      name: i.name,
      email: i.email ? i.email.toLowerCase() : null,
      phone_number: i.phoneNumber ?? null,
      source: i.source,
      platform: i.platform ?? null,
      tags: normalizeTags(i.tags ?? []),
      properties: i.properties ?? {},
      search_text: buildSearchText({ name: i.name, email: i.email, phoneNumber: i.phoneNumber, identifier: i.identifier }),
      created_at: now,
    }));
    // Same order for every writer, so two batches over the same identifiers cannot deadlock on the unique key.
    rows.sort((a, b) => cmp(a.channel_id, b.channel_id) || cmp(a.identifier, b.identifier));
    const created = await this.repo.insertMany(tx, appId, rows);
    const key = (channelId: string, identifier: string) => `${channelId}\n${identifier}`;
    const createdBy = new Map(created.map((c) => [key(c.channel_id, c.identifier), c.id]));
    // The first input of a created key made it; any other input (a taken key, or a repeat in the batch) did not.
    const claimed = new Set<string>();
    const missed = inputs.filter((i) => {
      const k = key(i.channelId, i.identifier);
      if (createdBy.has(k) && !claimed.has(k)) {
        claimed.add(k);
        return false;
      }
      return true;
    });
    const takenKeys = missed.filter((i) => !createdBy.has(key(i.channelId, i.identifier)));
    const holders = takenKeys.length ? await this.repo.findByIdentifiers(appId, takenKeys, tx) : [];
    const holder = new Map([...holders.map((h) => [key(h.channel_id, h.identifier), h.id] as const), ...createdBy]);
    const existing = missed.map((i) => ({
      channelId: i.channelId,
      identifier: i.identifier,
      id: holder.get(key(i.channelId, i.identifier)) ?? '',
    }));
    this.afterCommit.run(tx, () => {
      for (const c of created) this.events.publish(new CustomerCreatedEvent(appId, c.id, c.source, new Date(c.created_at)));
    });
    return { created, existing };
  }

  /** Customers by `(channelId, identifier)` (identifiers canonical); absent pairs are simply missing. */
  findByIdentifiers(tx: Tx | undefined, appId: string, pairs: { channelId: string; identifier: string }[]): Promise<CustomerRow[]> {
    return this.repo.findByIdentifiers(appId, pairs, tx);
  }

  /** The row of the app's customer; 404 for an unknown id, another app's, or a non-UUID. */
  async getRow(appId: string, id: string, tx?: Tx): Promise<CustomerRow> {
    const row = await this.repo.getRow(appId, id, tx);
    if (!row) throw new CustomerNotFoundError();
    return row;
  }

  /** The app's customers among `ids` (unknown and foreign ids are left out), in no particular order. */
  getMany(appId: string, ids: string[], tx?: Tx): Promise<CustomerRow[]> {
    return this.repo.getMany(appId, ids, tx);
  }

  /** `GET /v1/customers/:id`: the customer, the other members of its linked set, and its groups. */
  async detail(appId: string, id: string): Promise<CustomerDetailDto> {
    // The groups query is scoped by app and customer, so it can run beside the row's read.
    const [row, groups] = await Promise.all([this.getRow(appId, id), this.groups(appId, id)]);
    const linked = await this.linkedCustomers(appId, row);
    return { ...toCustomerResponse(row), linkedCustomers: linked, groups };
  }

  /** The other members of the customer's linked set (its own rows carry `profile_id`; the merge lib sets it). */
  async linkedCustomers(appId: string, row: Pick<CustomerRow, 'id' | 'profile_id'>): Promise<CustomerResponseDto[]> {
    if (!row.profile_id) return [];
    return (await this.repo.linkedTo(appId, row.profile_id, row.id)).map(toCustomerResponse);
  }

  /** `GET /v1/customers/:id/groups`: answered by the groups lib over the QueryBus; none without it. */
  async groups(appId: string, id: string): Promise<CustomerGroupRefDto[]> {
    try {
      return await this.queries.execute(new CustomerGroupsQuery(appId, id));
    } catch (err) {
      if (err instanceof QueryHandlerNotFoundException) return [];
      throw err;
    }
  }

  async groupsOf(appId: string, id: string): Promise<CustomerGroupRefDto[]> {
    await this.getRow(appId, id);
    return this.groups(appId, id);
  }

  /** `PATCH /v1/customers/:id` (C10): name, e-mail, phone (null clears) and the tag list. */
  async update(appId: string, id: string, dto: UpdateCustomerDto): Promise<CustomerResponseDto> {
    if (!isUuid(id)) throw new CustomerNotFoundError();
    const issues: FieldIssue[] = [];
    const email = dto.email === undefined ? undefined : dto.email === null ? null : pick(checkEmail(dto.email), issues);
    const needsCountry = dto.phoneNumber !== undefined && dto.phoneNumber !== null;
    const defaultCountry = needsCountry ? (await this.settings.get(appId)).defaultCountry : '';
    const phone =
      dto.phoneNumber === undefined
        ? undefined
        : dto.phoneNumber === null
          ? null
          : pick(checkPhone(dto.phoneNumber, defaultCountry), issues);
    const tags = dto.tags === undefined ? undefined : normalizeTags(dto.tags);
    if (tags) issues.push(...tagIssues(tags));
    if (issues.length) throw new ValidationFailedError('The customer is not valid', issues);
    const changed = Object.keys(dto).filter((k) => (dto as Record<string, unknown>)[k] !== undefined);
    if (!changed.length) return toCustomerResponse(await this.getRow(appId, id));
    const row = await this.db.transaction(async (tx) => {
      const cur = await this.repo.lockRow(tx, appId, id);
      if (!cur) throw new CustomerNotFoundError();
      const next = {
        name: dto.name ?? cur.name,
        email: email === undefined ? cur.email : email,
        phone_number: phone === undefined ? cur.phone_number : phone,
        tags: tags ?? cur.tags,
      };
      const search_text = buildSearchText({
        name: next.name,
        email: next.email,
        phoneNumber: next.phone_number,
        identifier: cur.identifier,
      });
      await this.repo.updateContact(tx, appId, id, { ...next, search_text, updated_at: new Date() });
      return (await this.repo.getRow(appId, id, tx))!;
    });
    this.events.publish(new CustomerUpdatedEvent(appId, id, changed));
    return toCustomerResponse(row);
  }

  /** `PUT /v1/customers/:id/properties` (C10): keys not sent are kept, `null` removes a value. */
  async setProperties(appId: string, id: string, values: unknown): Promise<CustomerResponseDto> {
    if (!isUuid(id)) throw new CustomerNotFoundError();
    const { row, changed } = await this.db.transaction(async (tx) => {
      const cur = await this.repo.lockRow(tx, appId, id);
      if (!cur) throw new CustomerNotFoundError();
      const check = await this.properties.check(appId, values, { tx });
      if (check.issues.length) throw new ValidationFailedError('The property values are not valid', check.issues);
      if (!Object.keys(check.set).length && !check.remove.length) return { row: cur, changed: false };
      await this.repo.mergeProperties(tx, appId, id, check.set, check.remove, new Date());
      return { row: (await this.repo.getRow(appId, id, tx))!, changed: true };
    });
    if (changed) this.events.publish(new CustomerUpdatedEvent(appId, id, ['properties']));
    return toCustomerResponse(row);
  }

  /**
   * `DELETE /v1/customers/:id` (admin, supervisor), one transaction: the deletion hooks (e.g. the merge lib
   * ending a set left with one member), the delete (other libs' rows cascade), and the audit entry.
   */
  async delete(identity: Identity, id: string): Promise<void> {
    await this.abilities.require(identity, 'delete', 'Customer');
    const appId = identity.appId;
    if (!isUuid(id)) throw new CustomerNotFoundError();
    const row = await this.db.transaction(async (tx) => {
      const cur = await this.repo.lockRow(tx, appId, id);
      if (!cur) throw new CustomerNotFoundError();
      await this.deletionHooks.run(tx, appId, { id: cur.id, profileId: cur.profile_id });
      await this.repo.delete(tx, appId, id);
      await this.audit.record(tx, identity, {
        action: 'customer.deleted',
        subject: `customer:${id}`,
        details: { customerId: id, name: cur.name, identifier: cur.identifier, channelId: cur.channel_id, profileId: cur.profile_id },
      });
      return cur;
    });
    this.events.publish(new CustomerDeletedEvent(appId, id, row.profile_id));
  }

  /** `GET /v1/tags`: the app's tags with their customer counts, most used first (at most 1,000). */
  tags(appId: string): Promise<TagCountDto[]> {
    return this.repo.tagCounts(appId, MAX_TAGS_LISTED);
  }

  /** Whether a channel of the app has customers (the channels lib refuses to delete or re-type it then). */
  channelInUse(appId: string, channelId: string): Promise<boolean> {
    return this.repo.channelHasCustomers(appId, channelId);
  }
}

function pick(check: { value?: string; issue?: FieldIssue }, issues: FieldIssue[]): string | null {
  if (check.issue) issues.push(check.issue);
  return check.value ?? null;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
