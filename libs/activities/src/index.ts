// The only public face of the activities lib (DESIGN.md "Layout").
export { ActivitiesModule } from './activities.module';
export type { ActivitiesModuleOptions } from './activities.options';
export { ActivityTypesService, requireAmong } from './activity-types/activity-types.service';
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
export { ActivityWriteHooks, ActivityTallies, type ActivityWriteHook, type StoredActivity } from './events/activity-write.hooks';
export { EventIngestionService, type RejectionCode } from './events/event-ingestion.service';
export { EventDto, IngestResultDto, MAX_EVENTS_PER_BATCH } from './events/event.dto';
export { BatchTooLargeError, UnknownActivityTypeError } from './activities.errors';
export { ConversationDto } from './conversations/conversation.dto';
export { TimelineItemDto } from './timeline/timeline.dto';
export {
  EventRejectionsService,
  REJECTION_RETENTION_DAYS,
  MAX_REJECTED_PAYLOAD_BYTES,
  type Rejection,
} from './rejections/event-rejections.service';
export { PURGE_REJECTIONS_QUEUE } from './rejections/event-rejections.purge';
export { EventRejectionDto } from './rejections/event-rejections.dto';
export { installSegmentHttp, SEGMENT_ROUTE, type SegmentHttpOptions } from './segment/segment-http';
export { SEGMENT_WRITE_KEY_SCHEME } from './segment/segment.controller';
export { SegmentIngestionService, MAX_CUSTOM_ACTIVITY_TYPES } from './segment/segment-ingestion.service';
export { MAX_MESSAGE_BYTES, SEGMENT_BODY_LIMIT, eventKey } from './segment/segment-message';
export { CustomerActivityReader, type ExportedActivity } from './timeline/customer-activity-reader';
