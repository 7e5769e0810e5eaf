import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BUILT_IN_ADAPTERS } from './adapters';
import { ChannelRegistry } from './channel.registry';
import { ChannelUsageRegistry } from './channel-usage.registry';
import { ChannelsController } from './channels.controller';
import { ChannelsRepository } from './channels.repository';
import { ChannelsService } from './channels.service';

/**
 * Channel types (adapters found by discovery) and the app's channel instances. A channel plugin from
 * outside is a module of its own, providing its `@ChannelPlugin` class, imported in AppModule.
 * Needs `Db` from the global PlatformModule.
 */
@Module({
  imports: [DiscoveryModule],
  controllers: [ChannelsController],
  providers: [ChannelRegistry, ChannelUsageRegistry, ChannelsRepository, ChannelsService, ...BUILT_IN_ADAPTERS],
  exports: [ChannelsService, ChannelRegistry, ChannelUsageRegistry],
})
export class ChannelsModule {}
