import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { backoffDelay, JobExecutor, toError, type PreparedJob } from './job-executor';
import { JobHandlerRegistry } from './job-handler.registry';
import { JobRunner } from './job-runner';
import { JOB_DEFAULTS, JOBS_OPTIONS, type EnqueueOptions, type ResolvedJobsOptions } from './jobs.types';

interface Entry {
  queue: string;
  /** The payload as JSON, parsed afresh for each attempt (what BullMQ does by reading it from Redis). */
  json: string | undefined;
  job: PreparedJob;
  attempt: number;
  ref: string;
  key?: string;
}

/**
 * The transport without Redis (embedded mode, one process): a small in-memory queue. Jobs start after
 * `enqueue` has returned, at most `concurrency` at a time across all queues (PGlite is one connection
 * anyway), with the same attempts and exponential backoff as BullMQ. Shutdown waits for queued, running and
 * delayed jobs (up to `drainTimeoutMs`). Jobs in memory die with the process; a feature that must survive a crash
 * keeps its own record, and with `recover` (a process alone on its database: the embedded one) the runner
 * enqueues what the handlers' `unfinished()` answer at start and every minute, so they go on where their records
 * say they stopped.
 */
@Injectable()
export class InProcessJobRunner extends JobRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('Jobs');
  private readonly ready: Entry[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly active = new Set<string>();
  private readonly finished = new Map<string, number>();
  private running = 0;
  private seq = 0;
  private closed = false;
  private idle: Array<() => void> = [];
  private recoverTimer?: NodeJS.Timeout;
  private recovering?: Promise<void>;

  constructor(
    private readonly executor: JobExecutor,
    private readonly registry: JobHandlerRegistry,
    @Inject(JOBS_OPTIONS) private readonly opts: ResolvedJobsOptions,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.opts.recover) return;
    await this.recover(true);
    this.recoverTimer = setInterval(() => void this.recover(false), this.opts.recoverEveryMs);
    this.recoverTimer.unref();
  }

  /** Enqueues every handler's unfinished jobs (a job still queued or running here is not enqueued twice: `jobId`). */
  private recover(atStart: boolean): Promise<void> {
    if (this.recovering || this.closed) return this.recovering ?? Promise.resolve();
    this.recovering = (async () => {
      for (const queue of this.registry.queues()) {
        const handler = this.registry.get(queue)!;
        if (!handler.unfinished) continue;
        try {
          const jobs = await this.executor.inContext(() => handler.unfinished!({ atStart }));
          for (const job of jobs) await this.enqueue(queue, job.data, { jobId: job.jobId });
          if (jobs.length && atStart) this.log.log(`Resuming ${jobs.length} unfinished ${queue} job(s) left by the previous process`);
        } catch (err) {
          this.log.error(`Looking for unfinished ${queue} jobs failed: ${toError(err).message}`);
        }
      }
    })().finally(() => (this.recovering = undefined));
    return this.recovering;
  }

  async enqueue<T>(queue: string, data: T, opts?: EnqueueOptions): Promise<void> {
    if (this.closed) throw new Error('The job runner has shut down');
    const job = this.executor.prepare(queue, opts);
    const key = job.jobId === undefined ? undefined : `${queue}\u0000${job.jobId}`;
    if (key && (this.active.has(key) || this.isRecentlyFinished(key))) return;
    if (key) this.active.add(key);
    const json = data === undefined ? undefined : JSON.stringify(data);
    this.ready.push({ queue, json, job, attempt: 1, ref: job.jobId ?? `local-${++this.seq}`, key });
    setImmediate(() => this.pump());
  }

  /** Drains: waits for every queued, running and delayed job, including jobs they enqueue meanwhile. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.recoverTimer);
    await this.recovering;
    if (!this.isIdle()) {
      let timer: NodeJS.Timeout | undefined;
      const drained = new Promise<boolean>((resolve) => this.idle.push(() => resolve(true)));
      const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), this.opts.drainTimeoutMs)));
      const ok = await Promise.race([drained, timedOut]);
      clearTimeout(timer);
      if (!ok) {
        this.log.warn(
          `Shutdown: ${this.running} running, ${this.ready.length + this.timers.size} queued job(s) not finished after ${this.opts.drainTimeoutMs} ms`,
        );
        for (const t of this.timers) clearTimeout(t);
        this.timers.clear();
        this.ready.length = 0;
      }
    }
    this.closed = true;
  }

  private pump(): void {
    while (this.running < this.opts.concurrency && this.ready.length) {
      const entry = this.ready.shift()!;
      this.running++;
      void this.execute(entry).finally(() => {
        this.running--;
        this.pump();
      });
    }
    if (this.isIdle()) for (const resolve of this.idle.splice(0)) resolve();
  }

  private async execute(e: Entry): Promise<void> {
    const data: unknown = e.json === undefined ? undefined : JSON.parse(e.json);
    try {
      await this.executor.attempt(e.queue, e.job.handler, data, { attempt: e.attempt, maxAttempts: e.job.attempts }, e.ref);
    } catch {
      if (e.attempt < e.job.attempts) {
        const timer = setTimeout(
          () => {
            this.timers.delete(timer);
            this.ready.push({ ...e, attempt: e.attempt + 1 });
            this.pump();
          },
          backoffDelay(e.attempt, e.job.backoffMs),
        );
        this.timers.add(timer);
        return;
      }
    }
    this.finish(e);
  }

  private finish(e: Entry): void {
    if (!e.key) return;
    this.active.delete(e.key);
    this.finished.set(e.key, Date.now());
    // The same bound BullMQ keeps finished jobs by (removeOnComplete), so deduplication behaves alike.
    while (this.finished.size > JOB_DEFAULTS.keepCompleted.count) this.finished.delete(this.finished.keys().next().value!);
  }

  private isRecentlyFinished(key: string): boolean {
    const at = this.finished.get(key);
    if (at === undefined) return false;
    if (Date.now() - at <= JOB_DEFAULTS.keepCompleted.age * 1000) return true;
    this.finished.delete(key);
    return false;
  }

  private isIdle(): boolean {
    return this.running === 0 && this.ready.length === 0 && this.timers.size === 0;
  }
}
