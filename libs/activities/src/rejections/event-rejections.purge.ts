import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { JobHandler, JobRunner, type JobHandlerContract } from '@cdp/platform';
import { EventRejectionsService } from './event-rejections.service';

export const PURGE_REJECTIONS_QUEUE = 'activities.purge-rejections';
/** How often a process checks whether today's clean-up is queued (the job id makes it once a day). */
const CHECK_EVERY_MS = 60 * 60 * 1000;

/** The daily clean-up: rejected events older than 30 days are deleted. Idempotent (a second run deletes nothing). */
@Injectable()
@JobHandler(PURGE_REJECTIONS_QUEUE)
export class PurgeRejectionsJob implements JobHandlerContract<{ day: string }> {
  constructor(private readonly rejections: EventRejectionsService) {}

  async run(): Promise<void> {
    await this.rejections.purge();
  }
}

/**
 * Queues the clean-up once a day: every process checks at start and then hourly, and the job id is the UTC
 * day, so however many replicas run, one job a day is done (BullMQ, and the in-process runner, skip a job id
 * they already know).
 */
@Injectable()
export class PurgeRejectionsScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('EventRejections');
  private timer?: NodeJS.Timeout;

  constructor(private readonly jobs: JobRunner) {}

  onApplicationBootstrap(): void {
    void this.queueToday();
    this.timer = setInterval(() => void this.queueToday(), CHECK_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Queues today's clean-up (a no-op when it is already known). */
  async queueToday(now = new Date()): Promise<void> {
    const day = now.toISOString().slice(0, 10);
    try {
      await this.jobs.enqueue(PURGE_REJECTIONS_QUEUE, { day }, { jobId: `purge-rejections-${day}` });
    } catch (err) {
      this.log.warn(`Could not queue the clean-up of rejected events: ${(err as Error).message}`);
    }
  }
}
