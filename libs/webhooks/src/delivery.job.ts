import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { JobHandler, type JobHandlerContract } from '@cdp/platform';
import { DELIVERY_QUEUE, WebhookDispatcher, type DeliveryJob } from './webhook-dispatcher';
import { WebhookSender, type AttemptOutcome } from './webhook-sender';
import { maxAttempts, WEBHOOKS_OPTIONS, type ResolvedWebhooksOptions } from './webhooks.options';
import { WebhooksRepository, type AttemptRecord } from './webhooks.repository';

/** A worker holds a webhook this long (well beyond a run and the 10 s an attempt may take); renewed with each record. */
const LEASE_MS = 60_000;
/** Deliveries one job sends before it hands the rest to a fresh job (other webhooks get their turn). */
const PER_JOB = 200;
/** Pending deliveries read at once, in order. */
const BATCH = 20;
/**
 * Successful attempts are recorded together, in one statement per run: a run ends at a failed attempt, at the
 * end of a batch, or after this long. Recording a run also renews the lease and re-reads the target, so a
 * changed URL, a rotated secret or a disabled webhook applies from the next run, within about this long.
 */
const RUN_MS = 1_000;

/**
 * Sends one webhook's due deliveries, oldest first, under a lease on the webhook (one sender per webhook,
 * whatever the workers). The head of the queue holds the rest back until it succeeds or fails for good, so a
 * receiver sees a webhook's events in their order. A failed attempt is written before the next one goes out;
 * successes are written a run at a time (a process that dies before writing them sends them again: at least
 * once, with the same webhook-id).
 */
@Injectable()
@JobHandler(DELIVERY_QUEUE)
export class DeliveryJobHandler implements JobHandlerContract<DeliveryJob> {
  constructor(
    private readonly repo: WebhooksRepository,
    private readonly sender: WebhookSender,
    private readonly dispatcher: WebhookDispatcher,
    @Inject(WEBHOOKS_OPTIONS) private readonly opts: ResolvedWebhooksOptions,
  ) {}

  async run({ appId, webhookId }: DeliveryJob): Promise<void> {
    const lease = { token: randomUUID(), ms: LEASE_MS };
    let target = await this.repo.claim(appId, webhookId, lease.token, LEASE_MS);
    if (!target) return;
    let run: AttemptRecord[] = [];
    let runStart = Date.now();
    /** Writes the run's outcomes; false when the webhook is no longer this worker's to send to. */
    const record = async (): Promise<boolean> => {
      if (!run.length) return true;
      const outcomes = run;
      run = [];
      runStart = Date.now();
      target = await this.repo.recordAttempts(appId, webhookId, lease, outcomes);
      return !!target;
    };
    try {
      let sent = 0;
      while (sent < PER_JOB) {
        const batch = await this.repo.heads(appId, webhookId, BATCH);
        if (!batch.length) return;
        for (const head of batch) {
          if (!head.due) return;
          const next = this.judge(await this.sender.send(target, head.id, head.body), head.attempts + 1);
          sent++;
          run.push({ deliveryId: head.id, ...next });
          if (next.status === 'succeeded' && Date.now() - runStart < RUN_MS) continue;
          if (!(await record())) return;
          if (next.status === 'pending') {
            this.dispatcher.wakeIn(next.retryInMs!);
            return;
          }
        }
        // The next batch is read after this one is written (its heads are then the pending ones).
        if (!(await record())) return;
      }
      this.dispatcher.wakeSoon();
    } finally {
      try {
        await record();
      } finally {
        await this.repo.release(appId, webhookId, lease.token);
      }
    }
  }

  /** API.md: a 2xx is success; a 410 fails the delivery and disables the webhook; anything else is retried on the schedule. */
  private judge(o: AttemptOutcome, attempt: number) {
    const code = o.statusCode;
    if (code !== null && code >= 200 && code < 300) return { status: 'succeeded' as const, statusCode: code, error: null, retryInMs: null };
    if (code === 410)
      return {
        status: 'failed' as const,
        statusCode: code,
        error: 'The receiver answered 410 Gone: the webhook is disabled',
        retryInMs: null,
        disable: 'The receiver answered 410 Gone',
      };
    const error = o.error ?? `The receiver answered ${code}`;
    if (attempt >= maxAttempts(this.opts)) return { status: 'failed' as const, statusCode: code, error, retryInMs: null };
    return { status: 'pending' as const, statusCode: code, error, retryInMs: this.opts.retryScheduleMs[attempt - 1] };
  }
}
