import { Injectable } from '@nestjs/common';

/** Answers whether a channel of an app still has customers (or anything else that depends on it). */
export type ChannelUsageProbe = (appId: string, channelId: string) => Promise<boolean>;

/**
 * Lets the libs above channels say that a channel is in use without channels importing them: the customers
 * lib registers a probe at start-up. With no probe registered, no channel is in use.
 */
@Injectable()
export class ChannelUsageRegistry {
  private readonly probes: ChannelUsageProbe[] = [];

  register(probe: ChannelUsageProbe): void {
    this.probes.push(probe);
  }

  async inUse(appId: string, channelId: string): Promise<boolean> {
    const answers = await Promise.all(this.probes.map((probe) => probe(appId, channelId)));
    return answers.some(Boolean);
  }
}
