import 'reflect-metadata';
import type { PGlite } from '@electric-sql/pglite';
import type { ModuleMetadata } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import request from 'supertest';
import { openPglite } from '@cdp/platform';
import { createApp } from '../../src/bootstrap';
import { mintToken } from '../../src/cli/mint';
import { loadEnv, type Env } from '../../src/config/env';

export const TEST_SECRET = 'test-secret-'.padEnd(48, 'x');
export type Role = 'admin' | 'supervisor' | 'agent' | 'operator';

/** True in the pass against real PostgreSQL and Redis (CI's second pass). */
export const onRealServices = !!process.env.CDP_TEST_DATABASE_URL;

export interface TestApp {
  app: NestFastifyApplication;
  env: Env;
  /** The BullMQ key prefix of this app (its own unless `jobsPrefix` was given). */
  jobsPrefix: string;
  http: () => request.Agent;
  token: (appId: string, role?: Role, claims?: { sub?: string; email?: string; ttl?: string }) => string;
  /** `Authorization` header for an app and role. */
  auth: (appId: string, role?: Role) => { Authorization: string };
  close: () => Promise<void>;
}

/** A fresh app id per test keeps tests apart on a shared database (tenancy is the isolation). */
export const newAppId = (): string => `app-${randomUUID().slice(0, 13)}`;

/**
 * The whole AppModule (global pipe, filter, guards) on the run's database: PGlite loaded from the migrated
 * dump, or the run's fresh PostgreSQL database.
 */
export async function createTestApp(
  opts: { imports?: ModuleMetadata['imports']; env?: Record<string, string>; jobsPrefix?: string } = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cdp-data-'));
  const env = loadEnv({
    JWT_SECRET: TEST_SECRET,
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    PUBLIC_BASE_URL: 'http://cdp.test',
    INBOX_BASE_URL: 'http://inbox.test/app',
    ...(process.env.CDP_TEST_DATABASE_URL ? { DATABASE_URL: process.env.CDP_TEST_DATABASE_URL } : {}),
    ...(process.env.CDP_TEST_DATABASE_URL && process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    ...opts.env,
  });
  let pglite: PGlite | undefined;
  if (!env.DATABASE_URL) {
    const dump = process.env.CDP_TEST_PGLITE_DUMP;
    if (!dump) throw new Error('The test database was not prepared (jest globalSetup)');
    pglite = await openPglite({ loadDataDir: new Blob([readFileSync(dump)]) });
  }
  // Each app its own BullMQ namespace, so parallel files and runs never take each other's jobs; two apps
  // share one only when a test passes the same `jobsPrefix`.
  const jobsPrefix = opts.jobsPrefix ?? `cdp-test-${randomBytes(6).toString('hex')}`;
  const app = await createApp(env, { jwtSecret: TEST_SECRET, pglite, imports: opts.imports, migrate: false, jobs: { prefix: jobsPrefix } });
  const token: TestApp['token'] = (appId, role = 'admin', claims = {}) =>
    mintToken(TEST_SECRET, {
      app: appId,
      role,
      sub: claims.sub ?? `user-${randomBytes(3).toString('hex')}`,
      email: claims.email,
      ttl: claims.ttl ?? '1h',
    });
  return {
    app,
    env,
    jobsPrefix,
    http: () => request.agent(app.getHttpServer()),
    token,
    auth: (appId, role = 'admin') => ({ Authorization: `Bearer ${token(appId, role)}` }),
    close: async () => {
      await app.close();
      if (env.REDIS_URL && !opts.jobsPrefix) await dropRedisKeys(env.REDIS_URL, jobsPrefix);
      if (pglite && !pglite.closed) await pglite.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Removes the Redis keys of a test app's BullMQ prefix (its queues' metadata and event streams). */
export async function dropRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
