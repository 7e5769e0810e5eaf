import { DomainEvent, EventType } from '@cdp/platform';

/**
 * Domain events of the merge lib, recorded in the outbox by the transaction that made the change.
 * Deleting a member that ends a set is announced by the customers lib's `CustomerDeletedEvent` only.
 */

/** `customerIds` joined the set `profileId`, whose member `targetId` they were merged into. */
@EventType('customer.merged')
export class CustomersMergedEvent extends DomainEvent {
  constructor(
    readonly appId: string,
    readonly profileId: string,
    readonly targetId: string,
    readonly customerIds: string[],
    /** True when the merge made the set (the target was not linked before). */
    readonly createdSet: boolean,
  ) {
    super();
  }
}

/** `customerId` left the set; when the set ended, `alsoUnlinked` names the member left alone (unlinked too). */
@EventType('customer.unmerged')
export class CustomerUnmergedEvent extends DomainEvent {
  constructor(
    readonly appId: string,
    readonly profileId: string,
    readonly customerId: string,
    readonly endedSet: boolean,
    readonly alsoUnlinked: string[],
  ) {
    super();
  }
}

/** The set's main channel is now `customerId` (it was `previousMainId`, or none). */
@EventType('customer.main_channel_changed')
export class MainChannelChangedEvent extends DomainEvent {
  constructor(
    readonly appId: string,
    readonly profileId: string,
    readonly customerId: string,
    readonly previousMainId: string | null,
  ) {
    super();
  }
}
