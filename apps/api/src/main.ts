import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { join } from 'node:path';
import { assertDataDirFree, DataDirLockedError } from '@cdp/platform';
import { createApp } from './bootstrap';
import { ConfigError, loadEnv } from './config/env';
import { resolveJwtSecret, resolveSuppressionSecret } from './config/secret';
import { mintToken } from './cli/mint';

async function main(): Promise<void> {
  const env = loadEnv(process.env);
  // The embedded database belongs to one process: stop here, in one line, when another one holds it.
  if (!env.DATABASE_URL) assertDataDirFree(join(env.DATA_DIR, 'pglite'));
  const { secret, generated } = resolveJwtSecret(env);
  const started = Date.now();
  const app = await createApp(env, {
    jwtSecret: secret,
    suppressionSecret: resolveSuppressionSecret(env),
    jobs: { consume: env.JOBS_CONSUME },
  });
  await app.listen({ port: env.PORT, host: '0.0.0.0' });
  const base = env.PUBLIC_BASE_URL;
  const log = app.get(Logger);
  log.log(
    `CDP listening on :${env.PORT} (${env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite in ' + env.DATA_DIR}) in ${Date.now() - started} ms; API docs at ${base}/docs`,
    'Bootstrap',
  );
  // Graceful shutdown: stop accepting, let in-flight requests finish, close the database, exit 0.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      log.log(`${signal}: shutting down`, 'Bootstrap');
      const force = setTimeout(() => process.exit(1), 25_000);
      force.unref();
      app.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
  if (generated) {
    const token = mintToken(secret, { app: 'demo', role: 'admin', sub: 'first-start', ttl: '30d' });
    process.stdout.write(
      `\nGenerated a JWT secret in ${env.DATA_DIR}/jwt-secret. An admin token for app "demo" (30 days):\n\n  ${token}\n\n` +
        `Open the console:  ${base}/#token=${token}\n` +
        `Try:  curl -H "Authorization: Bearer ${token}" ${base}/v1/channel-types\n` +
        `More tokens:  npm run token -- --app demo --role admin\n\n`,
    );
  }
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DataDirLockedError) {
    process.stderr.write(err.message + '\n');
  } else {
    process.stderr.write(`Start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  process.exit(1);
});
