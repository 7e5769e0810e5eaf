import { RequestContext } from '@mikro-orm/core';
import { Inject, Injectable, Module, type DynamicModule } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Db, JobHandler, JobRunner, sql, type JobContext, type JobHandlerContract } from '@cdp/platform';
import { createTestApp, dropRedisKeys, newAppId, onRealServices, type TestApp } from './support/test-app';

// Test-only handlers. Each records what it saw in a table of its own, through the app's Db (the same path a
// real handler takes), so the effect of a job is visible in the database.
const INSTANCE = Symbol('INSTANCE');

interface EffectJob {
  appId: string;
  key: string;
  sleepMs?: number;
}
interface FlakyJob {
  appId: string;
  key: string;
  failTimes: number;
}

/** What handlers did, in memory too: after `close()` the database of that app is gone (PGlite). */
const finished = new Set<string>();
const started = new Set<string>();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function record(
  db: Db,
  e: {
    appId: string;
    key: string;
    kind: string;
    attempt?: number;
    maxAttempts?: number;
    instance: string;
    concurrent?: number;
    message?: string;
    emId?: number;
  },
) {
  await db.run(sql`insert into test_job_events (app_id, job_key, kind, attempt, max_attempts, instance, concurrent, message, em_id, at)
    values (${e.appId}, ${e.key}, ${e.kind}, ${e.attempt ?? null}, ${e.maxAttempts ?? null}, ${e.instance}, ${e.concurrent ?? null}, ${e.message ?? null}, ${e.emId ?? null}, ${new Date()})`);
}

@Injectable()
@JobHandler('test.jobs.effect')
class EffectHandler implements JobHandlerContract<EffectJob> {
  private running = 0;
  constructor(
    private readonly db: Db,
    @Inject(INSTANCE) private readonly instance: string,
  ) {}

  async run(data: EffectJob, ctx: JobContext): Promise<void> {
    started.add(data.key);
    this.running++;
    const concurrent = this.running;
    try {
      await sleep(data.sleepMs ?? 0);
      await record(this.db, {
        ...data,
        kind: 'done',
        attempt: ctx.attempt,
        maxAttempts: ctx.maxAttempts,
        instance: this.instance,
        concurrent,
        emId: RequestContext.getEntityManager()?.id,
      });
      finished.add(data.key);
    } finally {
      this.running--;
    }
  }
}

@Injectable()
@JobHandler('test.jobs.flaky')
class FlakyHandler implements JobHandlerContract<FlakyJob> {
  constructor(
    private readonly db: Db,
    @Inject(INSTANCE) private readonly instance: string,
  ) {}

  async run(data: FlakyJob, ctx: JobContext): Promise<void> {
    await record(this.db, { ...data, kind: 'attempt', attempt: ctx.attempt, maxAttempts: ctx.maxAttempts, instance: this.instance });
    if (ctx.attempt <= data.failTimes) throw new Error(`flaky ${data.key} attempt ${ctx.attempt}`);
    await record(this.db, { ...data, kind: 'done', attempt: ctx.attempt, instance: this.instance });
  }

  async failed(data: FlakyJob, error: Error): Promise<void> {
    await record(this.db, { ...data, kind: 'failed', message: error.message, instance: this.instance });
  }
}

@Module({})
class TestJobsModule {
  static register(instance: string): DynamicModule {
    return { module: TestJobsModule, providers: [{ provide: INSTANCE, useValue: instance }, EffectHandler, FlakyHandler] };
  }
}

interface EventRow {
  job_key: string;
  kind: string;
  attempt: number | null;
  max_attempts: number | null;
  instance: string;
  concurrent: number | null;
  message: string | null;
  em_id: number | null;
  at: Date;
}

async function createTable(t: TestApp): Promise<void> {
  await t.app.get(Db).run(sql`create table if not exists test_job_events (
    app_id text not null, job_key text not null, kind text not null, attempt int, max_attempts int, instance text not null,
    concurrent int, message text, em_id int, at timestamptz(3) not null)`);
}

const events = (t: TestApp, appId: string, kind?: string): Promise<EventRow[]> =>
  t.app.get(Db)
    .query<EventRow>(sql`select job_key, kind, attempt, max_attempts, instance, concurrent, message, em_id, at from test_job_events
    where app_id = ${appId} ${kind ? sql`and kind = ${kind}` : sql``} order by at, attempt`);

async function waitFor<T>(probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > until) throw new Error(`Timed out waiting; last value: ${JSON.stringify(v)}`);
    await sleep(50);
  }
}

const key = () => `job-${randomBytes(4).toString('hex')}`;

const transports: Array<[string, Record<string, string>]> = [['in-process', { REDIS_URL: '' }]];
if (onRealServices && process.env.REDIS_URL) transports.push(['real PostgreSQL + Redis, BullMQ', {}]);

describe.each(transports)('Job port (DESIGN.md "Jobs"), %s', (transport, env) => {
  const bullmq = transport.includes('BullMQ');
  let t: TestApp;
  let runner: JobRunner;
  beforeAll(async () => {
    t = await createTestApp({ imports: [TestJobsModule.register('a')], env });
    await createTable(t);
    runner = t.app.get(JobRunner);
  });
  afterAll(() => t.close());

  it(`Jobs: an enqueued job runs after enqueue returns, in a fresh ORM context, and its effect is visible (${transport})`, async () => {
    const appId = newAppId();
    const [k1, k2] = [key(), key()];
    await runner.enqueue<EffectJob>('test.jobs.effect', { appId, key: k1, sleepMs: 200 });
    await runner.enqueue<EffectJob>('test.jobs.effect', { appId, key: k2, sleepMs: 200 });
    expect(await events(t, appId)).toEqual([]);
    const rows = await waitFor(
      () => events(t, appId),
      (r) => r.length === 2,
    );
    expect(rows.map((r) => r.job_key).sort()).toEqual([k1, k2].sort());
    expect(rows.every((r) => r.attempt === 1 && r.max_attempts === 3)).toBe(true);
    // Every job had its own MikroORM context (none shared with another job or a request).
    expect(rows.every((r) => typeof r.em_id === 'number')).toBe(true);
    expect(new Set(rows.map((r) => r.em_id)).size).toBe(2);
  });

  it(`Jobs: a handler that fails twice is retried with exponential backoff and then succeeds; failed() is not called (${transport})`, async () => {
    const appId = newAppId();
    const k = key();
    await runner.enqueue<FlakyJob>('test.jobs.flaky', { appId, key: k, failTimes: 2 }, { attempts: 4, backoffMs: 150 });
    const rows = await waitFor(
      () => events(t, appId),
      (r) => r.some((e) => e.kind === 'done'),
    );
    const attempts = rows.filter((r) => r.kind === 'attempt');
    expect(attempts.map((r) => [r.attempt, r.max_attempts])).toEqual([
      [1, 4],
      [2, 4],
      [3, 4],
    ]);
    const [a1, a2, a3] = attempts.map((r) => new Date(r.at).getTime());
    expect(a2 - a1).toBeGreaterThanOrEqual(140); // 150 ms after the first failure
    expect(a3 - a2).toBeGreaterThanOrEqual(290); // 300 ms after the second
    await sleep(400);
    const after = await events(t, appId);
    expect(after.filter((r) => r.kind === 'failed')).toEqual([]);
    expect(after.filter((r) => r.kind === 'attempt')).toHaveLength(3);
  });

  it(`Jobs: a handler that always fails runs 3 attempts by default (500 ms, 1 s apart), then failed() is called once with the error (${transport})`, async () => {
    const appId = newAppId();
    const k = key();
    await runner.enqueue<FlakyJob>('test.jobs.flaky', { appId, key: k, failTimes: 99 });
    const rows = await waitFor(
      () => events(t, appId),
      (r) => r.some((e) => e.kind === 'failed'),
    );
    const attempts = rows.filter((r) => r.kind === 'attempt');
    expect(attempts.map((r) => r.attempt)).toEqual([1, 2, 3]);
    const [a1, a2, a3] = attempts.map((r) => new Date(r.at).getTime());
    expect(a2 - a1).toBeGreaterThanOrEqual(480);
    expect(a3 - a2).toBeGreaterThanOrEqual(980);
    await sleep(600);
    const failed = (await events(t, appId)).filter((r) => r.kind === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0].message).toBe(`flaky ${k} attempt 3`);
    expect((await events(t, appId, 'attempt')).length).toBe(3);
  });

  it(`Jobs: at most 2 jobs of a queue run at the same time in one process, and all of them complete (${transport})`, async () => {
    const appId = newAppId();
    const keys = Array.from({ length: 6 }, key);
    for (const k of keys) await runner.enqueue<EffectJob>('test.jobs.effect', { appId, key: k, sleepMs: 250 });
    const rows = await waitFor(
      () => events(t, appId),
      (r) => r.length === 6,
    );
    expect(rows.map((r) => r.job_key).sort()).toEqual([...keys].sort());
    expect(Math.max(...rows.map((r) => r.concurrent!))).toBe(2);
  });

  it(`Jobs: a jobId already queued is not enqueued twice (${transport})`, async () => {
    const appId = newAppId();
    const k = key();
    await runner.enqueue<EffectJob>('test.jobs.effect', { appId, key: k, sleepMs: 200 }, { jobId: `import-${k}` });
    await runner.enqueue<EffectJob>('test.jobs.effect', { appId, key: k, sleepMs: 200 }, { jobId: `import-${k}` });
    await waitFor(
      () => events(t, appId),
      (r) => r.length === 1,
    );
    await sleep(500);
    expect(await events(t, appId)).toHaveLength(1);
  });

  it(`Jobs: enqueueing to a queue without a handler, or with a bad option, is refused at once (${transport})`, async () => {
    await expect(runner.enqueue('test.jobs.nobody', {})).rejects.toThrow('No job handler for queue "test.jobs.nobody"');
    await expect(runner.enqueue('test.jobs.effect', {}, { jobId: 'a:b' })).rejects.toThrow(/jobId/);
    await expect(runner.enqueue('test.jobs.effect', {}, { attempts: 0 })).rejects.toThrow(/attempts/);
  });

  it(`Jobs: shutdown lets the running jobs finish${bullmq ? '' : ' and drains the queued ones'} (${transport})`, async () => {
    const other = await createTestApp({ imports: [TestJobsModule.register('b')], env });
    await createTable(other);
    const appId = newAppId();
    const keys = [key(), key(), key()];
    for (const k of keys) await other.app.get(JobRunner).enqueue<EffectJob>('test.jobs.effect', { appId, key: k, sleepMs: 300 });
    await waitFor(
      async () => keys.filter((k) => started.has(k)).length,
      (n) => n >= 2,
    );
    await other.close();
    // In-process: all three (two running, one queued) are done. BullMQ: the two that had started are done;
    // a job still waiting in Redis stays there for the next worker.
    const done = keys.filter((k) => finished.has(k));
    if (bullmq) expect(done.length).toBeGreaterThanOrEqual(2);
    else expect(done).toEqual(keys);
    expect(keys.filter((k) => started.has(k) && !finished.has(k))).toEqual([]);
  });
});

// Only where there is a Redis to share (the real-services pass).
if (onRealServices && process.env.REDIS_URL)
  describe('Job port, two processes on one Redis', () => {
    it('Jobs: two app instances sharing one queue process each job exactly once (real PostgreSQL + Redis, BullMQ)', async () => {
      const prefix = `cdp-test-shared-${randomBytes(6).toString('hex')}`;
      const a = await createTestApp({ imports: [TestJobsModule.register('a')], jobsPrefix: prefix });
      const b = await createTestApp({ imports: [TestJobsModule.register('b')], jobsPrefix: prefix, database: a });
      try {
        await createTable(a);
        const appId = newAppId();
        const keys = Array.from({ length: 20 }, key);
        for (const [i, k] of keys.entries())
          await (i % 2 ? b : a).app.get(JobRunner).enqueue<EffectJob>('test.jobs.effect', { appId, key: k, sleepMs: 50 });
        const rows = await waitFor(
          () => events(a, appId),
          (r) => r.length >= 20,
        );
        await sleep(500);
        const all = await events(a, appId);
        expect(all).toHaveLength(20);
        expect(all.map((r) => r.job_key).sort()).toEqual([...keys].sort());
        expect(new Set(rows.map((r) => r.instance))).toEqual(new Set(['a', 'b']));
      } finally {
        await a.close();
        await b.close();
        await dropRedisKeys(process.env.REDIS_URL!, prefix);
      }
    });
  });
