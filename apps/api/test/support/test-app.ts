import 'reflect-metadata';
import type { PGlite } from '@electric-sql/pglite';
import type { ModuleMetadata } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import request from 'supertest';
import { openPglite } from '@cdp/platform';
import { createApp } from '../../src/bootstrap';
import type { AppOptions } from '../../src/app.module';
import { mintToken } from '../../src/cli/mint';
import { loadEnv, type Env } from '../../src/config/env';
import { contractFor, type Contract } from './contract';

export const TEST_SECRET = 'test-secret-'.padEnd(48, 'x');
export const TEST_SUPPRESSION_SECRET = 'test-suppression-'.padEnd(48, 'y');
export type Role = 'admin' | 'supervisor' | 'agent' | 'operator';

/** True in the pass against real PostgreSQL and Redis (CI's second pass). */
export const onRealServices = !!process.env.CDP_TEST_DATABASE_URL;

export interface TestApp {
  app: NestFastifyApplication;
  env: Env;
  /** The BullMQ key prefix of this app (its own unless `jobsPrefix` was given). */
  jobsPrefix: string;
  /** Its database: a PostgreSQL URL, or the PGlite instance it runs on, and how many open apps use it. */
  database: SharedDatabase;
  http: () => request.Agent;
  token: (appId: string, role?: Role, claims?: { sub?: string; email?: string; ttl?: string }) => string;
  /** `Authorization` header for an app and role. */
  auth: (appId: string, role?: Role) => { Authorization: string };
  /** Stops the application only (its process is gone); its database stays for the apps that share it. */
  stop: () => Promise<void>;
  close: () => Promise<void>;
}

/** A test database and the open apps on it: the last one to close removes it. */
interface SharedDatabase {
  url?: string;
  pglite?: PGlite;
  users: number;
  release: () => Promise<void>;
}

/** A fresh app id per test keeps tests apart on a shared database (tenancy is the isolation). */
export const newAppId = (): string => `app-${randomUUID().slice(0, 13)}`;

/**
 * A database of its own for one test app on real PostgreSQL: a copy of the run's migrated template. Apps are
 * as apart as two deployments: one's outbox relay never hands on another's events to handlers it lacks.
 */
async function ownDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const template = process.env.CDP_TEST_DATABASE_NAME!;
  const name = `${template}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: process.env.CDP_TEST_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${template}`);
  } finally {
    await admin.end();
  }
  const url = new URL(process.env.CDP_TEST_ADMIN_URL!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: process.env.CDP_TEST_ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/**
 * The whole AppModule (global pipe, filter, guards) on a database of its own: PGlite loaded from the migrated
 * dump, or a copy of the run's migrated PostgreSQL database. `database` shares another test app's database
 * instead (two processes of one deployment); `outbox: { relay: false }` stands for a process that dies right
 * after its commits, before handing on their events.
 */
export async function createTestApp(
  opts: {
    imports?: ModuleMetadata['imports'];
    env?: Record<string, string>;
    jobsPrefix?: string;
    database?: TestApp;
    outbox?: { relay?: boolean };
    /** The built console it serves at `/` (default: the checkout's dist/console). */
    consoleDir?: string;
    /** Where its log lines go (default: standard output, at TEST_LOG_LEVEL or silent). */
    logStream?: AppOptions['logStream'];
  } = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cdp-data-'));
  let database: SharedDatabase;
  if (opts.database) {
    database = opts.database.database;
  } else if (onRealServices) {
    const own = await ownDatabase();
    database = { url: own.url, users: 0, release: own.drop };
  } else {
    const dump = process.env.CDP_TEST_PGLITE_DUMP;
    if (!dump) throw new Error('The test database was not prepared (jest globalSetup)');
    const pglite = await openPglite({ loadDataDir: new Blob([readFileSync(dump)]) });
    database = { pglite, users: 0, release: async () => void (pglite.closed || (await pglite.close())) };
  }
  database.users++;
  const { url: databaseUrl, pglite } = database;
  const env = loadEnv({
    JWT_SECRET: TEST_SECRET,
    SUPPRESSION_SECRET: TEST_SUPPRESSION_SECRET,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATA_DIR: dataDir,
    PUBLIC_BASE_URL: 'http://cdp.test',
    INBOX_BASE_URL: 'http://inbox.test/app',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...(databaseUrl && process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    ...opts.env,
  });
  // Each app its own BullMQ namespace, so parallel files and runs never take each other's jobs; two apps
  // share one only when a test passes the same `jobsPrefix`.
  const jobsPrefix = opts.jobsPrefix ?? `cdp-test-${randomBytes(6).toString('hex')}`;
  const app = await createApp(env, {
    jwtSecret: TEST_SECRET,
    suppressionSecret: env.SUPPRESSION_SECRET!,
    pglite,
    imports: opts.imports,
    migrate: false,
    jobs: { prefix: jobsPrefix },
    outbox: opts.outbox,
    consoleDir: opts.consoleDir,
    logStream: opts.logStream,
  });
  // The served document checks every exchange of `http()` (API.md "The served contract is exact").
  const contract = contractFor((await app.inject({ method: 'GET', url: '/openapi.json' })).body);
  let stopped = false;
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
    database,
    http: () => checkedAgent(request.agent(app.getHttpServer()), contract),
    token,
    auth: (appId, role = 'admin') => ({ Authorization: `Bearer ${token(appId, role)}` }),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await app.close();
    },
    close: async () => {
      if (!stopped) await app.close();
      stopped = true;
      if (env.REDIS_URL && !opts.jobsPrefix) await dropRedisKeys(env.REDIS_URL, jobsPrefix);
      if (--database.users === 0) await database.release();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

type Sent = request.Test & { _data?: unknown; _formData?: unknown; _header?: Record<string, string> };

/**
 * A supertest agent whose every request is checked against the served document once its response is in:
 * a mismatch fails the request's promise (and so the test) with what differs.
 */
function checkedAgent(agent: request.Agent, contract: Contract): request.Agent {
  for (const method of ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const) {
    const open = agent[method].bind(agent) as (url: string) => Sent;
    (agent as unknown as Record<string, unknown>)[method] = (url: string) => {
      const test = open(url);
      return test.expect((res: request.Response) => {
        const req = (res as unknown as { req: { method: string; path: string } }).req;
        const problems = contract.check({
          method: req.method,
          target: req.path,
          requestBody: jsonSent(test),
          status: res.status,
          contentType: res.headers['content-type'],
          body: res.body,
          text: res.text ?? '',
        });
        if (problems.length) throw new Error(`The response does not match /openapi.json:\n  ${problems.join('\n  ')}`);
      });
    };
  }
  return agent;
}

/** The JSON body a test sent (an object, or a string that parses), if any. */
function jsonSent(test: Sent): unknown {
  if (test._formData || test._data === undefined) return undefined;
  const type = String(test._header?.['content-type'] ?? 'application/json');
  if (!/json/.test(type)) return undefined;
  if (typeof test._data !== 'string') return test._data;
  try {
    return JSON.parse(test._data);
  } catch {
    return undefined;
  }
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
