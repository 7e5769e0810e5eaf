import { Module } from '@nestjs/common';
import { ChannelsModule } from '@cdp/channels';
import { CustomersModule } from '@cdp/customers';
import { DuplicatesService } from './duplicates/duplicates.service';
import { MergeController } from './merge.controller';
import { MergeRepository } from './merge.repository';
import { MergeService } from './merge.service';

/**
 * Linked customers: merge, unmerge, main channel, the combined profile and duplicate suggestions. Registers a
 * customer deletion hook that ends a set left with one member. Needs the global PlatformModule and AccessModule.
 */
@Module({
  imports: [ChannelsModule, CustomersModule],
  controllers: [MergeController],
  providers: [MergeRepository, MergeService, DuplicatesService],
  exports: [MergeService, DuplicatesService],
})
export class MergeModule {}
