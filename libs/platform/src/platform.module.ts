import { DynamicModule, Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { CURSOR_CODEC, CursorCodec } from './cursor';
import { DatabaseModule } from './database/database.module';
import { Db } from './database/db';
import { EmbeddedMaintenance } from './database/embedded-maintenance';
import { DatabaseOptions } from './database/database.options';
import { JobsModule } from './jobs/jobs.module';
import type { JobsOptions } from './jobs/jobs.types';
import { MailModule } from './mail/mail.module';
import type { MailOptions } from './mail/mail.types';
import { OUTBOX_OPTIONS, resolveOutboxOptions, type OutboxOptions } from './outbox/outbox.options';
import { OutboxRelay } from './outbox/outbox.relay';

export interface PlatformOptions {
  database: DatabaseOptions;
  /** Signs list cursors; derived from the JWT secret by the composition root. */
  cursorSecret: string;
  /** The job port: BullMQ when `jobs.redisUrl` is set, in-process otherwise. */
  jobs?: JobsOptions;
  /** Mail: SMTP when `mail.smtpUrl` is set, `.eml` files under `mail.dataDir/mail` otherwise. */
  mail?: MailOptions;
  /** The transactional outbox's relay (on by default). */
  outbox?: OutboxOptions;
}

/** Infrastructure every lib may use: the database and its outbox, cursor signing, jobs, mail. Nothing domain-specific. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(opts: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      imports: [DatabaseModule.forRoot(opts.database), JobsModule.forRoot(opts.jobs), MailModule.forRoot(opts.mail), DiscoveryModule],
      providers: [
        { provide: CURSOR_CODEC, useValue: new CursorCodec(opts.cursorSecret) },
        Db,
        { provide: OUTBOX_OPTIONS, useValue: resolveOutboxOptions(opts.outbox) },
        OutboxRelay,
        EmbeddedMaintenance,
      ],
      exports: [CURSOR_CODEC, DatabaseModule, Db, JobsModule, MailModule, OutboxRelay, EmbeddedMaintenance],
    };
  }
}
