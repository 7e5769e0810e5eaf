import { Module } from '@nestjs/common';
import { CustomersModule } from '@cdp/customers';
import { BroadcastAudienceService } from './broadcast-audience.service';
import { CustomerGroupsHandler } from './customer-groups.handler';
import { GroupsController } from './groups.controller';
import { GroupsRepository } from './groups.repository';
import { GroupsService } from './groups.service';

/**
 * Customer groups, their members and the broadcast audience; answers the customers lib's
 * `CustomerGroupsQuery` and keeps member counts exact when a customer is deleted (a deletion hook). Needs the
 * global PlatformModule, AccessModule and CqrsModule.
 */
@Module({
  imports: [CustomersModule],
  controllers: [GroupsController],
  providers: [GroupsRepository, GroupsService, BroadcastAudienceService, CustomerGroupsHandler],
  exports: [GroupsService, BroadcastAudienceService],
})
export class GroupsModule {}
