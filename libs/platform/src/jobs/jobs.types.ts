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
  /**
   * The jobs of this queue that records say are unfinished (accepted, running, or done but for a last step),
   * to enqueue again: the in-process runner asks at start (`atStart`: whatever was running then was stopped
   * by the death of the process before; the handler may end some `failed` with a reason instead) and every
   * minute. Only for a process that holds its database alone (`JobsOptions.recover`).
   */
  unfinished?(ctx: { atStart: boolean }): Promise<Array<{ data: T; jobId: string }>>;
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
  /**
   * In-process runner: enqueue the handlers' `unfinished()` jobs at start and every `recoverEveryMs` (default
   * 60 s). Only for a process that is alone on its database (the embedded one, held by its lock): jobs in
   * memory die with their process, and nobody else can be running them. Default false.
   */
  recover?: boolean;
  recoverEveryMs?: number;
}

export const JOB_DEFAULTS = {
  prefix: 'cdp',
  concurrency: 2,
  attempts: 3,
  backoffMs: 500,
  drainTimeoutMs: 30_000,
  recoverEveryMs: 60_000,
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
    recover: opts.recover ?? false,
    recoverEveryMs: opts.recoverEveryMs ?? JOB_DEFAULTS.recoverEveryMs,
  };
}
