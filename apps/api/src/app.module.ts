import type { PGlite } from '@electric-sql/pglite';
import { DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { createHash, createSecretKey } from 'node:crypto';
import { join } from 'node:path';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AccessModule, PoliciesGuard } from '@cdp/access';
import { ActivitiesModule } from '@cdp/activities';
import { AnalyticsModule } from '@cdp/analytics';
import { ChannelsModule } from '@cdp/channels';
import { CustomersModule, SuppressionSecretModule } from '@cdp/customers';
import { GroupsModule } from '@cdp/groups';
import { MergeModule } from '@cdp/merge';
import { PlatformModule } from '@cdp/platform';
import { WebhooksModule } from '@cdp/webhooks';
import { PrivacyModule } from '@cdp/privacy';
import { AuthGuard, JWT_KEY } from './auth/auth.guard';
import type { Env } from './config/env';
import { HealthModule } from './health/health.module';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { loggedRequestId } from './http/request-id';
import { validationPipe } from './http/validation';
import { MIGRATIONS } from './migrations';

export interface AppOptions {
  /** The resolved JWT secret (`JWT_SECRET`, or the one generated into DATA_DIR). */
  jwtSecret: string;
  /** The resolved suppression secret (`SUPPRESSION_SECRET`, or the one generated into DATA_DIR). */
  suppressionSecret: string;
  /** A pre-opened PGlite (tests); otherwise one is opened in DATA_DIR. */
  pglite?: PGlite;
  /** Extra modules, e.g. a channel plugin a test defines. */
  imports?: ModuleMetadata['imports'];
  /** What holds the embedded database's folder, as a second process is told (default `npm start`). */
  owner?: string;
  /** Run migrations at start-up (default true). */
  migrate?: boolean;
  /** `api` (main.ts: HTTP, and consumes jobs too) or `worker` (worker.ts: consumes jobs only). Default `api`. */
  role?: 'api' | 'worker';
  /** Job options: the BullMQ key prefix (default `cdp`; tests use one per app), and whether this process consumes. */
  jobs?: { prefix?: string; consume?: boolean; recover?: boolean };
  /** The outbox relay (on by default; tests turn it off to stand for a process that dies after its commits). */
  outbox?: { relay?: boolean };
  /** Where the JSON log lines go (default: standard output); tests read them. */
  logStream?: DestinationStream;
}

/** The composition root: every lib, the global pipe, filter and guards (STYLE.md §5). */
@Module({})
export class AppModule {
  static register(env: Env, opts: AppOptions): DynamicModule {
    const cursorSecret = createHash('sha256').update(`cursor:${opts.jwtSecret}`).digest('base64url');
    const activities = ActivitiesModule.forRoot({ inboxBaseUrl: env.INBOX_BASE_URL });
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => ({ env })] }),
        LoggerModule.forRoot({
          pinoHttp: withStream(opts.logStream, {
            level: env.LOG_LEVEL,
            genReqId: loggedRequestId,
            redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.query.token'], censor: '[redacted]' },
            // The line each finished request writes is at `info`: at a higher level it is never written, so the
            // middleware does not follow the response at all (it cost a child logger and listeners per request).
            autoLogging: ['info', 'debug', 'trace'].includes(env.LOG_LEVEL),
            // The app is known once the guard has run (at the request's end, not its start): no binding before.
            // The guard puts the identity on Node's request too, which is the one the logger is given.
            customProps: (req) => {
              const appId = (req as { identity?: { appId: string } }).identity?.appId;
              return (appId === undefined ? undefined : { appId }) as Record<string, string>;
            },
            serializers: {
              req: (req: { id: string; method: string; url: string }) => ({
                id: req.id,
                method: req.method,
                url: req.url?.replace(/token=[^&]+/, 'token=[redacted]'),
              }),
            },
          }),
        }),
        PlatformModule.forRoot({
          cursorSecret,
          database: {
            databaseUrl: env.DATABASE_URL,
            pgliteDataDir: join(env.DATA_DIR, 'pglite'),
            pglite: opts.pglite,
            migrations: MIGRATIONS,
            migrate: opts.migrate ?? true,
            embedded: {
              owner: opts.owner ?? 'npm start',
              snapshotDir: join(env.DATA_DIR, 'snapshots'),
              snapshotKeep: env.SNAPSHOT_KEEP,
              snapshotIntervalMinutes: env.SNAPSHOT_INTERVAL,
            },
          },
          jobs: {
            redisUrl: env.REDIS_URL,
            prefix: opts.jobs?.prefix,
            consume: opts.role === 'worker' ? true : (opts.jobs?.consume ?? true),
            // Alone on its database (the embedded one, held by its lock): what is unfinished was left by a dead process.
            recover: opts.jobs?.recover ?? (!env.DATABASE_URL && !opts.pglite),
          },
          mail: { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM, dataDir: env.DATA_DIR },
          outbox: opts.outbox,
        }),
        CqrsModule.forRoot(),
        AccessModule,
        SuppressionSecretModule.forRoot(opts.suppressionSecret),
        ChannelsModule,
        CustomersModule,
        MergeModule,
        GroupsModule,
        activities,
        PrivacyModule.register(activities),
        WebhooksModule.forRoot({
          allowPrivateUrls: env.WEBHOOK_ALLOW_PRIVATE_URLS,
          retryScheduleMs: env.WEBHOOK_RETRY_SCHEDULE,
          timeoutMs: env.WEBHOOK_TIMEOUT_MS,
        }),
        AnalyticsModule,
        HealthModule.register({ redisUrl: env.REDIS_URL }),
        ...(opts.imports ?? []),
      ],
      providers: [
        { provide: APP_PIPE, useFactory: validationPipe },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: JWT_KEY, useValue: createSecretKey(Buffer.from(opts.jwtSecret, 'utf8')) },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useExisting: PoliciesGuard },
      ],
    };
  }
}

const withStream = <O>(stream: DestinationStream | undefined, options: O): O | [O, DestinationStream] =>
  stream ? [options, stream] : options;
