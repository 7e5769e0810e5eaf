import { DomainError, ValidationFailedError } from '@cdp/platform';

/** More events in one batch than the ingestion API takes; nothing of the batch is stored. */
export class BatchTooLargeError extends DomainError {
  readonly code = 'batch_too_large';
  readonly kind = 'invalid' as const;
  constructor(max: number, got: number) {
    super(`A batch takes at most ${max} events (got ${got}); nothing was stored`, [
      { field: 'events', code: 'batch_too_large', message: `at most ${max} events per batch` },
    ]);
  }
}

/** The activity types named (in a filter or a timeline query) that the app does not know. */
export class UnknownActivityTypeError extends ValidationFailedError {
  constructor(field: string, keys: string[]) {
    super(
      'Unknown activity type',
      keys.map((k) => ({ field, code: 'unknown_activity_type', message: `"${k}" is not an activity type of this app` })),
    );
  }
}
