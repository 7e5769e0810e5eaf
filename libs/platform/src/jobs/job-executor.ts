import { MikroORM, RequestContext } from '@mikro-orm/core';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { JobHandlerRegistry } from './job-handler.registry';
import { JOBS_OPTIONS, type EnqueueOptions, type JobContext, type JobHandlerContract, type ResolvedJobsOptions } from './jobs.types';

/** Delay before the attempt after `failedAttempt` (1-based): `baseMs * 2^(failedAttempt - 1)`, as BullMQ's exponential backoff. */
export function backoffDelay(failedAttempt: number, baseMs: number): number {
  return Math.round(baseMs * 2 ** (failedAttempt - 1));
}

export interface PreparedJob {
  handler: JobHandlerContract;
  jobId?: string;
  attempts: number;
  backoffMs: number;
}

export function toError(raw: unknown): Error {
  return raw instanceof Error ? raw : new Error(typeof raw === 'string' ? raw : JSON.stringify(raw));
}

/** What both transports share: checking an enqueue, and running one attempt in a fresh ORM context. */
@Injectable()
export class JobExecutor {
  private readonly log = new Logger('Jobs');

  constructor(
    private readonly orm: MikroORM,
    private readonly registry: JobHandlerRegistry,
    @Inject(JOBS_OPTIONS) private readonly opts: ResolvedJobsOptions,
  ) {}

  /** Programming errors (an unknown queue, a bad option) fail the enqueue at once, on either transport. */
  prepare(queue: string, opts: EnqueueOptions = {}): PreparedJob {
    const handler = this.registry.get(queue);
    if (!handler) throw new Error(`No job handler for queue "${queue}"`);
    const attempts = opts.attempts ?? this.opts.attempts;
    const backoffMs = opts.backoffMs ?? this.opts.backoffMs;
    if (!Number.isInteger(attempts) || attempts < 1 || attempts > 100)
      throw new Error(`attempts must be an integer from 1 to 100 (got ${attempts})`);
    if (!Number.isFinite(backoffMs) || backoffMs < 0) throw new Error(`backoffMs must be 0 or more (got ${backoffMs})`);
    const jobId = opts.jobId;
    if (jobId !== undefined && (jobId === '' || jobId.includes(':') || /^\d+$/.test(jobId) || jobId.length > 200))
      throw new Error(`jobId must be 1-200 characters, not only digits, without ":" (got "${jobId}")`);
    return { handler, jobId, attempts, backoffMs };
  }

  /** Runs `fn` in a fresh MikroORM context, as an attempt does (for work of the runner itself). */
  inContext<R>(fn: () => Promise<R>): Promise<R> {
    return RequestContext.create(this.orm.em, fn);
  }

  /**
   * One attempt. Each attempt gets its own MikroORM context (no identity map shared with a request or another
   * job). When the last attempt fails, the handler's `failed` is called once before the error is rethrown.
   */
  async attempt<T>(queue: string, handler: JobHandlerContract<T>, data: T, ctx: JobContext, ref: string): Promise<void> {
    try {
      await RequestContext.create(this.orm.em, () => handler.run(data, ctx));
    } catch (raw) {
      const err = toError(raw);
      if (ctx.attempt < ctx.maxAttempts) {
        this.log.warn(`Job ${queue}#${ref} attempt ${ctx.attempt}/${ctx.maxAttempts} failed, will retry: ${err.message}`);
        throw err;
      }
      this.log.error(`Job ${queue}#${ref} failed after ${ctx.maxAttempts} attempt(s): ${err.message}`);
      if (handler.failed) {
        try {
          await RequestContext.create(this.orm.em, () => handler.failed!(data, err));
        } catch (e) {
          this.log.error(`Job ${queue}#${ref}: the handler's failed() threw: ${toError(e).message}`);
        }
      }
      throw err;
    }
  }
}
