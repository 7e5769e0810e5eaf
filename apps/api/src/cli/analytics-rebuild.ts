import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { join } from 'node:path';
import { assertDataDirFree } from '@cdp/platform';
import { AnalyticsRebuild } from '@cdp/analytics';
import { AppModule } from '../app.module';
import { APP_ID_PATTERN } from '../auth/auth.guard';
import { ConfigError, loadEnv } from '../config/env';
import { resolveJwtSecret, resolveSuppressionSecret } from '../config/secret';
import { parseArgs } from './args';

/**
 * `npm run analytics:rebuild -- --app demo`: builds the app's analytics read models again from the customers
 * and activities tables (after a bulk load or a restore; libs/analytics/README.md "Rebuild"). Writers wait
 * while it runs; readers keep the old figures until it commits.
 */
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const appId = typeof args.app === 'string' ? args.app : '';
  if (!APP_ID_PATTERN.test(appId)) throw new ConfigError(`--app must match ${APP_ID_PATTERN}`);
  const env = loadEnv({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  if (!env.DATABASE_URL) assertDataDirFree(join(env.DATA_DIR, 'pglite'));
  const { secret } = resolveJwtSecret(env);
  const app = await NestFactory.createApplicationContext(
    AppModule.register(env, { jwtSecret: secret, suppressionSecret: resolveSuppressionSecret(env), owner: 'npm run analytics:rebuild' }),
    { logger: ['error', 'warn'], abortOnError: false },
  );
  try {
    const started = Date.now();
    const r = await app.get(AnalyticsRebuild).rebuild(appId);
    process.stdout.write(
      `Rebuilt the analytics of app "${appId}": ${r.customers} customer(s), ${r.activities} activities in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`,
    );
  } finally {
    await app.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`Rebuild failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
