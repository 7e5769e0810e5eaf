/** What a handler learns about the attempt it runs: 1-based, and how many attempts the job has in all. */
export interface JobContext {
  attempt: number;
  maxAttempts: number;
}

/**
 * A job handler: a plain provider marked with `@JobHandler('<queue>')`. `run` must be idempotent: a job may
 * run more than once (a retry after a partial failure, a worker that died mid-job and whose job BullMQ hands
 * to another worker), so it must check what is already done (e.g. the record's status, unique keys) before
 * doing it again. `failed` is called once, after the last attempt has failed, to leave the job's record
 * `failed` with a reason; it is not called for attempts that will be retried.
 */
export interface JobHandlerContract<T = unknown> {
  run(data: T, ctx: JobContext): Promise<void>;
  failed?(data: T, error: Error): Promise<void>;
}

export interface EnqueueOptions {
  /**
   * Deduplication key: while a job with this id is known to the queue (queued, running, delayed, or among
   * the recently finished ones kept), enqueuing it again is a no-op. Not only digits, no `:`.
   */
  jobId?: string;
  /** Attempts in all, the first included (default 3). */
  attempts?: number;
  /** Base of the exponential backoff: attempt n+1 starts `backoffMs * 2^(n-1)` ms after attempt n failed (default 500). */
  backoffMs?: number;
}

export interface JobsOptions {
  /** BullMQ on this Redis when set; the in-process runner otherwise. */
  redisUrl?: string;
  /** Namespaces every BullMQ key (default `cdp`), so that several deployments or test runs can share one Redis. */
  prefix?: string;
  /** Whether this process runs jobs (default true). False gives a producer-only process (BullMQ only). */
  consume?: boolean;
  /** Jobs run at the same time per queue in this process (default 2). */
  concurrency?: number;
  /** Defaults for `EnqueueOptions`. */
  attempts?: number;
  backoffMs?: number;
  /** How long shutdown waits for the in-process queue to drain (default 30 s). */
  drainTimeoutMs?: number;
}

export const JOB_DEFAULTS = {
  prefix: 'cdp',
  concurrency: 2,
  attempts: 3,
  backoffMs: 500,
  drainTimeoutMs: 30_000,
  /** Finished jobs kept (BullMQ `removeOnComplete`/`removeOnFail`, and the in-process dedupe memory). */
  keepCompleted: { count: 1000, age: 24 * 3600 },
  keepFailed: { count: 5000, age: 7 * 24 * 3600 },
} as const;

export type ResolvedJobsOptions = Required<Omit<JobsOptions, 'redisUrl'>> & { redisUrl?: string };

export const JOBS_OPTIONS = Symbol('JOBS_OPTIONS');

export function resolveJobsOptions(opts: JobsOptions = {}): ResolvedJobsOptions {
  return {
    redisUrl: opts.redisUrl || undefined,
    prefix: opts.prefix || JOB_DEFAULTS.prefix,
    consume: opts.consume ?? true,
    concurrency: opts.concurrency ?? JOB_DEFAULTS.concurrency,
    attempts: opts.attempts ?? JOB_DEFAULTS.attempts,
    backoffMs: opts.backoffMs ?? JOB_DEFAULTS.backoffMs,
    drainTimeoutMs: opts.drainTimeoutMs ?? JOB_DEFAULTS.drainTimeoutMs,
  };
}
