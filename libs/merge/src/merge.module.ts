import { Module } from '@nestjs/common';
import { ChannelsModule } from '@cdp/channels';
import { CustomersModule } from '@cdp/customers';
import { DuplicatesRepository } from './duplicates/duplicates.repository';
import { DuplicatesService } from './duplicates/duplicates.service';
import { MergeController } from './merge.controller';
import { MergeRepository } from './merge.repository';
import { MergeService } from './merge.service';

/**
 * Linked customers: merge, unmerge, main channel, the combined profile and duplicate suggestions. Registers a
 * customer deletion hook that ends a set left with one member. Needs the global PlatformModule, AccessModule
 * and CqrsModule.
 */
@Module({
  imports: [ChannelsModule, CustomersModule],
  controllers: [MergeController],
  providers: [MergeRepository, MergeService, DuplicatesRepository, DuplicatesService],
  exports: [MergeService, DuplicatesService],
})
export class MergeModule {}
