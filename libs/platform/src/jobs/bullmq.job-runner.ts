import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Queue, Worker, type Job } from 'bullmq';
import { JobExecutor } from './job-executor';
import { JobHandlerRegistry } from './job-handler.registry';
import { JobRunner } from './job-runner';
import { JOB_DEFAULTS, JOBS_OPTIONS, type EnqueueOptions, type ResolvedJobsOptions } from './jobs.types';
import { redisOptionsFromUrl, type RedisConnection } from './redis-url';

/**
 * The transport with Redis: one BullMQ Queue per queue name (producer, created on first use) and, when this
 * process consumes, one Worker per registered handler, started once every module is initialised. Any
 * process (API replica or `worker.ts`) may pick up any job, so handlers must be idempotent. A job that
 * stalls past BullMQ's stalled limit (a worker killed mid-job, repeatedly) fails without `failed()`;
 * features keep their own record's status and can be re-enqueued.
 */
@Injectable()
export class BullMqJobRunner extends JobRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('Jobs');
  private readonly connection: RedisConnection;
  private readonly queues = new Map<string, Queue>();
  private readonly workers: Worker[] = [];
  private closed = false;

  constructor(
    private readonly registry: JobHandlerRegistry,
    private readonly executor: JobExecutor,
    @Inject(JOBS_OPTIONS) private readonly opts: ResolvedJobsOptions,
  ) {
    super();
    this.connection = redisOptionsFromUrl(opts.redisUrl!);
  }

  async enqueue<T>(queue: string, data: T, opts?: EnqueueOptions): Promise<void> {
    if (this.closed) throw new Error('The job runner has shut down');
    const job = this.executor.prepare(queue, opts);
    await this.queue(queue).add(queue, data, {
      jobId: job.jobId,
      attempts: job.attempts,
      backoff: { type: 'exponential', delay: job.backoffMs },
      removeOnComplete: { ...JOB_DEFAULTS.keepCompleted },
      removeOnFail: { ...JOB_DEFAULTS.keepFailed },
    });
  }

  onApplicationBootstrap(): void {
    if (!this.opts.consume) return;
    for (const name of this.registry.queues()) {
      const worker = new Worker(name, (job: Job) => this.process(name, job), {
        connection: this.connection,
        prefix: this.opts.prefix,
        concurrency: this.opts.concurrency,
      });
      // The per-attempt outcome is logged by the executor; these are connection-level problems.
      worker.on('error', (err) => this.log.error(`Worker "${name}": ${err.message}`));
      this.workers.push(worker);
    }
    if (this.workers.length) this.log.log(`Consuming ${this.workers.length} queue(s) on Redis (prefix "${this.opts.prefix}")`);
  }

  /** Workers first (each waits for its running jobs, which may still enqueue), then the producers. */
  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled(this.workers.map((w) => w.close()));
    this.closed = true;
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
  }

  private process(name: string, job: Job): Promise<void> {
    const handler = this.registry.get(name)!;
    const ctx = { attempt: job.attemptsMade + 1, maxAttempts: job.opts.attempts ?? 1 };
    return this.executor.attempt(name, handler, job.data as unknown, ctx, job.id ?? '?');
  }

  private queue(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.connection, prefix: this.opts.prefix });
      q.on('error', (err) => this.log.error(`Queue "${name}": ${err.message}`));
      this.queues.set(name, q);
    }
    return q;
  }
}
