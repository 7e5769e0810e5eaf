// The only public face of the webhooks lib (DESIGN.md "Layout").
export { WebhooksModule } from './webhooks.module';
export { WebhooksService, MAX_WEBHOOKS_PER_APP } from './webhooks.service';
export { DEFAULT_RETRY_SCHEDULE_MS, type WebhooksOptions } from './webhooks.options';
export { WEBHOOK_EVENT_TYPES, TEST_EVENT_TYPE, ALL_EVENTS, type WebhookEventType } from './event-types';
export { signatureHeaders, newSecret, SECRET_PREFIX } from './signing';
export { isBlockedAddress } from './url-guard';
export { WebhookNotFoundError, WebhookDeliveryNotFoundError, WebhookUrlNotAllowedError } from './webhooks.errors';
export {
  CreateWebhookDto,
  UpdateWebhookDto,
  WebhookDto,
  CreatedWebhookDto,
  WebhookSecretDto,
  WebhookDeliveryDto,
  WebhookDeliveryPageDto,
  ListDeliveriesQueryDto,
  DELIVERY_STATUSES,
} from './dto/webhook.dto';
