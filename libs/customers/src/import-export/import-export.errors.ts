import { DomainError, NotFoundError, type FieldIssue } from '@cdp/platform';

/** IE3: more data rows than one import takes; nothing is stored. */
export class ImportTooManyRowsError extends DomainError {
  readonly code = 'import_too_many_rows';
  readonly kind = 'invalid' as const;
  constructor(max: number, found: number) {
    super(`A file may hold at most ${max} customers; this one has ${found} data rows. Split it and upload the parts.`, [
      { field: 'file', code: 'import_too_many_rows', message: `at most ${max} data rows (found ${found})` },
    ]);
  }
}

/** IE3: a required column is missing, or a column is unknown or repeated. */
export class ImportInvalidHeaderError extends DomainError {
  readonly code = 'import_invalid_header';
  readonly kind = 'invalid' as const;
  constructor(message: string, errors: FieldIssue[]) {
    super(message, errors);
  }
}

export class ImportNotFoundError extends NotFoundError {
  constructor() {
    super('Import');
  }
}

export class ExportNotFoundError extends NotFoundError {
  constructor() {
    super('Export');
  }
}

/**
 * A multipart body that cannot be read to its end (cut before its closing boundary, or garbled): 400 with
 * `malformed_json`, API.md's code for a request body that cannot be read.
 */
export class MalformedUploadError extends DomainError {
  readonly code = 'malformed_json';
  readonly kind = 'bad_request' as const;
  constructor() {
    super('The multipart body could not be read to its end: it is cut short or malformed');
  }
}
