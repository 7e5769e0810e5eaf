import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { openPglite } from '@cdp/platform';
import { AppModule } from '../app.module';
import { ConfigError, loadEnv, type Env } from '../config/env';
import { buildOpenApi } from '../http/openapi';
import { parseArgs } from './args';

// Only the module graph is read (preview mode). The database module's factory still runs in preview mode, so
// it is handed an in-memory PGlite: the document never opens, locks or creates a data folder (a test's, or
// the `./data` of a checkout whose server is running).
const PLACEHOLDER_SECRET = 'openapi-document-only'.padEnd(32, '-');

/** The document `/openapi.json` serves, built from the application's modules without starting it. */
export async function documentWithoutServer(env: Env): Promise<OpenAPIObject> {
  const pglite = await openPglite();
  try {
    const app = await NestFactory.create(
      AppModule.register(env, { jwtSecret: PLACEHOLDER_SECRET, suppressionSecret: PLACEHOLDER_SECRET, pglite, migrate: false }),
      new FastifyAdapter(),
      {
        preview: true,
        logger: false,
        abortOnError: false,
      },
    );
    try {
      return buildOpenApi(app, env.PUBLIC_BASE_URL!);
    } finally {
      await app.close();
    }
  } finally {
    await pglite.close();
  }
}

/** `npm run api:openapi -- [--out openapi.json]` writes the OpenAPI document (stdout without --out). */
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const env = loadEnv({
    ...process.env,
    LOG_LEVEL: 'silent',
    JWT_SECRET: process.env.JWT_SECRET || PLACEHOLDER_SECRET,
    SUPPRESSION_SECRET: PLACEHOLDER_SECRET,
  });
  const json = JSON.stringify(await documentWithoutServer(env), null, 2) + '\n';
  if (typeof args.out === 'string') writeFileSync(args.out, json);
  else process.stdout.write(json);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write((e instanceof ConfigError || e instanceof Error ? e.message : String(e)) + '\n');
    process.exit(1);
  });
}
