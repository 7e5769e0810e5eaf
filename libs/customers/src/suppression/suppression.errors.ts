import { DomainError, NotFoundError } from '@cdp/platform';

/** The person was erased and is suppressed: a new customer matching a suppression is refused (API.md "Data rights"). */
export class IdentitySuppressedError extends DomainError {
  readonly code = 'identity_suppressed';
  readonly kind = 'invalid' as const;
  constructor() {
    super('This identity, e-mail or phone number belongs to an erased person and is suppressed; an admin may lift the suppression', [
      { field: 'identifier', code: 'identity_suppressed', message: 'matches a suppression of an erased person' },
    ]);
  }
}

export class SuppressionNotFoundError extends NotFoundError {
  constructor() {
    super('Suppression');
  }
}
