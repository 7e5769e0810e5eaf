// The only public face of the activities lib (DESIGN.md "Layout").
export { ActivitiesModule } from './activities.module';
export type { ActivitiesModuleOptions } from './activities.options';
export { ActivityTypesService } from './activity-types/activity-types.service';
export { ActivityTypeDto, CreateActivityTypeDto, UpdateActivityTypeDto } from './activity-types/activity-type.dto';
export {
  ACTIVITY_TYPE_KEY_PATTERN,
  AVAILABLE_ACTIVITY_TYPES,
  MAX_ACTIVITY_TYPE_KEY_LENGTH,
  isActivityTypeKey,
  isAvailableActivityType,
  type AvailableActivityType,
} from './activity-types/available-types';
export { ActivitiesCoreModule } from './activities-core.module';
export {
  ActivityWriteHooks,
  ActivityTallies,
  type ActivityWriteHook,
  type StoredActivity,
  type ActivityQuarterTally,
} from './events/activity-write.hooks';
export { EventIngestionService, type RejectionCode } from './events/event-ingestion.service';
export { EventDto, IngestResultDto, MAX_EVENTS_PER_BATCH } from './events/event.dto';
export { BatchTooLargeError, UnknownActivityTypeError } from './activities.errors';
export { ConversationDto } from './conversations/conversation.dto';
export { TimelineItemDto } from './timeline/timeline.dto';
