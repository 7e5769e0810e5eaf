import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/core';
import { join } from 'node:path';
import { assertDataDirFree, buildOrmOptions, closeHolder, DataDirLockedError, type PgliteHolder } from '@cdp/platform';
import { ConfigError, loadEnv } from '../config/env';
import { MIGRATIONS } from '../migrations';

/**
 * `npm run migrate`: applies pending migrations to DATABASE_URL, or to the embedded database in DATA_DIR (held
 * by this process meanwhile; a snapshot is taken after it changed).
 */
async function main(): Promise<void> {
  // Migrations need neither secret; placeholders let DATABASE_URL alone be enough.
  const env = loadEnv({ ...process.env, JWT_SECRET: process.env.JWT_SECRET ?? 'x'.repeat(32), SUPPRESSION_SECRET: 'x'.repeat(32) });
  if (!env.DATABASE_URL) assertDataDirFree(join(env.DATA_DIR, 'pglite'));
  const holder: PgliteHolder = { owned: false };
  const orm = await MikroORM.init(
    await buildOrmOptions(
      {
        databaseUrl: env.DATABASE_URL,
        pgliteDataDir: join(env.DATA_DIR, 'pglite'),
        migrations: MIGRATIONS,
        embedded: { owner: 'npm run migrate', snapshotDir: join(env.DATA_DIR, 'snapshots'), snapshotKeep: env.SNAPSHOT_KEEP },
      },
      holder,
    ),
  );
  try {
    const done = await orm.getMigrator().up();
    process.stdout.write(done.length ? `Applied: ${done.map((m) => m.name).join(', ')}\n` : 'Nothing to migrate\n');
    if (holder.embedded && (done.length || holder.embedded.restored || !holder.embedded.snapshots.newest())) {
      const snap = await holder.embedded.snapshots.take(holder.embedded.pglite, holder.embedded.dataDir);
      process.stdout.write(`Snapshot: ${snap.file}\n`);
    }
  } finally {
    await orm.close(true);
    await closeHolder(holder);
  }
}

main().catch((e: unknown) => {
  const known = e instanceof ConfigError || e instanceof DataDirLockedError;
  process.stderr.write(known ? `${(e as Error).message}\n` : `Migration failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
