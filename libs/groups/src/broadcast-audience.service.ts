import { Injectable } from '@nestjs/common';
import { SettingsService } from '@cdp/access';
import { CustomersService } from '@cdp/customers';
import type { BroadcastAudienceDto } from './dto/group.dto';
import { GroupNotFoundError, PlanRequiredError } from './groups.errors';
import { GroupsRepository } from './groups.repository';

/**
 * G4: who a broadcast to a group would reach, linked customers reduced to one recipient each, customers who
 * opted out left out (X9). Only for apps on the Enterprise plan (set by the platform operator).
 */
@Injectable()
export class BroadcastAudienceService {
  constructor(
    private readonly repo: GroupsRepository,
    private readonly customers: CustomersService,
    private readonly settings: SettingsService,
  ) {}

  async audience(appId: string, groupId: string): Promise<BroadcastAudienceDto> {
    // Tenancy first: another app's group is 404 whatever this app's plan, so the plan answer says nothing of it.
    const group = await this.repo.get(appId, groupId);
    if (!group) throw new GroupNotFoundError();
    if ((await this.settings.get(appId)).plan !== 'enterprise') throw new PlanRequiredError();
    const { recipients, excludedOptedOut } = await this.customers.recipients(appId, this.repo.memberIds(appId, group.id));
    return { recipients, memberCount: Number(group.member_count), recipientCount: recipients.length, excludedOptedOut };
  }
}
