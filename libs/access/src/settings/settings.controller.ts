import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, CurrentIdentity, OperatorOnly } from '../decorators';
import type { Identity } from '../identity';
import { ApiProblems } from '@cdp/platform';
import { CustomerSettingsDto, OperatorSettingsDto, UpdateCustomerSettingsDto } from './settings.dto';
import { SettingsService } from './settings.service';

@ApiTags('Settings')
@ApiBearerAuth()
@Controller('v1')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get('settings/customers')
  @Can('read', 'Settings')
  @ApiOperation({ operationId: 'getCustomerSettings', summary: "The app's customer settings (every role)" })
  @ApiOkResponse({ type: CustomerSettingsDto })
  @ApiProblems(401, 403)
  get(@CurrentIdentity() id: Identity) {
    return this.settings.get(id.appId);
  }

  @Patch('settings/customers')
  @Can('update', 'Settings')
  @ApiOperation({ operationId: 'updateCustomerSettings', summary: 'Change agentCanImportExport, timezone or defaultCountry (admin)' })
  @ApiOkResponse({ type: CustomerSettingsDto })
  @ApiProblems(401, 403, 422)
  update(@CurrentIdentity() id: Identity, @Body() body: UpdateCustomerSettingsDto) {
    return this.settings.update(id, body);
  }

  @Patch('operator/apps/:appId/settings')
  @OperatorOnly()
  @Can('update', 'OperatorSettings')
  @ApiOperation({ operationId: 'updateAppSettings', summary: "Set an app's plan and group member limit (platform operator)" })
  @ApiOkResponse({ type: CustomerSettingsDto })
  @ApiProblems(401, 403, 422)
  operatorUpdate(@CurrentIdentity() id: Identity, @Param('appId') appId: string, @Body() body: OperatorSettingsDto) {
    return this.settings.updateByOperator(id, appId, body);
  }
}
