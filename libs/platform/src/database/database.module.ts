import { MikroORM, type Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { DynamicModule, Global, Inject, Injectable, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { PGlite } from '@electric-sql/pglite';
// The driver's type declarations are ESM-only while it ships CommonJS too; load the CommonJS build.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PGliteDriver } = require('mikro-orm-pglite') as typeof import('mikro-orm-pglite', { with: { 'resolution-mode': 'import' } });
import { DatabaseOptions } from './database.options';
import { openPglite } from './pglite';

export const DATABASE_OPTIONS = Symbol('DATABASE_OPTIONS');
const PGLITE_HOLDER = Symbol('PGLITE_HOLDER');

interface PgliteHolder {
  instance?: PGlite;
  owned: boolean;
}

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
    return {
      ...common,
      driver: PostgreSqlDriver,
      clientUrl: opts.databaseUrl,
      pool: { min: 0, max: opts.poolMax ?? 10 },
    } as Options;
  }
  if (!holder.instance) {
    holder.instance = opts.pglite ?? (await openPglite({ dataDir: opts.pgliteDataDir }));
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

@Injectable()
class DatabaseLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger('Database');
  constructor(
    private readonly orm: MikroORM,
    @Inject(DATABASE_OPTIONS) private readonly opts: DatabaseOptions,
    @Inject(PGLITE_HOLDER) private readonly holder: PgliteHolder,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.opts.migrate === false) return;
    const done = await this.orm.getMigrator().up();
    if (done.length) this.log.log(`Applied ${done.length} migration(s): ${done.map((m) => m.name).join(', ')}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.orm.close(true);
    if (this.holder.owned && this.holder.instance && !this.holder.instance.closed) await this.holder.instance.close();
  }
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
          useFactory: async () => ({ ...(await buildOrmOptions(opts, holder)), autoLoadEntities: true }),
          driver: opts.databaseUrl ? PostgreSqlDriver : PGliteDriver,
        }),
      ],
      providers: [{ provide: DATABASE_OPTIONS, useValue: opts }, { provide: PGLITE_HOLDER, useValue: holder }, DatabaseLifecycle],
      exports: [DATABASE_OPTIONS],
    };
  }
}
