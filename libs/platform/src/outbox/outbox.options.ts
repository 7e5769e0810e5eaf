export const OUTBOX_OPTIONS = Symbol('OUTBOX_OPTIONS');

export interface OutboxOptions {
  /** Run the relay in this process (default true). A process that only writes still records events. */
  relay?: boolean;
  /** How often the relay looks for events it was not woken for (recorded by another process, or before a crash). */
  pollMs?: number;
  /** Events per relay round (one transaction). */
  batchSize?: number;
}

export type ResolvedOutboxOptions = Required<OutboxOptions>;

export const resolveOutboxOptions = (o: OutboxOptions = {}): ResolvedOutboxOptions => ({
  relay: o.relay ?? true,
  pollMs: o.pollMs ?? 1000,
  batchSize: o.batchSize ?? 500,
});
