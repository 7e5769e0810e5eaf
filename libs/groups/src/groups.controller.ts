import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, CurrentIdentity, type Identity } from '@cdp/access';
import type { CustomerResponseDto } from '@cdp/customers';
import { ApiProblems, PageQueryDto, type Page } from '@cdp/platform';
import { BroadcastAudienceService } from './broadcast-audience.service';
import {
  AddMembersDto,
  AddMembersResultDto,
  BroadcastAudienceDto,
  CreatedGroupDto,
  CreateGroupDto,
  GroupDto,
  GroupPageDto,
  ListGroupsQueryDto,
  MemberPageDto,
  RemoveMembersDto,
  RemoveMembersResultDto,
  UpdateGroupDto,
} from './dto/group.dto';
import { GroupsService } from './groups.service';

@ApiTags('Groups')
@ApiBearerAuth()
@Controller('v1/groups')
export class GroupsController {
  constructor(
    private readonly groups: GroupsService,
    private readonly audiences: BroadcastAudienceService,
  ) {}

  @Post()
  @Can('create', 'Group')
  @ApiOperation({ operationId: 'createGroup', summary: 'Create a group from chosen customers or from every customer matching a filter' })
  @ApiBody({
    type: CreateGroupDto,
    examples: {
      ids: {
        summary: 'From chosen customers',
        value: { name: 'VIP Jakarta', description: 'Met at the launch', customerIds: ['0193c0de-5a1b-7c3d-9e4f-0a1b2c3d4e5f'] },
      },
      filter: {
        summary: 'From every customer a filter matches',
        value: { name: 'WhatsApp VIPs', filter: { channelTypes: ['wa'], tags: ['vip'] } },
      },
    },
  })
  @ApiCreatedResponse({ type: CreatedGroupDto })
  @ApiProblems(401, 403, 422)
  create(@CurrentIdentity() who: Identity, @Body() body: CreateGroupDto): Promise<CreatedGroupDto> {
    return this.groups.create(who, body);
  }

  @Get()
  @Can('read', 'Group')
  @ApiOperation({ operationId: 'listGroups', summary: "The app's groups, newest first" })
  @ApiOkResponse({ type: GroupPageDto })
  @ApiProblems(401, 403, 422)
  list(@CurrentIdentity() who: Identity, @Query() q: ListGroupsQueryDto): Promise<Page<GroupDto>> {
    return this.groups.list(who.appId, q);
  }

  @Get(':id')
  @Can('read', 'Group')
  @ApiOperation({ operationId: 'getGroup', summary: 'A group' })
  @ApiOkResponse({ type: GroupDto })
  @ApiProblems(401, 403, 404)
  get(@CurrentIdentity() who: Identity, @Param('id') id: string): Promise<GroupDto> {
    return this.groups.get(who.appId, id);
  }

  @Patch(':id')
  @Can('update', 'Group')
  @ApiOperation({ operationId: 'updateGroup', summary: 'Rename a group or change its description' })
  @ApiOkResponse({ type: GroupDto })
  @ApiProblems(401, 403, 404, 422)
  update(@CurrentIdentity() who: Identity, @Param('id') id: string, @Body() body: UpdateGroupDto): Promise<GroupDto> {
    return this.groups.update(who.appId, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @Can('delete', 'Group')
  @ApiOperation({ operationId: 'deleteGroup', summary: 'Delete a group (its customers stay)' })
  @ApiNoContentResponse()
  @ApiProblems(401, 403, 404)
  async remove(@CurrentIdentity() who: Identity, @Param('id') id: string): Promise<void> {
    await this.groups.delete(who, id);
  }

  @Get(':id/members')
  @Can('read', 'Group')
  @ApiOperation({ operationId: 'listGroupMembers', summary: 'The members, most recently added first' })
  @ApiOkResponse({ type: MemberPageDto })
  @ApiProblems(401, 403, 404, 422)
  members(@CurrentIdentity() who: Identity, @Param('id') id: string, @Query() q: PageQueryDto): Promise<Page<CustomerResponseDto>> {
    return this.groups.members(who.appId, id, q);
  }

  @Post(':id/members')
  @HttpCode(200)
  @Can('update', 'Group')
  @ApiOperation({ operationId: 'addGroupMembers', summary: 'Add chosen customers or every customer matching a filter' })
  @ApiOkResponse({ type: AddMembersResultDto })
  @ApiProblems(401, 403, 404, 422)
  addMembers(@CurrentIdentity() who: Identity, @Param('id') id: string, @Body() body: AddMembersDto): Promise<AddMembersResultDto> {
    return this.groups.addMembers(who, id, body);
  }

  @Post(':id/members/remove')
  @HttpCode(200)
  @Can('update', 'Group')
  @ApiOperation({ operationId: 'removeGroupMembers', summary: 'Remove chosen members' })
  @ApiOkResponse({ type: RemoveMembersResultDto })
  @ApiProblems(401, 403, 404, 422)
  removeMembers(
    @CurrentIdentity() who: Identity,
    @Param('id') id: string,
    @Body() body: RemoveMembersDto,
  ): Promise<RemoveMembersResultDto> {
    return this.groups.removeMembers(who, id, body.customerIds);
  }

  @Get(':id/broadcast-audience')
  @Can('read', 'BroadcastAudience')
  @ApiOperation({
    operationId: 'getBroadcastAudience',
    summary: 'Who a broadcast to the group reaches: one recipient per person (Enterprise plan)',
  })
  @ApiOkResponse({ type: BroadcastAudienceDto })
  @ApiProblems(401, 403, 404)
  audience(@CurrentIdentity() who: Identity, @Param('id') id: string): Promise<BroadcastAudienceDto> {
    return this.audiences.audience(who.appId, id);
  }
}
