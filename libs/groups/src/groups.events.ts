import { DomainEvent, EventType } from '@cdp/platform';
import type { GroupDto } from './dto/group.dto';

/**
 * Domain events of the groups lib (recorded in the outbox by the transaction that made the change; webhooks
 * hand them on as `group.*`). A group's name and description are the business's words, not a person's data.
 */
@EventType('group.created')
export class GroupCreatedEvent extends DomainEvent {
  constructor(
    readonly appId: string,
    readonly groupId: string,
    /** The group as `GET /groups/:id` shows it after the creation (with the members it was created with). */
    readonly group: GroupDto,
  ) {
    super();
  }
}

/** The name or the description changed; `changed` names the API fields. */
@EventType('group.updated')
export class GroupUpdatedEvent extends DomainEvent {
  constructor(
    readonly appId: string,
    readonly groupId: string,
    readonly group: GroupDto,
    readonly changed: string[],
  ) {
    super();
  }
}

@EventType('group.deleted')
export class GroupDeletedEvent extends DomainEvent {
  constructor(
    readonly appId: string,
    readonly groupId: string,
  ) {
    super();
  }
}

/**
 * Customers joined the group. `customerIds` lists them when they were chosen by id; when every match of a
 * filter was added it is null (there may be tens of thousands) and `filter` says which.
 */
@EventType('group.members_added')
export class GroupMembersAddedEvent extends DomainEvent {
  constructor(
    readonly appId: string,
    readonly groupId: string,
    readonly added: number,
    readonly memberCount: number,
    readonly customerIds: string[] | null,
    readonly filter: unknown,
  ) {
    super();
  }
}

/** Members left the group (only those that were members). */
@EventType('group.members_removed')
export class GroupMembersRemovedEvent extends DomainEvent {
  constructor(
    readonly appId: string,
    readonly groupId: string,
    readonly customerIds: string[],
    readonly memberCount: number,
  ) {
    super();
  }
}
