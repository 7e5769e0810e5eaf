import 'reflect-metadata';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { ConfigError, loadEnv } from './config/env';
import { resolveJwtSecret, resolveSuppressionSecret } from './config/secret';

/**
 * `npm run start:worker`: a job consumer without HTTP. It runs the same AppModule (so every @JobHandler is
 * there) and takes jobs from the BullMQ queues in REDIS_URL; scale out by running more of them. SIGTERM or
 * SIGINT: stop taking jobs, let the running ones finish, close the queues, Redis and the database, exit 0.
 * A second signal exits at once (BullMQ hands the interrupted jobs to another worker once their lock expires).
 */
async function main(): Promise<void> {
  const env = loadEnv(process.env);
  if (!env.REDIS_URL) {
    throw new ConfigError(
      'Invalid configuration: the worker needs REDIS_URL (without Redis, jobs run inside the API process: use npm start)',
    );
  }
  const { secret } = resolveJwtSecret(env);
  const app = await NestFactory.createApplicationContext(
    AppModule.register(env, { jwtSecret: secret, suppressionSecret: resolveSuppressionSecret(env), role: 'worker' }),
    {
      bufferLogs: true,
      abortOnError: false,
    },
  );
  app.useLogger(app.get(Logger));
  app.flushLogs();
  await app.init();
  const log = new NestLogger('Worker');
  log.log('Worker started: consuming jobs from Redis');

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      process.stderr.write(`Received ${signal} again: exiting without waiting for running jobs\n`);
      process.exit(1);
    }
    stopping = true;
    log.log(`Received ${signal}: finishing running jobs, then closing`);
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`Shutdown failed: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(
    err instanceof ConfigError ? `${err.message}\n` : `Worker start-up failed: ${err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(1);
});
