import type { CustomerSource } from '@cdp/channels';
import { DomainEvent, EventType } from '@cdp/platform';

/**
 * Domain events of the customers lib, recorded in the outbox by the transaction that made the change and
 * handed to handlers (other libs, webhooks) after it committed. Fields are plain JSON (times as ISO-8601).
 */
@EventType('customer.created')
export class CustomerCreatedEvent extends DomainEvent {
  constructor(
    readonly appId: string,
    readonly customerId: string,
    readonly source: CustomerSource,
    /** ISO-8601. */
    readonly createdAt: string,
    /**
     * The creating transaction also wrote the `customer.created` activity (an event batch does), so the
     * activities lib has nothing to add for it. Absent in events recorded before this field existed.
     */
    readonly activityWritten?: boolean,
  ) {
    super();
  }
}

/** Name, e-mail, phone, tags or property values changed; `changed` names the API fields. */
@EventType('customer.updated')
export class CustomerUpdatedEvent extends DomainEvent {
  constructor(
    readonly appId: string,
    readonly customerId: string,
    readonly changed: string[],
  ) {
    super();
  }
}

/** The customer and everything that referenced it (cascading foreign keys) are gone. */
@EventType('customer.deleted')
export class CustomerDeletedEvent extends DomainEvent {
  constructor(
    readonly appId: string,
    readonly customerId: string,
    readonly profileId: string | null,
  ) {
    super();
  }
}

/** People were erased (X10): the customers and everything that referenced them are gone. Ids only. */
@EventType('customer.erased')
export class CustomersErasedEvent extends DomainEvent {
  constructor(
    readonly appId: string,
    readonly customerIds: string[],
    /** The linked set they formed, when the whole set was erased. */
    readonly profileId: string | null,
  ) {
    super();
  }
}

/** The customer's consent status changed (API.md "Consent"); ids and statuses only. */
@EventType('customer.consent_changed')
export class CustomerConsentChangedEvent extends DomainEvent {
  constructor(
    readonly appId: string,
    readonly customerId: string,
    readonly status: 'opted_in' | 'opted_out' | 'unknown',
    readonly previousStatus: 'opted_in' | 'opted_out' | 'unknown',
    readonly source: 'api' | 'import' | 'event' | 'console',
    /** ISO-8601: when the change happened. */
    readonly at: string,
  ) {
    super();
  }
}
