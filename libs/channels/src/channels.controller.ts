import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Can, CurrentIdentity, type Identity } from '@cdp/access';
import { ApiProblems } from '@cdp/platform';
import { ChannelsService } from './channels.service';
import { ChannelDto, ChannelTypeDto, CreateChannelDto, toChannelDto, UpdateChannelDto } from './dto/channel.dto';

const ID_PARAM = { name: 'id', format: 'uuid', description: "The channel's id (another app's channel is not found)" };

@ApiTags('Channels')
@ApiBearerAuth()
@Controller('v1')
export class ChannelsController {
  constructor(private readonly channels: ChannelsService) {}

  @Get('channel-types')
  @Can('read', 'Channel')
  @ApiOperation({
    operationId: 'listChannelTypes',
    summary: 'The channel types this server supports',
    description: 'Each with the customer sources it allows and its identifier format.',
  })
  @ApiOkResponse({ type: [ChannelTypeDto] })
  @ApiProblems(401, 403)
  types(): ChannelTypeDto[] {
    return this.channels.types();
  }

  @Get('channels')
  @Can('read', 'Channel')
  @ApiOperation({ operationId: 'listChannels', summary: "The app's channels", description: 'Oldest first; a bare array.' })
  @ApiOkResponse({ type: [ChannelDto] })
  @ApiProblems(401, 403)
  async list(@CurrentIdentity() me: Identity): Promise<ChannelDto[]> {
    return (await this.channels.list(me.appId)).map(toChannelDto);
  }

  @Get('channels/:id')
  @Can('read', 'Channel')
  @ApiOperation({ operationId: 'getChannel', summary: 'One channel' })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: ChannelDto })
  @ApiProblems(401, 403, 404)
  async get(@CurrentIdentity() me: Identity, @Param('id') id: string): Promise<ChannelDto> {
    return toChannelDto(await this.channels.get(me.appId, id));
  }

  @Post('channels')
  @Can('create', 'Channel')
  @ApiOperation({
    operationId: 'createChannel',
    summary: 'Integrate a channel instance (admin)',
    description: "The config is validated by the type's adapter; defaults are filled in.",
  })
  @ApiCreatedResponse({ type: ChannelDto })
  @ApiProblems(401, 403, 422)
  async create(@CurrentIdentity() me: Identity, @Body() body: CreateChannelDto): Promise<ChannelDto> {
    return toChannelDto(await this.channels.create(me.appId, body));
  }

  @Patch('channels/:id')
  @Can('update', 'Channel')
  @ApiOperation({
    operationId: 'updateChannel',
    summary: 'Rename or reconfigure a channel (admin)',
    description: 'The type cannot change. Changing config.identifierType while the channel has customers: 409 channel_in_use.',
  })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: ChannelDto })
  @ApiProblems(401, 403, 404, 409, 422)
  async update(@CurrentIdentity() me: Identity, @Param('id') id: string, @Body() body: UpdateChannelDto): Promise<ChannelDto> {
    return toChannelDto(await this.channels.update(me.appId, id, body));
  }

  @Delete('channels/:id')
  @HttpCode(204)
  @Can('delete', 'Channel')
  @ApiOperation({
    operationId: 'deleteChannel',
    summary: 'Remove a channel (admin)',
    description: 'Refused with 409 channel_in_use while the channel has customers.',
  })
  @ApiParam(ID_PARAM)
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiProblems(401, 403, 404, 409)
  async remove(@CurrentIdentity() me: Identity, @Param('id') id: string): Promise<void> {
    await this.channels.remove(me.appId, id);
  }
}
