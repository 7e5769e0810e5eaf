import type { CustomerSource } from '@cdp/channels';

/**
 * Domain events of the customers lib, published on the `@nestjs/cqrs` EventBus after the change is committed.
 * Listeners in other libs react without the customers lib knowing them.
 */
export class CustomerCreatedEvent {
  constructor(
    readonly appId: string,
    readonly customerId: string,
    readonly source: CustomerSource,
    readonly createdAt: Date,
  ) {}
}

/** Name, e-mail, phone, tags or property values changed; `changed` names the API fields. */
export class CustomerUpdatedEvent {
  constructor(
    readonly appId: string,
    readonly customerId: string,
    readonly changed: string[],
  ) {}
}

/** The customer and everything that referenced it (cascading foreign keys) are gone. */
export class CustomerDeletedEvent {
  constructor(
    readonly appId: string,
    readonly customerId: string,
    readonly profileId: string | null,
  ) {}
}
