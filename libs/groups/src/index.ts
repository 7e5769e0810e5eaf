// The only public face of the groups lib (DESIGN.md "Layout").
export { GroupsModule } from './groups.module';
export { GroupsService } from './groups.service';
export { GroupCreatedEvent, GroupDeletedEvent, GroupMembersAddedEvent, GroupMembersRemovedEvent, GroupUpdatedEvent } from './groups.events';
export { BroadcastAudienceService } from './broadcast-audience.service';
export { GroupMemberLimitExceededError, GroupNotFoundError, PlanRequiredError } from './groups.errors';
export { MAX_GROUPS_PER_CUSTOMER_LISTED } from './customer-groups.handler';
export {
  AddMembersDto,
  AddMembersResultDto,
  BroadcastAudienceDto,
  CreatedGroupDto,
  CreateGroupDto,
  GroupDto,
  GroupPageDto,
  ListGroupsQueryDto,
  MemberPageDto,
  RecipientDto,
  RemoveMembersDto,
  RemoveMembersResultDto,
  UpdateGroupDto,
  MAX_IDS_PER_REQUEST,
} from './dto/group.dto';
