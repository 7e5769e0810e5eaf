import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Can, CurrentIdentity, type Identity } from '@cdp/access';
import { ApiProblems, type Page } from '@cdp/platform';
import {
  CreatedWebhookDto,
  CreateWebhookDto,
  ListDeliveriesQueryDto,
  UpdateWebhookDto,
  WebhookDeliveryDto,
  WebhookDeliveryPageDto,
  WebhookDto,
  WebhookSecretDto,
} from './dto/webhook.dto';
import { WebhooksService } from './webhooks.service';

@ApiTags('Webhooks')
@ApiBearerAuth()
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @Can('create', 'Webhook')
  @ApiOperation({
    operationId: 'createWebhook',
    summary: 'Register an endpoint for signed event deliveries; its secret is shown only here',
  })
  @ApiBody({
    type: CreateWebhookDto,
    examples: {
      some: {
        summary: 'Chosen events',
        value: { url: 'https://example.com/cdp-webhooks', events: ['customer.created', 'customer.merged'] },
      },
      all: {
        summary: 'Every event',
        value: { url: 'https://example.com/cdp-webhooks', events: ['*'], description: 'Data warehouse sync' },
      },
    },
  })
  @ApiCreatedResponse({ type: CreatedWebhookDto })
  @ApiProblems(401, 403, 422)
  create(@CurrentIdentity() who: Identity, @Body() body: CreateWebhookDto): Promise<CreatedWebhookDto> {
    return this.webhooks.create(who.appId, body);
  }

  @Get()
  @Can('read', 'Webhook')
  @ApiOperation({ operationId: 'listWebhooks', summary: "The app's webhooks, oldest first (secrets are never listed)" })
  @ApiOkResponse({ type: [WebhookDto] })
  @ApiProblems(401, 403)
  list(@CurrentIdentity() who: Identity): Promise<WebhookDto[]> {
    return this.webhooks.list(who.appId);
  }

  @Get(':id')
  @Can('read', 'Webhook')
  @ApiOperation({ operationId: 'getWebhook', summary: 'A webhook' })
  @ApiOkResponse({ type: WebhookDto })
  @ApiProblems(401, 403, 404)
  get(@CurrentIdentity() who: Identity, @Param('id') id: string): Promise<WebhookDto> {
    return this.webhooks.get(who.appId, id);
  }

  @Patch(':id')
  @Can('update', 'Webhook')
  @ApiOperation({ operationId: 'updateWebhook', summary: 'Change the URL, events or description, or disable and enable deliveries' })
  @ApiOkResponse({ type: WebhookDto })
  @ApiProblems(401, 403, 404, 422)
  update(@CurrentIdentity() who: Identity, @Param('id') id: string, @Body() body: UpdateWebhookDto): Promise<WebhookDto> {
    return this.webhooks.update(who.appId, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @Can('delete', 'Webhook')
  @ApiOperation({ operationId: 'deleteWebhook', summary: 'Delete a webhook and its delivery log' })
  @ApiNoContentResponse()
  @ApiProblems(401, 403, 404)
  async remove(@CurrentIdentity() who: Identity, @Param('id') id: string): Promise<void> {
    await this.webhooks.delete(who.appId, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @Can('update', 'Webhook')
  @ApiOperation({ operationId: 'rotateWebhookSecret', summary: 'Replace the signing secret; the new one is shown only here' })
  @ApiOkResponse({ type: WebhookSecretDto })
  @ApiProblems(401, 403, 404)
  rotateSecret(@CurrentIdentity() who: Identity, @Param('id') id: string): Promise<WebhookSecretDto> {
    return this.webhooks.rotateSecret(who.appId, id);
  }

  @Post(':id/test')
  @HttpCode(202)
  @Can('update', 'Webhook')
  @ApiOperation({ operationId: 'testWebhook', summary: 'Queue a signed webhook.test delivery to the endpoint' })
  @ApiAcceptedResponse({ type: WebhookDeliveryDto })
  @ApiProblems(401, 403, 404)
  test(@CurrentIdentity() who: Identity, @Param('id') id: string): Promise<WebhookDeliveryDto> {
    return this.webhooks.test(who.appId, id);
  }

  @Get(':id/deliveries')
  @Can('read', 'Webhook')
  @ApiOperation({ operationId: 'listWebhookDeliveries', summary: 'The delivery log, newest first' })
  @ApiOkResponse({ type: WebhookDeliveryPageDto })
  @ApiProblems(401, 403, 404, 422)
  deliveries(
    @CurrentIdentity() who: Identity,
    @Param('id') id: string,
    @Query() q: ListDeliveriesQueryDto,
  ): Promise<Page<WebhookDeliveryDto>> {
    return this.webhooks.deliveries(who.appId, id, q);
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @Can('update', 'Webhook')
  @ApiOperation({ operationId: 'redeliverWebhookDelivery', summary: 'Send a delivery again: same body and webhook-id, fresh attempts' })
  @ApiAcceptedResponse({ type: WebhookDeliveryDto })
  @ApiProblems(401, 403, 404)
  redeliver(
    @CurrentIdentity() who: Identity,
    @Param('id') id: string,
    @Param('deliveryId') deliveryId: string,
  ): Promise<WebhookDeliveryDto> {
    return this.webhooks.redeliver(who.appId, id, deliveryId);
  }
}
