import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, CurrentIdentity, type Identity } from '@cdp/access';
import { ApiProblems } from '@cdp/platform';
import { ApiKeyDto, CreateApiKeyDto, CreatedApiKeyDto } from './api-key.dto';
import { ApiKeysService } from './api-keys.service';

@ApiTags('Activities')
@ApiBearerAuth()
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @Can('create', 'ApiKey')
  @ApiOperation({
    operationId: 'createApiKey',
    summary: 'Create an API key for event ingestion (admin), optionally bound to a channel; the key is shown only in this response',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  @ApiProblems(401, 403, 422)
  create(@CurrentIdentity() id: Identity, @Body() body: CreateApiKeyDto) {
    return this.keys.create(id, body.name, body.channelId);
  }

  @Get()
  @Can('read', 'ApiKey')
  @ApiOperation({ operationId: 'listApiKeys', summary: "The app's active API keys (admin)" })
  @ApiOkResponse({ type: [ApiKeyDto] })
  @ApiProblems(401, 403)
  list(@CurrentIdentity() id: Identity) {
    return this.keys.list(id.appId);
  }

  @Delete(':id')
  @HttpCode(204)
  @Can('delete', 'ApiKey')
  @ApiOperation({ operationId: 'deleteApiKey', summary: 'Revoke an API key (admin); requests with it are refused from then on (401)' })
  @ApiNoContentResponse()
  @ApiProblems(401, 403, 404)
  async revoke(@CurrentIdentity() id: Identity, @Param('id') keyId: string): Promise<void> {
    await this.keys.revoke(id, keyId);
  }
}
