import { Module } from '@nestjs/common';
import { ActivityTypesRepository } from './activity-types/activity-types.repository';
import { ActivityTypesService } from './activity-types/activity-types.service';
import { ActivityTallies, ActivityWriteHooks } from './events/activity-write.hooks';

/**
 * The parts of the activities lib that libs above it use, as one shared instance whatever imports them: the
 * type catalogue, the write hooks (registered on by read models) and the tallies their rebuilds read. Static,
 * so that `ActivitiesModule.forRoot(...)` and the libs above import the same providers.
 */
@Module({
  providers: [ActivityTypesRepository, ActivityTypesService, ActivityWriteHooks, ActivityTallies],
  exports: [ActivityTypesService, ActivityWriteHooks, ActivityTallies],
})
export class ActivitiesCoreModule {}
