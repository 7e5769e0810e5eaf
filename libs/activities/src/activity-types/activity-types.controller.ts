import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, CurrentIdentity, type Identity } from '@cdp/access';
import { ApiProblems } from '@cdp/platform';
import { ActivityTypeDto, CreateActivityTypeDto, UpdateActivityTypeDto } from './activity-type.dto';
import { ActivityTypesService } from './activity-types.service';

@ApiTags('Activities')
@ApiBearerAuth()
@Controller('v1/activity-types')
export class ActivityTypesController {
  constructor(private readonly types: ActivityTypesService) {}

  @Get()
  @Can('read', 'ActivityType')
  @ApiOperation({ operationId: 'listActivityTypes', summary: "Available activity types and the app's custom ones (every role)" })
  @ApiOkResponse({ type: [ActivityTypeDto] })
  @ApiProblems(401, 403)
  list(@CurrentIdentity() id: Identity) {
    return this.types.list(id.appId);
  }

  @Post()
  @Can('create', 'ActivityType')
  @ApiOperation({
    operationId: 'createActivityType',
    summary: 'Create a custom activity type (admin); a taken or available key is 422 on `key`',
  })
  @ApiCreatedResponse({ type: ActivityTypeDto })
  @ApiProblems(401, 403, 422)
  create(@CurrentIdentity() id: Identity, @Body() body: CreateActivityTypeDto) {
    return this.types.create(id.appId, body);
  }

  @Patch(':key')
  @Can('update', 'ActivityType')
  @ApiOperation({ operationId: 'updateActivityType', summary: 'Rename or describe a custom activity type (admin); available types: 422' })
  @ApiOkResponse({ type: ActivityTypeDto })
  @ApiProblems(401, 403, 404, 422)
  update(@CurrentIdentity() id: Identity, @Param('key') key: string, @Body() body: UpdateActivityTypeDto) {
    return this.types.update(id.appId, key, body);
  }

  @Delete(':key')
  @HttpCode(204)
  @Can('delete', 'ActivityType')
  @ApiOperation({
    operationId: 'deleteActivityType',
    summary: 'Delete a custom activity type (admin); recorded activities are kept; available types: 422',
  })
  @ApiNoContentResponse()
  @ApiProblems(401, 403, 404, 422)
  async remove(@CurrentIdentity() id: Identity, @Param('key') key: string): Promise<void> {
    await this.types.remove(id.appId, key);
  }
}
