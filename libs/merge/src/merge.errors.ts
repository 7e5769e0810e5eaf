import { DomainError } from '@cdp/platform';

/** M2: a customer that is already in a linked set cannot be merged into another customer. */
export class CustomerAlreadyLinkedError extends DomainError {
  readonly code = 'customer_already_linked';
  readonly kind = 'conflict' as const;
  constructor(customerIds: string[]) {
    super(
      `Already linked: ${customerIds.join(', ')}. Unmerge a customer before merging it elsewhere.`,
      customerIds.map((id) => ({ field: 'customerIds', code: 'customer_already_linked', message: `customer ${id} is already linked` })),
    );
  }
}

/** Unmerge and main channel need a customer that is in a linked set. */
export class CustomerNotLinkedError extends DomainError {
  readonly code = 'customer_not_linked';
  readonly kind = 'conflict' as const;
  constructor() {
    super('The customer is not linked to other customers');
  }
}

/** M3: a linked set has at most `max` customers. */
export class MergeLimitExceededError extends DomainError {
  readonly code = 'merge_limit_exceeded';
  readonly kind = 'invalid' as const;
  constructor(max: number, wouldBe: number) {
    super(`A linked set has at most ${max} customers; this merge would make ${wouldBe}`, [
      { field: 'customerIds', code: 'merge_limit_exceeded', message: `at most ${max} customers per linked set` },
    ]);
  }
}
