import { Injectable } from '@nestjs/common';
import { QueryBus, QueryHandlerNotFoundException } from '@nestjs/cqrs';
import { AbilityService, AuditService, SettingsService, type Identity } from '@cdp/access';
import { InvalidIdentifierError } from '@cdp/channels';
import {
  Db,
  DomainError,
  isUniqueViolation,
  isUuid,
  newId,
  ValidationFailedError,
  type FieldIssue,
  type Sql,
  type Tx,
} from '@cdp/platform';
import { checkEmail, checkPhone, normalizeTags, pickValue, tagIssues } from './contact-fields';
import { CustomerDeletionHooks } from './customer-deletion.hooks';
import { CustomerExistsError, CustomerNotFoundError } from './customers.errors';
import { CustomerCreatedEvent, CustomerDeletedEvent, CustomerUpdatedEvent } from './customers.events';
import { CustomerGroupsQuery } from './customers.queries';
import {
  CustomersRepository,
  type DuplicateCandidateRow,
  type DuplicateProbe,
  type NewCustomerRow,
  type RecipientRow,
} from './customers.repository';
import type { CreateCustomerDto, TagCountDto, UpdateCustomerDto } from './dto/customer-input.dto';
import {
  toCustomerResponse,
  type CustomerDetailDto,
  type CustomerGroupRefDto,
  type CustomerResponseDto,
  type CustomerRow,
} from './dto/customer.dto';
import { CustomerIntake } from './intake/customer-intake';
import { IdentitySuppressedError } from './suppression/suppression.errors';
import type { CustomerIssue, NewCustomer } from './intake/new-customer';
import { PropertyDefinitionsService } from './properties/property-definitions.service';
import { checkPropertyValues } from './properties/property-values';
import { buildSearchText } from './search-text';

export interface CreateManyResult {
  created: CustomerRow[];
  /** Inputs whose `(channel, identifier)` was taken (or repeated an earlier input), with the customer holding it. */
  existing: { channelId: string; identifier: string; id: string }[];
  /** Inputs refused because they match a suppression of an erased person (and name no existing customer). */
  suppressed: { channelId: string; identifier: string }[];
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
    private readonly intake: CustomerIntake,
    private readonly settings: SettingsService,
    private readonly properties: PropertyDefinitionsService,
    private readonly deletionHooks: CustomerDeletionHooks,
    private readonly audit: AuditService,
    private readonly abilities: AbilityService,
    private readonly queries: QueryBus,
  ) {}

  /** `POST /v1/customers`: added by hand, so its source is `admin` (C3); through the one door for new customers. */
  async create(appId: string, dto: CreateCustomerDto): Promise<CustomerResponseDto> {
    const [check] = await this.intake.checkAll(appId, [{ ...dto, source: 'admin' }]);
    if (!check.customer) throw refusal(check.issues);
    const customer = check.customer;
    try {
      return await this.db.transaction(async (tx) => {
        // The definitions the values use are share-locked until the insert commits, and the values checked
        // again under that lock, so a definition cannot change in between.
        const keys = Object.keys(customer.properties);
        if (keys.length) {
          const locked = await this.properties.byKeys(appId, keys, { tx, lock: true });
          const again = checkPropertyValues(locked, customer.properties, 'properties');
          if (again.issues.length) throw new ValidationFailedError('The customer is not valid', again.issues);
        }
        const { created, existing, suppressed } = await this.createMany(tx, appId, [customer]);
        if (suppressed.length) throw new IdentitySuppressedError();
        if (!created.length)
          throw new CustomerExistsError({ channelId: customer.channelId, identifier: customer.identifier, customerId: existing[0]?.id });
        return toCustomerResponse(created[0]);
      });
    } catch (err) {
      // The insert skips a taken identifier, but a unique key must never surface as a 500 whatever the path.
      if (isUniqueViolation(err)) throw new CustomerExistsError({ channelId: customer.channelId, identifier: customer.identifier });
      throw err;
    }
  }

  /**
   * Inserts many checked customers (`NewCustomer`, from the one door: `CustomerIntake`) in one statement inside
   * the caller's transaction (REST, imports, events, the seed). A taken `(channel, identifier)` is not an
   * error: it is answered in `existing`. Each created customer gets its `customer_activity` row (last activity
   * = creation time), and a `CustomerCreatedEvent` recorded in the transaction's outbox. An input that matches
   * a suppression of an erased person is not inserted: it is answered in `existing` when its key names a
   * customer, else in `suppressed`. `activityWritten`: the caller writes the created customers'
   * `customer.created` activities in this transaction itself (the event says so to its handlers).
   */
  async createMany(
    tx: Tx,
    appId: string,
    given: readonly NewCustomer[],
    opts: { activityWritten?: boolean } = {},
  ): Promise<CreateManyResult> {
    if (!given.length) return { created: [], existing: [], suppressed: [] };
    const now = new Date().toISOString();
    const blocked = await this.intake.suppressedAmong(appId, given, tx);
    const allowed = blocked.size ? given.filter((_, i) => !blocked.has(i)) : given;
    const rows: NewCustomerRow[] = allowed.map((i) => ({
      id: newId(),
      channel_id: i.channelId,
      identifier: i.identifier,
      name: i.name,
      email: i.email,
      phone_number: i.phoneNumber,
      source: i.source,
      platform: i.platform,
      tags: i.tags,
      properties: i.properties,
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
    const blockedInputs = new Set([...blocked].map((i) => given[i]));
    const missed = given.filter((i) => {
      const k = key(i.channelId, i.identifier);
      if (!blockedInputs.has(i) && createdBy.has(k) && !claimed.has(k)) {
        claimed.add(k);
        return false;
      }
      return true;
    });
    const takenKeys = missed.filter((i) => !createdBy.has(key(i.channelId, i.identifier)));
    const holders = takenKeys.length ? await this.repo.findByIdentifiers(appId, takenKeys, tx) : [];
    const holder = new Map([...holders.map((h) => [key(h.channel_id, h.identifier), h.id] as const), ...createdBy]);
    const refused = new Set(missed.filter((i) => blockedInputs.has(i) && !holder.has(key(i.channelId, i.identifier))));
    const existing = missed
      .filter((i) => !refused.has(i))
      .map((i) => ({
        channelId: i.channelId,
        identifier: i.identifier,
        id: holder.get(key(i.channelId, i.identifier)) ?? '',
      }));
    tx.record(
      ...created.map(
        (c) => new CustomerCreatedEvent(appId, c.id, c.source, new Date(c.created_at).toISOString(), opts.activityWritten || undefined),
      ),
    );
    return { created, existing, suppressed: [...refused].map((i) => ({ channelId: i.channelId, identifier: i.identifier })) };
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
    const email = dto.email === undefined ? undefined : dto.email === null ? null : pickValue(checkEmail(dto.email), issues);
    const needsCountry = dto.phoneNumber !== undefined && dto.phoneNumber !== null;
    const defaultCountry = needsCountry ? (await this.settings.get(appId)).defaultCountry : '';
    const phone =
      dto.phoneNumber === undefined
        ? undefined
        : dto.phoneNumber === null
          ? null
          : pickValue(checkPhone(dto.phoneNumber, defaultCountry), issues);
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
      tx.record(new CustomerUpdatedEvent(appId, cur.id, changed));
      return (await this.repo.getRow(appId, id, tx))!;
    });
    return toCustomerResponse(row);
  }

  /** `PUT /v1/customers/:id/properties` (C10): keys not sent are kept, `null` removes a value. */
  async setProperties(appId: string, id: string, values: unknown): Promise<CustomerResponseDto> {
    if (!isUuid(id)) throw new CustomerNotFoundError();
    const row = await this.db.transaction(async (tx) => {
      const cur = await this.repo.lockRow(tx, appId, id);
      if (!cur) throw new CustomerNotFoundError();
      const check = await this.properties.check(appId, values, { tx });
      if (check.issues.length) throw new ValidationFailedError('The property values are not valid', check.issues);
      if (!Object.keys(check.set).length && !check.remove.length) return cur;
      await this.repo.mergeProperties(tx, appId, id, check.set, check.remove, new Date());
      tx.record(new CustomerUpdatedEvent(appId, cur.id, ['properties']));
      return (await this.repo.getRow(appId, id, tx))!;
    });
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
    await this.db.transaction(async (tx) => {
      const cur = await this.repo.lockRow(tx, appId, id);
      if (!cur) throw new CustomerNotFoundError();
      await this.deletionHooks.run(tx, appId, { id: cur.id, profileId: cur.profile_id });
      await this.repo.delete(tx, appId, id);
      await this.audit.record(tx, identity, {
        action: 'customer.deleted',
        subject: `customer:${id}`,
        details: { customerId: id, name: cur.name, identifier: cur.identifier, channelId: cur.channel_id, profileId: cur.profile_id },
      });
      tx.record(new CustomerDeletedEvent(appId, cur.id, cur.profile_id));
    });
  }

  /** `GET /v1/tags`: the app's tags with their customer counts, most used first (at most 1,000). */
  tags(appId: string): Promise<TagCountDto[]> {
    return this.repo.tagCounts(appId, MAX_TAGS_LISTED);
  }

  /** Whether a channel of the app has customers (the channels lib refuses to delete or re-type it then). */
  channelInUse(appId: string, channelId: string): Promise<boolean> {
    return this.repo.channelHasCustomers(appId, channelId);
  }

  /** Whether the app has this customer (another app's id, or a non-UUID: false). */
  exists(appId: string, id: string): Promise<boolean> {
    return this.repo.exists(appId, id);
  }

  /**
   * The app's customers among `ids`, held until `tx` ends: writers of the rows pass, a deletion waits (so rows
   * that reference them can be written safely). Unknown and foreign ids are left out; ids in lower case.
   */
  holdExisting(tx: Tx, appId: string, ids: readonly string[]): Promise<string[]> {
    return this.repo.holdExisting(tx, appId, ids);
  }

  /** As `holdExisting`, for customers named by channel and canonical identifier: the ids found, by `channelId + '\\n' + identifier`. */
  async holdByIdentifiers(tx: Tx, appId: string, keys: readonly { channelId: string; identifier: string }[]): Promise<Map<string, string>> {
    const rows = await this.repo.holdByIdentifiers(tx, appId, keys);
    return new Map(rows.map((r) => [`${r.channel_id}\n${r.identifier}`, r.id]));
  }

  /** Duplicate candidates of a customer by normalised phone, e-mail and name (the merge lib scores them, X4). */
  duplicateCandidates(appId: string, probe: DuplicateProbe): Promise<DuplicateCandidateRow[]> {
    return this.repo.duplicateCandidates(appId, probe);
  }

  /**
   * One broadcast recipient per person among `members`, a statement of the caller's that selects the
   * `customer_id`s (e.g. a group's members): linked sets reduced to their main channel (G4), customers who
   * opted out left out and counted (X9).
   */
  recipients(appId: string, members: Sql): Promise<{ recipients: RecipientRow[]; excludedOptedOut: number }> {
    return this.repo.recipients(appId, members);
  }
}

/** A refused new customer as REST answers it: an unknown channel, then an invalid identifier, then the rest. */
function refusal(issues: CustomerIssue[]): DomainError {
  const plain = (list: CustomerIssue[]): FieldIssue[] => list.map(({ field, code, message }) => ({ field, code, message }));
  const channel = issues.filter((i) => i.part === 'channelId');
  if (channel.length) return new ValidationFailedError('The channel is not valid', plain(channel));
  const identifier = issues.filter((i) => i.part === 'identifier');
  if (identifier.length) return new InvalidIdentifierError(plain(identifier));
  return new ValidationFailedError('The customer is not valid', plain(issues));
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
