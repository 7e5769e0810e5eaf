export const WEBHOOKS_OPTIONS = Symbol('WEBHOOKS_OPTIONS');

/** API.md "Webhooks": the waits after the 1st, 2nd, … failed attempt (about 5 s, 30 s, 2 min, 10 min, 1 h). */
export const DEFAULT_RETRY_SCHEDULE_MS = [5_000, 30_000, 120_000, 600_000, 3_600_000] as const;

export interface WebhooksOptions {
  /** Deliver to (and accept) hosts in private, loopback or link-local ranges (`WEBHOOK_ALLOW_PRIVATE_URLS`). */
  allowPrivateUrls?: boolean;
  /** The wait after each failed attempt; the delivery fails after `retryScheduleMs.length + 1` attempts. */
  retryScheduleMs?: readonly number[];
  /** How long the receiver has to answer with a status (10 s). */
  timeoutMs?: number;
  /** How often the dispatcher looks for due deliveries it was not woken for (other replicas, a restart, retries). */
  pollMs?: number;
  /** Whether this process queues delivery jobs (every API process and worker; off only in tests that stand for a dead one). */
  dispatch?: boolean;
}

export type ResolvedWebhooksOptions = Required<WebhooksOptions>;

export function resolveWebhooksOptions(o: WebhooksOptions = {}): ResolvedWebhooksOptions {
  return {
    allowPrivateUrls: o.allowPrivateUrls ?? false,
    retryScheduleMs: o.retryScheduleMs?.length ? [...o.retryScheduleMs] : [...DEFAULT_RETRY_SCHEDULE_MS],
    timeoutMs: o.timeoutMs ?? 10_000,
    pollMs: o.pollMs ?? 1_000,
    dispatch: o.dispatch ?? true,
  };
}

/** Attempts in all before a delivery is `failed` (API.md: after 6 failed attempts). */
export const maxAttempts = (o: ResolvedWebhooksOptions): number => o.retryScheduleMs.length + 1;
