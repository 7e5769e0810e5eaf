import { DynamicModule, Module } from '@nestjs/common';
import { API_KEY_VERIFIER } from '@cdp/access';
import { ChannelsModule } from '@cdp/channels';
import { CustomersModule } from '@cdp/customers';
import { MergeModule } from '@cdp/merge';
import { ActivitiesCoreModule } from './activities-core.module';
import { ACTIVITIES_OPTIONS, type ActivitiesModuleOptions } from './activities.options';
import { ActivityTypesController } from './activity-types/activity-types.controller';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { ApiKeysRepository } from './api-keys/api-keys.repository';
import { ApiKeysService } from './api-keys/api-keys.service';
import { ConversationProjector } from './conversations/conversation-projector';
import { ConversationsController } from './conversations/conversations.controller';
import { ConversationsRepository } from './conversations/conversations.repository';
import { ConversationsService } from './conversations/conversations.service';
import { ActivitiesRepository } from './events/activities.repository';
import { ActivityWriter } from './events/activity-writer';
import { CustomerCreatedHandler } from './events/customer-created.handler';
import { EventIngestionService } from './events/event-ingestion.service';
import { EventsController } from './events/events.controller';
import { ActivityFilterCondition } from './filter/activity-filter.condition';
import { ErasedCopies } from './rejections/erased-copies';
import { EventRejectionsController } from './rejections/event-rejections.controller';
import { PurgeRejectionsJob, PurgeRejectionsScheduler } from './rejections/event-rejections.purge';
import { EventRejectionsService } from './rejections/event-rejections.service';
import { SegmentController } from './segment/segment.controller';
import { SegmentIngestionService } from './segment/segment-ingestion.service';
import { CustomerActivityReader } from './timeline/customer-activity-reader';
import { TimelineController } from './timeline/timeline.controller';
import { TimelineRepository } from './timeline/timeline.repository';
import { TimelineService } from './timeline/timeline.service';

/**
 * Activity types, API keys, event ingestion, timelines and conversation history. Provides the auth guard's
 * `API_KEY_VERIFIER` (exported, so the guard declared in AppModule receives it), contributes the filter's
 * `activity` condition, and records `customer.created` for every new customer. Needs the global
 * PlatformModule, AccessModule and CqrsModule.
 */
@Module({})
export class ActivitiesModule {
  static forRoot(options: ActivitiesModuleOptions): DynamicModule {
    return {
      module: ActivitiesModule,
      imports: [ChannelsModule, CustomersModule, MergeModule, ActivitiesCoreModule],
      controllers: [
        ActivityTypesController,
        ApiKeysController,
        EventsController,
        TimelineController,
        ConversationsController,
        EventRejectionsController,
        SegmentController,
      ],
      providers: [
        { provide: ACTIVITIES_OPTIONS, useValue: options },
        ApiKeysRepository,
        ApiKeysService,
        { provide: API_KEY_VERIFIER, useExisting: ApiKeysService },
        ActivitiesRepository,
        ActivityWriter,
        ConversationsRepository,
        ConversationProjector,
        ConversationsService,
        EventIngestionService,
        CustomerCreatedHandler,
        TimelineRepository,
        TimelineService,
        ActivityFilterCondition,
        EventRejectionsService,
        ErasedCopies,
        PurgeRejectionsJob,
        PurgeRejectionsScheduler,
        SegmentIngestionService,
        CustomerActivityReader,
      ],
      exports: [API_KEY_VERIFIER, ActivitiesCoreModule, EventIngestionService, CustomerActivityReader],
    };
  }
}
