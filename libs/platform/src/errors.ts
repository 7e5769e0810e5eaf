/**
 * Domain errors: libs throw these, never HTTP exceptions. The single problem-details filter in apps/api
 * maps `kind` to a status and `code` to the problem's `code` (API.md "Errors").
 */
export type ErrorKind = 'bad_request' | 'not_found' | 'conflict' | 'invalid' | 'forbidden' | 'unauthorized' | 'too_large' | 'rate_limited';

export interface FieldIssue {
  field: string;
  code: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly kind: ErrorKind;
  constructor(
    message: string,
    readonly errors: FieldIssue[] = [],
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A resource that does not exist, or belongs to another app (tenancy answers 404, never 403). */
export class NotFoundError extends DomainError {
  readonly code = 'not_found';
  readonly kind = 'not_found' as const;
  constructor(resource: string) {
    super(`${resource} not found`);
  }
}

/** Input that breaks a rule beyond DTO syntax; `errors` says which field. */
export class ValidationFailedError extends DomainError {
  readonly code = 'validation_failed';
  readonly kind = 'invalid' as const;
  constructor(message: string, errors: FieldIssue[] = []) {
    super(message, errors);
  }
}

export class InvalidCursorError extends DomainError {
  readonly code = 'invalid_cursor';
  readonly kind = 'invalid' as const;
  constructor() {
    super('The cursor is not valid for this list', [{ field: 'cursor', code: 'invalid_cursor', message: 'cursor is not valid' }]);
  }
}

export class ForbiddenError extends DomainError {
  readonly code: string;
  readonly kind = 'forbidden' as const;
  constructor(message: string, code = 'forbidden') {
    super(message);
    this.code = code;
  }
}

export class UnauthorizedError extends DomainError {
  readonly code = 'unauthorized';
  readonly kind = 'unauthorized' as const;
  constructor(message = 'A valid bearer token is required') {
    super(message);
  }
}

export class PayloadTooLargeError extends DomainError {
  readonly code = 'payload_too_large';
  readonly kind = 'too_large' as const;
}

/** A body a retry cannot fix (400): `malformed_json`, or `payload_too_large` where senders retry a 413 (Segment SDKs). */
export class BadRequestError extends DomainError {
  readonly kind = 'bad_request' as const;
  constructor(
    readonly code: 'malformed_json' | 'payload_too_large',
    message: string,
  ) {
    super(message);
  }
}

/** Too many requests for this credential (429 `rate_limited`); the HTTP layer sets `Retry-After`. */
export class RateLimitedError extends DomainError {
  readonly code = 'rate_limited';
  readonly kind = 'rate_limited' as const;
}
