/**
 * Domain events of the merge lib, published on the `@nestjs/cqrs` EventBus once the change is committed.
 * Deleting a member that ends a set is announced by the customers lib's `CustomerDeletedEvent` only.
 */

/** `customerIds` joined the set `profileId`, whose member `targetId` they were merged into. */
export class CustomersMergedEvent {
  constructor(
    readonly appId: string,
    readonly profileId: string,
    readonly targetId: string,
    readonly customerIds: string[],
    /** True when the merge made the set (the target was not linked before). */
    readonly createdSet: boolean,
  ) {}
}

/** `customerId` left the set; when the set ended, `alsoUnlinked` names the member left alone (unlinked too). */
export class CustomerUnmergedEvent {
  constructor(
    readonly appId: string,
    readonly profileId: string,
    readonly customerId: string,
    readonly endedSet: boolean,
    readonly alsoUnlinked: string[],
  ) {}
}

/** The set's main channel is now `customerId` (it was `previousMainId`, or none). */
export class MainChannelChangedEvent {
  constructor(
    readonly appId: string,
    readonly profileId: string,
    readonly customerId: string,
    readonly previousMainId: string | null,
  ) {}
}
