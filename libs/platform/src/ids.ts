import { v7, validate, version } from 'uuid';

/** Time-ordered ids (UUIDv7) keep index inserts on the right-hand pages (PERFORMANCE.md rule 6). */
export const newId = (): string => v7();

/** True for any syntactically valid UUID (v4 or v7): ids given by clients are checked before reaching SQL. */
export const isUuid = (s: unknown): s is string => typeof s === 'string' && validate(s) && version(s) >= 1;
