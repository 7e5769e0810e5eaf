import { MikroORM, type Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { PostgreSqlDriver, type SqlEntityManager } from '@mikro-orm/postgresql';
import { DynamicModule, Global, Inject, Injectable, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { PGlite } from '@electric-sql/pglite';
// The driver's type declarations are ESM-only while it ships CommonJS too; load the CommonJS build.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PGliteDriver } = require('mikro-orm-pglite') as typeof import('mikro-orm-pglite', { with: { 'resolution-mode': 'import' } });
import { DatabaseOptions } from './database.options';
import { openEmbedded, type EmbeddedDatabase } from './embedded';
import { openPglite } from './pglite';
import { pgSessionOptions } from './session-settings';

export const DATABASE_OPTIONS = Symbol('DATABASE_OPTIONS');
export const SNAPSHOT_DEFAULTS = { keep: 3, intervalMinutes: 15 } as const;
const PGLITE_HOLDER = Symbol('PGLITE_HOLDER');
/** How often the interval snapshot looks whether the database is idle (at most; less with a shorter interval). */
const IDLE_CHECK_MS = 30_000;
/** Intervals after which a database that is never idle gets its snapshot anyway. */
const FORCE_AFTER = 4;

export interface PgliteHolder {
  instance?: PGlite;
  owned: boolean;
  /** The embedded database in a folder (its lock and snapshots), when this process opened one. */
  embedded?: EmbeddedDatabase;
}

/** Closes what `buildOrmOptions` opened for the holder: the embedded instance, then the folder's lock. */
export async function closeHolder(holder: PgliteHolder): Promise<void> {
  if (holder.embedded) await holder.embedded.close();
  else if (holder.owned && holder.instance && !holder.instance.closed) await holder.instance.close();
}

const log = new Logger('Database');

/** The MikroORM options for either backend: the same entities and migrations on both. */
export async function buildOrmOptions(opts: DatabaseOptions, holder: PgliteHolder = { owned: false }): Promise<Options> {
  const common: Options = {
    entities: [],
    discovery: { warnWhenNoEntities: false },
    extensions: [Migrator],
    migrations: { migrationsList: opts.migrations, transactional: true, allOrNothing: true, snapshot: false, silent: true },
    forceUtcTimezone: true,
    allowGlobalContext: false,
    debug: false,
  };
  if (opts.databaseUrl) {
    const sessionOptions = pgSessionOptions();
    return {
      ...common,
      driver: PostgreSqlDriver,
      clientUrl: opts.databaseUrl,
      pool: { min: 0, max: opts.poolMax ?? 10 },
      // Planner settings of the service's sessions (session-settings.ts); PGOPTIONS, when set, is left to `pg`.
      ...(sessionOptions ? { driverOptions: { connection: { options: sessionOptions } } } : {}),
    } as Options;
  }
  if (!holder.instance) {
    if (!opts.pglite && opts.embedded && opts.pgliteDataDir && !opts.pgliteDataDir.includes('://')) {
      holder.embedded = await openEmbedded({
        dataDir: opts.pgliteDataDir,
        snapshotDir: opts.embedded.snapshotDir,
        snapshotKeep: opts.embedded.snapshotKeep ?? SNAPSHOT_DEFAULTS.keep,
        owner: opts.embedded.owner,
        log: (level, line) => log[level === 'info' ? 'log' : level](line),
      });
      holder.instance = holder.embedded.pglite;
    } else {
      holder.instance = opts.pglite ?? (await openPglite({ dataDir: opts.pgliteDataDir }));
    }
    holder.owned = !opts.pglite;
  }
  const instance = holder.instance;
  return {
    ...common,
    driver: PGliteDriver,
    dbName: 'postgres',
    driverOptions: { connection: { pglite: () => instance } },
  } as Options;
}

/**
 * Runs the migrations at start-up and, for an embedded database in a folder, keeps its snapshots: one after
 * migrations (and whenever there is none yet), one every `snapshotIntervalMinutes` when the database changed
 * since the last (taken when it is idle: `intervalTick`), one at a graceful shutdown. Each is taken at a clean point: holding the pool's only
 * connection, so between two transactions, after a checkpoint.
 */
@Injectable()
class DatabaseLifecycle implements OnModuleInit, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private snapshotting?: Promise<void>;
  /** The database's position at the last snapshot, and at the last idle check. */
  private lastLsn?: string;
  private lastSeenLsn?: string;
  private lastSnapshotAt = Date.now();

  constructor(
    private readonly orm: MikroORM,
    @Inject(DATABASE_OPTIONS) private readonly opts: DatabaseOptions,
    @Inject(PGLITE_HOLDER) private readonly holder: PgliteHolder,
  ) {}

  async onModuleInit(): Promise<void> {
    let applied = 0;
    if (this.opts.migrate !== false) {
      const done = await this.orm.getMigrator().up();
      applied = done.length;
      if (done.length) log.log(`Applied ${done.length} migration(s): ${done.map((m) => m.name).join(', ')}`);
    }
    const embedded = this.holder.embedded;
    if (!embedded) return;
    if (applied || embedded.restored || !embedded.snapshots.newest()) await this.snapshot('start-up');
    const minutes = this.opts.embedded?.snapshotIntervalMinutes ?? SNAPSHOT_DEFAULTS.intervalMinutes;
    if (minutes > 0) {
      const every = minutes * 60_000;
      this.timer = setInterval(() => void this.intervalTick(every), Math.min(every, IDLE_CHECK_MS));
      this.timer.unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    if (this.holder.embedded) {
      await this.snapshotting;
      // Every other part has stopped by now (HTTP, jobs, the relay) and the ORM's pool may be closed already:
      // nothing else uses the database, so the snapshot goes to it directly.
      await this.snapshot('shutdown', false, true);
    }
    await this.orm.close(true);
    await closeHolder(this.holder);
  }

  /**
   * Interval snapshots are taken while the database is idle: a snapshot holds the database while the files
   * are copied (seconds for a large one), so it waits until the database changed since the last snapshot but
   * not since the previous check. A database written without pause gets one anyway once `FORCE_AFTER`
   * intervals have passed, so the time a restore can go back stays bounded.
   */
  private async intervalTick(every: number): Promise<void> {
    if (this.snapshotting) return;
    try {
      const lsn = await this.currentLsn();
      const quiet = lsn === this.lastSeenLsn;
      this.lastSeenLsn = lsn;
      if (lsn === this.lastLsn) return;
      const since = Date.now() - this.lastSnapshotAt;
      if (since >= every && (quiet || since >= FORCE_AFTER * every)) await this.snapshot(quiet ? 'interval, idle' : 'interval, busy', true);
    } catch (err) {
      log.warn(`Snapshot check failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private async currentLsn(): Promise<string> {
    const rows = await (this.orm.em as unknown as SqlEntityManager)
      .getConnection()
      .execute<{ lsn: string }[]>('select pg_current_wal_insert_lsn()::text as lsn');
    return rows[0].lsn;
  }

  /** One snapshot at a time; `ifChanged` skips it when nothing was written since the last one. */
  private snapshot(why: string, ifChanged = false, direct = false): Promise<void> {
    if (this.snapshotting) return this.snapshotting;
    this.snapshotting = this.takeSnapshot(why, ifChanged, direct).finally(() => (this.snapshotting = undefined));
    return this.snapshotting;
  }

  private async takeSnapshot(why: string, ifChanged: boolean, direct: boolean): Promise<void> {
    const embedded = this.holder.embedded!;
    const client: KnexClient = direct
      ? { acquireConnection: async () => undefined, releaseConnection: async () => undefined }
      : ((this.orm.em as unknown as SqlEntityManager).getConnection().getKnex().client as KnexClient);
    try {
      const conn = await client.acquireConnection();
      try {
        const lsn = (await embedded.pglite.query<{ lsn: string }>('select pg_current_wal_insert_lsn()::text as lsn')).rows[0].lsn;
        if (ifChanged && lsn === this.lastLsn) return;
        const started = Date.now();
        const snap = await embedded.snapshots.take(embedded.pglite, embedded.dataDir);
        this.lastLsn = (await embedded.pglite.query<{ lsn: string }>('select pg_current_wal_insert_lsn()::text as lsn')).rows[0].lsn;
        this.lastSnapshotAt = Date.now();
        log.log(`Snapshot of the embedded database (${why}) in ${Date.now() - started} ms: ${snap.file}`);
      } finally {
        await client.releaseConnection(conn);
      }
    } catch (err) {
      log.error(`Snapshot of the embedded database (${why}) failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

/** The part of knex's client that hands out its (for PGlite: only) connection. */
interface KnexClient {
  acquireConnection(): Promise<unknown>;
  releaseConnection(conn: unknown): Promise<unknown>;
}

/**
 * PostgreSQL when `databaseUrl` is given, the embedded PGlite otherwise; migrations run at start-up.
 * Libs register their entities with `MikroOrmModule.forFeature` (autoLoadEntities).
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(opts: DatabaseOptions): DynamicModule {
    const holder: PgliteHolder = { owned: false };
    return {
      module: DatabaseModule,
      imports: [
        MikroOrmModule.forRootAsync({
          // No per-request MikroORM context: the libs hold no entities (statements go through `Db`, transactions
          // fork their own manager), and forking a manager for every request was a cost each read paid.
          useFactory: async () => ({ ...(await buildOrmOptions(opts, holder)), autoLoadEntities: true, registerRequestContext: false }),
          driver: opts.databaseUrl ? PostgreSqlDriver : PGliteDriver,
        }),
      ],
      providers: [{ provide: DATABASE_OPTIONS, useValue: opts }, { provide: PGLITE_HOLDER, useValue: holder }, DatabaseLifecycle],
      exports: [DATABASE_OPTIONS],
    };
  }
}
