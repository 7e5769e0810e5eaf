import { Injectable, type Type } from '@nestjs/common';
import {
  CustomerConsentChangedEvent,
  CustomerCreatedEvent,
  CustomerDeletedEvent,
  CustomersErasedEvent,
  CustomersService,
  CustomerUpdatedEvent,
  ExportCompletedEvent,
  ImportCompletedEvent,
  toCustomerResponse,
  type CustomerResponseDto,
} from '@cdp/customers';
import { GroupCreatedEvent, GroupDeletedEvent, GroupMembersAddedEvent, GroupMembersRemovedEvent, GroupUpdatedEvent } from '@cdp/groups';
import { CustomersMergedEvent, CustomerUnmergedEvent, MainChannelChangedEvent } from '@cdp/merge';
import { DomainEvent, DomainEventHandler, newId, type DomainEventHandlerContract, type Tx } from '@cdp/platform';
import { ALL_EVENTS, type WebhookEventType } from './event-types';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhooksRepository, type NewDelivery } from './webhooks.repository';

/** How a domain event becomes a webhook event: its type, and the customers whose current rows `data` carries. */
interface Source {
  type: WebhookEventType;
  /** `customer` (one) or `customers` (a list) is added to `data` with these customers' rows, as the REST API shows them. */
  customers?: { key: 'customer' | 'customers'; ids: (e: DomainEvent) => string[] };
}

/**
 * Every webhook event type of API.md and the domain event it comes from. `customer.erased` carries ids only
 * (API.md): the person's rows are gone, and nothing personal may leave with the event. Group events carry the
 * group (its name and description) and member ids; import and export events carry ids and totals only.
 */
const SOURCES = new Map<Type<DomainEvent>, Source>([
  [
    CustomerCreatedEvent,
    { type: 'customer.created', customers: { key: 'customer', ids: (e) => [(e as CustomerCreatedEvent).customerId] } },
  ],
  [
    CustomerUpdatedEvent,
    { type: 'customer.updated', customers: { key: 'customer', ids: (e) => [(e as CustomerUpdatedEvent).customerId] } },
  ],
  [CustomerDeletedEvent, { type: 'customer.deleted' }],
  [CustomersErasedEvent, { type: 'customer.erased' }],
  [
    CustomerConsentChangedEvent,
    { type: 'customer.consent_changed', customers: { key: 'customer', ids: (e) => [(e as CustomerConsentChangedEvent).customerId] } },
  ],
  [
    CustomersMergedEvent,
    {
      type: 'customer.merged',
      customers: { key: 'customers', ids: (e) => [(e as CustomersMergedEvent).targetId, ...(e as CustomersMergedEvent).customerIds] },
    },
  ],
  [
    CustomerUnmergedEvent,
    { type: 'customer.unmerged', customers: { key: 'customer', ids: (e) => [(e as CustomerUnmergedEvent).customerId] } },
  ],
  [
    MainChannelChangedEvent,
    { type: 'customer.main_channel_changed', customers: { key: 'customer', ids: (e) => [(e as MainChannelChangedEvent).customerId] } },
  ],
  [GroupCreatedEvent, { type: 'group.created' }],
  [GroupUpdatedEvent, { type: 'group.updated' }],
  [GroupDeletedEvent, { type: 'group.deleted' }],
  [GroupMembersAddedEvent, { type: 'group.members_added' }],
  [GroupMembersRemovedEvent, { type: 'group.members_removed' }],
  [ImportCompletedEvent, { type: 'import.completed' }],
  [ExportCompletedEvent, { type: 'export.completed' }],
]);

/**
 * Fans the outbox's events out into webhook deliveries, in the relay's transaction: one delivery per enabled
 * webhook of the app subscribed to the event's type, with the body that will be signed and sent on every
 * attempt. A replayed round inserts nothing twice (one delivery per webhook and event). Sending is the
 * dispatcher's, once this transaction has committed.
 */
@Injectable()
@DomainEventHandler({ events: [...SOURCES.keys()] })
export class WebhookEventsHandler implements DomainEventHandlerContract {
  constructor(
    private readonly repo: WebhooksRepository,
    private readonly customers: CustomersService,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  async handle(events: DomainEvent[], { tx }: { tx: Tx }): Promise<void> {
    const apps = [...new Set(events.map((e) => e.appId))];
    const hooks = await this.repo.subscribers(tx, apps);
    if (!hooks.length) return;
    const wanted: { event: DomainEvent; source: Source; targets: string[] }[] = [];
    for (const event of events) {
      const source = SOURCES.get(event.constructor as Type<DomainEvent>);
      if (!source) continue;
      const targets = hooks.filter((h) => h.app_id === event.appId && (h.events.includes(ALL_EVENTS) || h.events.includes(source.type)));
      if (targets.length) wanted.push({ event, source, targets: targets.map((h) => h.id) });
    }
    if (!wanted.length) return;
    const customers = await this.customerRows(tx, wanted);
    const rows: NewDelivery[] = [];
    const at = new Date().toISOString();
    for (const { event, source, targets } of wanted) {
      const body = JSON.stringify({ type: source.type, timestamp: event.recordedAt, data: this.data(event, source, customers) });
      for (const webhookId of targets)
        rows.push({ appId: event.appId, id: newId(), webhookId, eventId: event.eventId, eventType: source.type, body, at });
    }
    if (await this.repo.insertDeliveries(tx, rows)) this.dispatcher.wakeSoon();
  }

  /** The current rows of every customer the round's events are about, one read per app, keyed `app/id`. */
  private async customerRows(tx: Tx, wanted: { event: DomainEvent; source: Source }[]): Promise<Map<string, CustomerResponseDto>> {
    const byApp = new Map<string, Set<string>>();
    for (const { event, source } of wanted) {
      if (!source.customers) continue;
      const ids = byApp.get(event.appId) ?? new Set<string>();
      for (const id of source.customers.ids(event)) ids.add(id);
      byApp.set(event.appId, ids);
    }
    const out = new Map<string, CustomerResponseDto>();
    for (const [appId, ids] of byApp)
      for (const row of await this.customers.getMany(appId, [...ids], tx)) out.set(`${appId}/${row.id}`, toCustomerResponse(row));
    return out;
  }

  /** The event's own fields (ids and what changed) and the rows of the customers it is about, as they are now. */
  private data(event: DomainEvent, source: Source, customers: Map<string, CustomerResponseDto>): Record<string, unknown> {
    const { appId: _a, eventId: _e, recordedAt: _r, ...fields } = event as DomainEvent & Record<string, unknown>;
    if (!source.customers) return fields;
    const ids = source.customers.ids(event);
    const rows = ids.flatMap((id) => customers.get(`${event.appId}/${id}`) ?? []);
    if (source.customers.key === 'customer') return { ...fields, customer: rows[0] ?? null };
    return { ...fields, customers: rows };
  }
}
