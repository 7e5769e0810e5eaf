import { DynamicModule, Module } from '@nestjs/common';
import { CustomersModule } from '@cdp/customers';
import { DeliveryJobHandler } from './delivery.job';
import { ErasedDeliveries } from './erased-deliveries';
import { UrlGuard } from './url-guard';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookEventsHandler } from './webhook-events.handler';
import { WebhookSender } from './webhook-sender';
import { WebhooksController } from './webhooks.controller';
import { resolveWebhooksOptions, WEBHOOKS_OPTIONS, type WebhooksOptions } from './webhooks.options';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

/**
 * Signed outgoing webhooks (API.md "Webhooks", X12): the endpoints, the outbox handler that turns domain
 * events into deliveries, the dispatcher and the delivery job. Needs the global PlatformModule, AccessModule.
 */
@Module({})
export class WebhooksModule {
  static forRoot(options: WebhooksOptions = {}): DynamicModule {
    return {
      module: WebhooksModule,
      imports: [CustomersModule],
      controllers: [WebhooksController],
      providers: [
        { provide: WEBHOOKS_OPTIONS, useValue: resolveWebhooksOptions(options) },
        WebhooksRepository,
        UrlGuard,
        WebhookSender,
        WebhookDispatcher,
        WebhookEventsHandler,
        DeliveryJobHandler,
        WebhooksService,
        ErasedDeliveries,
      ],
      exports: [WebhooksService],
    };
  }
}
