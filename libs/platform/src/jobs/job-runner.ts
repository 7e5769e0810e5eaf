import type { EnqueueOptions } from './jobs.types';

/**
 * The job port: libs enqueue work here and never learn the transport (BullMQ on Redis, or in-process).
 * `enqueue` resolves once the job is accepted (stored in Redis, or queued in memory), never after it ran.
 * The payload is serialised as JSON on both transports: pass ids and plain values, not class instances or Dates.
 */
export abstract class JobRunner {
  abstract enqueue<T>(queue: string, data: T, opts?: EnqueueOptions): Promise<void>;
}
