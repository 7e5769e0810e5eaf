/**
 * The event types a webhook can subscribe to (API.md "Webhooks"). Each is fed by the domain event of the
 * same name once the feature that records it exists; until then the name is accepted in a subscription and
 * simply never fires. `webhook.test` is sent by `POST /webhooks/:id/test` whatever the subscription.
 */
export const WEBHOOK_EVENT_TYPES = [
  'customer.created',
  'customer.updated',
  'customer.deleted',
  'customer.erased',
  'customer.merged',
  'customer.unmerged',
  'customer.main_channel_changed',
  'customer.consent_changed',
  'group.created',
  'group.updated',
  'group.deleted',
  'group.members_added',
  'group.members_removed',
  'import.completed',
  'export.completed',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const TEST_EVENT_TYPE = 'webhook.test';

/** Subscribes to every event type, present and future. */
export const ALL_EVENTS = '*';

export const isWebhookEventType = (v: unknown): v is WebhookEventType =>
  typeof v === 'string' && (WEBHOOK_EVENT_TYPES as readonly string[]).includes(v);
