import { DomainError, NotFoundError } from '@cdp/platform';

/** No webhook with this id in the app (another app's webhook is not found either). */
export class WebhookNotFoundError extends NotFoundError {
  constructor() {
    super('Webhook');
  }
}

export class WebhookDeliveryNotFoundError extends NotFoundError {
  constructor() {
    super('Webhook delivery');
  }
}

/** API.md: the URL's host is, or resolves to, a private, loopback or link-local address (and that is not allowed). */
export class WebhookUrlNotAllowedError extends DomainError {
  readonly code = 'webhook_url_not_allowed';
  readonly kind = 'invalid' as const;
  constructor(reason: string) {
    super(reason, [{ field: 'url', code: 'webhook_url_not_allowed', message: reason }]);
  }
}
