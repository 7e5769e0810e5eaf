import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { join } from 'node:path';
import { assertDataDirFree, DataDirLockedError, DomainError, EmbeddedMaintenance } from '@cdp/platform';
import { AppModule } from '../app.module';
import { APP_ID_PATTERN } from '../auth/auth.guard';
import { ConfigError, loadEnv } from '../config/env';
import { resolveJwtSecret, resolveSuppressionSecret } from '../config/secret';
import { parseArgs } from './args';
import { seedDemoData } from './seed-data';

/** `npm run seed -- --app demo [--customers 300]` (see seed-data.ts). */
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const appId = typeof args.app === 'string' ? args.app : 'demo';
  const count = typeof args.customers === 'string' ? Number(args.customers) : 300;
  if (!APP_ID_PATTERN.test(appId)) throw new ConfigError(`--app must match ${APP_ID_PATTERN}`);
  if (!Number.isInteger(count) || count < 0 || count > 100_000)
    throw new ConfigError('--customers must be a whole number from 0 to 100000');
  const env = loadEnv({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  if (!env.DATABASE_URL) assertDataDirFree(join(env.DATA_DIR, 'pglite'));
  const { secret } = resolveJwtSecret(env);
  const app = await NestFactory.createApplicationContext(
    AppModule.register(env, { jwtSecret: secret, suppressionSecret: resolveSuppressionSecret(env), owner: 'npm run seed' }),
    { logger: ['error', 'warn'], abortOnError: false },
  );
  try {
    const r = await seedDemoData(app, appId, count);
    process.stdout.write(
      `Seeded app "${appId}": ${r.channelsAdded} channel(s), ${r.propertiesAdded} property definition(s), ${r.customersAdded} customer(s) added ` +
        `in ${r.seconds.toFixed(1)} s (${Math.round(r.customersAdded / Math.max(r.seconds, 0.001))} customers/s).\n`,
    );
    // The embedded database has no autovacuum: bring the planner's statistics up to date before the first
    // list (the service would do it in its first minute anyway); nothing on PostgreSQL.
    const t = Date.now();
    const refreshed = await app.get(EmbeddedMaintenance).run();
    if (refreshed.length)
      process.stdout.write(`Statistics refreshed (${refreshed.join(', ')}) in ${((Date.now() - t) / 1000).toFixed(1)} s.\n`);
  } finally {
    await app.close();
  }
}

main().catch((e: unknown) => {
  if (e instanceof DataDirLockedError || e instanceof ConfigError) {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
  const msg = e instanceof DomainError ? `${e.code}: ${e.message} ${JSON.stringify(e.errors)}` : e instanceof Error ? e.message : String(e);
  process.stderr.write(`Seed failed: ${msg}\n`);
  process.exit(1);
});
