export * from './errors';
export * from './ids';
export * from './cursor';
export * from './database/sql';
export * from './database/database.options';
export {
  DatabaseModule,
  DATABASE_OPTIONS,
  SNAPSHOT_DEFAULTS,
  buildOrmOptions,
  closeHolder,
  type PgliteHolder,
} from './database/database.module';
export { openPglite } from './database/pglite';
export { PG_SESSION_SETTINGS, pgSessionOptions } from './database/session-settings';
export { openEmbedded, restoreFromSnapshot, type EmbeddedDatabase, type EmbeddedOptions } from './database/embedded';
export { assertDataDirFree, lockDataDir, DataDirLockedError } from './database/data-dir-lock';
export { SnapshotStore, type Snapshot } from './database/snapshots';
export { Db, EMBEDDED_PART_SIZE, Tx, isUniqueViolation } from './database/db';
export { EmbeddedMaintenance, upkeepOf, type TableState, type Upkeep } from './database/embedded-maintenance';
export { retrying, isRetryableConflict, isForeignKeyViolation } from './database/retry';
export { DomainEvent, EventType } from './outbox/domain-event';
export { DomainEventHandler, type DomainEventHandlerContract, type DomainEventHandlerOptions } from './outbox/domain-event-handler';
export { OutboxRelay, holdOutboxRelay } from './outbox/outbox.relay';
export { markPendingOfTypeHandled } from './outbox/outbox.store';
export type { OutboxOptions } from './outbox/outbox.options';
export { PlatformModule, type PlatformOptions } from './platform.module';
export * from './page.dto';
export * from './problems';
export { JobRunner } from './jobs/job-runner';
export { JobHandler } from './jobs/job-handler.decorator';
export { JobHandlerError } from './jobs/job-handler.registry';
export type { JobHandlerContract, JobContext, EnqueueOptions, JobsOptions } from './jobs/jobs.types';
export { MailService } from './mail/mail.service';
export type { MailMessage, MailAttachment, MailOptions } from './mail/mail.types';
export * from './input';
