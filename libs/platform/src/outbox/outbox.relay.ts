import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy, type Type } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Db, type Tx } from '../database/db';
import { sql } from '../database/sql';
import { DomainEvent, eventClassOf } from './domain-event';
import { DomainEventHandler, type DomainEventHandlerContract, type DomainEventHandlerOptions } from './domain-event-handler';
import { OUTBOX_OPTIONS, type ResolvedOutboxOptions } from './outbox.options';
import {
  markOutboxAttemptFailed,
  markOutboxHandled,
  pendingOutboxRow,
  pendingOutboxRows,
  purgeHandledOutboxRows,
  type OutboxRow,
} from './outbox.store';

/** One relay at a time per database: events go out in the order they were recorded, whatever the replicas. */
const RELAY_LOCK = 7_101_964;

/**
 * Waits for the relay's round in progress (in any process) and keeps the relay from starting another until
 * `tx` ends: for a transaction that must see no round commit while it works (a rebuild of what handlers keep).
 */
export async function holdOutboxRelay(tx: Tx): Promise<void> {
  await tx.run(sql`select pg_advisory_xact_lock(${RELAY_LOCK}::bigint)`);
}
/** An event whose handlers keep failing is retried with a growing pause, then set aside (`failed_at`). */
const MAX_ATTEMPTS = 10;
const retryDelayMs = (attempt: number) => Math.min(60 * 60_000, 1000 * 2 ** (attempt - 1));
/** Handled events are kept a day (for inspection), then purged by the relay when it is idle. */
const KEEP_HANDLED_MS = 24 * 60 * 60_000;
const PURGE_EVERY_MS = 10 * 60_000;

interface Registered {
  name: string;
  handler: DomainEventHandlerContract;
  events: Set<Type<DomainEvent>> | '*';
  order: number;
}

/**
 * The relay of the transactional outbox: reads the events committed transactions recorded, in order, and
 * hands each round's events to the domain event handlers in one transaction that also marks them handled.
 * It is woken right after a commit that recorded events, and polls (`pollMs`) for the rest: events recorded
 * by another process, or left behind by a crash between a commit and its round. At shutdown it finishes
 * the round in progress and drains what is pending; anything left waits for the next start.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('Outbox');
  private handlers: Registered[] = [];
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private lastPurge = 0;
  private lastDrainHandled = 0;

  constructor(
    private readonly db: Db,
    private readonly discovery: DiscoveryService,
    @Inject(OUTBOX_OPTIONS) private readonly opts: ResolvedOutboxOptions,
  ) {}

  onApplicationBootstrap(): void {
    this.handlers = this.discovery
      .getProviders({ metadataKey: DomainEventHandler.KEY })
      .map((w) => {
        const meta = this.discovery.getMetadataByDecorator(DomainEventHandler, w) as DomainEventHandlerOptions;
        if (!w.isDependencyTreeStatic()) throw new Error(`Domain event handler ${w.name} must be a singleton`);
        return {
          name: String(w.name),
          handler: w.instance as DomainEventHandlerContract,
          events: meta.events === '*' ? ('*' as const) : new Set(meta.events),
          order: meta.order ?? 0,
        };
      })
      .sort((a, b) => a.order - b.order);
    if (!this.opts.relay) return;
    this.db.onEventsCommitted(() => this.wake());
    this.timer = setInterval(() => this.wake(), this.opts.pollMs);
    this.timer.unref();
    this.wake();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (!this.opts.relay) return;
    this.again = true;
    await this.running;
    this.closed = true;
  }

  /** Starts a drain now, or right after the one running. */
  wake(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => (this.running = undefined));
  }

  /**
   * Hands on what is pending and answers once a drain found nothing more (a command that wrote many events,
   * such as the seed, waits for their handlers before it reports). Without a relay in this process it answers at once.
   */
  async settle(): Promise<void> {
    if (!this.opts.relay || this.closed) return;
    do {
      this.wake();
      while (this.running) await this.running;
    } while (this.lastDrainHandled > 0);
  }

  /** Rounds until nothing is left (or a round could not take the relay lock: another process is relaying). */
  private async drain(): Promise<void> {
    let total = 0;
    try {
      do {
        this.again = false;
        let handled: number;
        try {
          handled = await this.round();
        } catch (err) {
          this.log.error(`Outbox round failed: ${(err as Error).message}`);
          return;
        }
        total += handled;
        if (handled === this.opts.batchSize) this.again = true;
        if (handled === 0 && Date.now() - this.lastPurge > PURGE_EVERY_MS) await this.purge();
      } while (this.again);
    } finally {
      this.lastDrainHandled = total;
    }
  }

  /** One round in one transaction; when a handler fails, the round's events one by one. Answers how many were taken. */
  private async round(): Promise<number> {
    try {
      return await this.db.transaction(async (tx) => {
        if (!(await this.lock(tx))) return 0;
        const rows = await pendingOutboxRows(tx, this.opts.batchSize);
        if (!rows.length) return 0;
        await this.dispatch(tx, rows);
        await markOutboxHandled(
          tx,
          rows.map((r) => r.seq),
        );
        return rows.length;
      });
    } catch (err) {
      const rows = await this.db.transaction(async (tx) => ((await this.lock(tx)) ? pendingOutboxRows(tx, this.opts.batchSize) : []));
      if (!rows.length) throw err;
      for (const row of rows) await this.one(row.seq);
      return rows.length;
    }
  }

  /** A single event in its own transaction; a failure is counted and the event retried later (or set aside). */
  private async one(seq: string): Promise<void> {
    let row: OutboxRow | undefined;
    try {
      await this.db.transaction(async (tx) => {
        if (!(await this.lock(tx))) return;
        // Read again under the lock: another process may have handled it since.
        row = await pendingOutboxRow(tx, seq);
        if (!row) return;
        await this.dispatch(tx, [row]);
        await markOutboxHandled(tx, [row.seq]);
      });
    } catch (err) {
      if (!row) throw err;
      const attempt = row.attempts + 1;
      const giveUp = attempt >= MAX_ATTEMPTS;
      const message = err instanceof Error ? err.message : String(err);
      this.log.error(
        `Domain event ${row.type} ${row.id} (app ${row.app_id}) failed in a handler, attempt ${attempt}/${MAX_ATTEMPTS}` +
          `${giveUp ? '; set aside' : ''}: ${message}`,
      );
      await this.db.transaction((tx) => markOutboxAttemptFailed(tx, seq, message, retryDelayMs(attempt), giveUp));
    }
  }

  private async dispatch(tx: Tx, rows: OutboxRow[]): Promise<void> {
    const events = rows.map(rehydrate);
    for (const h of this.handlers) {
      const mine =
        h.events === '*' ? events : events.filter((e) => (h.events as Set<Type<DomainEvent>>).has(e.constructor as Type<DomainEvent>));
      if (mine.length) await h.handler.handle(mine, { tx });
    }
  }

  private async lock(tx: Tx): Promise<boolean> {
    return !!(await tx.one<{ ok: boolean }>(sql`select pg_try_advisory_xact_lock(${RELAY_LOCK}::bigint) as ok`))?.ok;
  }

  private async purge(): Promise<void> {
    this.lastPurge = Date.now();
    try {
      await this.db.transaction((tx) => purgeHandledOutboxRows(tx, KEEP_HANDLED_MS, 10_000));
    } catch (err) {
      this.log.warn(`Outbox purge failed: ${(err as Error).message}`);
    }
  }
}

/** The event as its class (found by its stored type), with its outbox id and time; an unknown type stays a plain event. */
function rehydrate(row: OutboxRow): DomainEvent {
  const cls = eventClassOf(row.type) ?? (DomainEvent as unknown as Type<DomainEvent>);
  return Object.assign(Object.create(cls.prototype) as DomainEvent, row.payload, {
    eventId: row.id,
    recordedAt: new Date(row.recorded_at).toISOString(),
    ...(cls === DomainEvent ? { type: row.type } : {}),
  });
}
