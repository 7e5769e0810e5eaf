import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/core';
import { join } from 'node:path';
import { buildOrmOptions } from '@cdp/platform';
import { loadEnv } from '../config/env';
import { MIGRATIONS } from '../migrations';

/** `npm run migrate`: applies pending migrations to DATABASE_URL, or to the embedded database in DATA_DIR. */
async function main(): Promise<void> {
  // Migrations need neither secret; placeholders let DATABASE_URL alone be enough.
  const env = loadEnv({ ...process.env, JWT_SECRET: process.env.JWT_SECRET ?? 'x'.repeat(32), SUPPRESSION_SECRET: 'x'.repeat(32) });
  const holder = { owned: false } as { instance?: import('@electric-sql/pglite').PGlite; owned: boolean };
  const orm = await MikroORM.init(
    await buildOrmOptions({ databaseUrl: env.DATABASE_URL, pgliteDataDir: join(env.DATA_DIR, 'pglite'), migrations: MIGRATIONS }, holder),
  );
  try {
    const done = await orm.getMigrator().up();
    process.stdout.write(done.length ? `Applied: ${done.map((m) => m.name).join(', ')}\n` : 'Nothing to migrate\n');
  } finally {
    await orm.close(true);
    await holder.instance?.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`Migration failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
