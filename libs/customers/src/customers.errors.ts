import { DomainError, NotFoundError } from '@cdp/platform';

/** `(channel, identifier)` is taken within the app (FEATURES.md C1). */
export class CustomerExistsError extends DomainError {
  readonly code = 'customer_exists';
  readonly kind = 'conflict' as const;
  constructor(details?: { channelId: string; identifier: string; customerId?: string }) {
    super('A customer with this identifier already exists on this channel', [], details);
  }
}

/** No customer with this id in the app (another app's customer is not found either). */
export class CustomerNotFoundError extends NotFoundError {
  constructor() {
    super('Customer');
  }
}

/** No property definition with this key in the app. */
export class PropertyDefinitionNotFoundError extends NotFoundError {
  constructor() {
    super('Customer property');
  }
}
