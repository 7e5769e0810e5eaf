import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { JobRunner } from '@cdp/platform';
import { WEBHOOKS_OPTIONS, type ResolvedWebhooksOptions } from './webhooks.options';
import { WebhooksRepository } from './webhooks.repository';

export const DELIVERY_QUEUE = 'webhooks.deliver';

/** The payload of a delivery job: one webhook, whose due deliveries it sends in order. */
export interface DeliveryJob {
  appId: string;
  webhookId: string;
}

/** Webhooks marked queued wait this long for their job before a scan queues another (a job lost with its process). */
const QUEUED_HOLD_MS = 15_000;
const SCAN_LIMIT = 200;
/** The delivery log keeps finished deliveries this long; an idle scan purges older ones now and then. */
export const KEEP_FINISHED_MS = 30 * 24 * 3600_000;
const PURGE_EVERY_MS = 10 * 60_000;
/**
 * Wake-ups are rounded up to a step of this long and share a timer: a stream of relay rounds (each asks for a
 * scan shortly after it commits) starts one scan per step, not one per round.
 */
const WAKE_STEP_MS = 25;

/**
 * Queues a delivery job for every webhook whose oldest pending delivery is due. The database is the queue's
 * truth: a scan runs when the outbox handler added deliveries, at the time a retry falls due, and every
 * `pollMs` (retries due while another process was sending, or after a restart: nothing pending is lost).
 * Each webhook is marked queued as it is picked, so replicas scanning at once queue it once.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('Webhooks');
  /** Pending wake-ups by the time they fire. */
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private poll: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;
  private lastPurge = 0;

  constructor(
    private readonly repo: WebhooksRepository,
    private readonly jobs: JobRunner,
    @Inject(WEBHOOKS_OPTIONS) private readonly opts: ResolvedWebhooksOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.opts.dispatch) return;
    this.poll = setInterval(() => this.scan(), this.opts.pollMs);
    this.poll.unref();
    this.scan();
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    if (this.poll) clearInterval(this.poll);
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await this.running;
  }

  /** Deliveries were added by a transaction that commits in a moment: scan shortly after. */
  wakeSoon(): void {
    this.wakeIn(25);
    this.wakeIn(250);
  }

  /** A retry falls due in `ms` (a later one is left to the poll); a wake-up already set for that step covers it. */
  wakeIn(ms: number): void {
    if (this.closed || !this.opts.dispatch || ms > this.opts.pollMs * 5) return;
    const now = Date.now();
    const at = Math.ceil((now + ms + 5) / WAKE_STEP_MS) * WAKE_STEP_MS;
    if (this.timers.has(at)) return;
    const timer = setTimeout(() => {
      this.timers.delete(at);
      this.scan();
    }, at - now);
    timer.unref();
    this.timers.set(at, timer);
  }

  /** Starts a scan now, or right after the one running. */
  scan(): void {
    if (this.closed || !this.opts.dispatch) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.scanAll().finally(() => (this.running = undefined));
  }

  private async scanAll(): Promise<void> {
    do {
      this.again = false;
      try {
        const due = await this.repo.dueWebhooks(SCAN_LIMIT, QUEUED_HOLD_MS);
        for (const w of due) {
          try {
            await this.jobs.enqueue<DeliveryJob>(DELIVERY_QUEUE, { appId: w.app_id, webhookId: w.id }, { attempts: 1 });
          } catch (err) {
            await this.repo.unqueue(w.app_id, w.id);
            throw err;
          }
        }
        if (due.length === SCAN_LIMIT) this.again = true;
        if (!due.length && Date.now() - this.lastPurge > PURGE_EVERY_MS) {
          this.lastPurge = Date.now();
          await this.repo.purgeFinished(KEEP_FINISHED_MS, 10_000);
        }
      } catch (err) {
        if (!this.closed) this.log.error(`Webhook dispatch scan failed: ${(err as Error).message}`);
        return;
      }
    } while (this.again && !this.closed);
  }
}
