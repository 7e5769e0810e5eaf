import { Injectable, OnModuleInit } from '@nestjs/common';
import { ChannelUsageRegistry } from '@cdp/channels';
import { CustomersRepository } from './customers.repository';

/** A channel with customers is in use: the channels lib answers 409 `channel_in_use` to deleting or re-typing it. */
@Injectable()
export class CustomerChannelUsage implements OnModuleInit {
  constructor(
    private readonly usage: ChannelUsageRegistry,
    private readonly repo: CustomersRepository,
  ) {}

  onModuleInit(): void {
    this.usage.register((appId, channelId) => this.repo.channelHasCustomers(appId, channelId));
  }
}
