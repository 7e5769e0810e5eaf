import { BeforeApplicationShutdown, Logger } from '@nestjs/common';
import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { CustomerCreatedEvent } from '@cdp/customers';
import { Db, newId } from '@cdp/platform';
import { ActivityWriter, type ActivityToWrite } from './activity-writer';

/** The idempotency key of a customer's `customer.created` activity: it is recorded once, whoever records it. */
export const customerCreatedKey = (customerId: string) => `customer.created:${customerId}`;

/** At most this many `customer.created` activities per statement. */
const FLUSH_SIZE = 1000;

const isForeignKeyViolation = (err: unknown) =>
  (err as { code?: string }).code === '23503' || (err as { name?: string }).name === 'ForeignKeyConstraintViolationException';

/**
 * Every customer creation (by hand, import or event) gets its `customer.created` activity. Customers an
 * event batch creates already have it (written in the batch's transaction); the key makes this a no-op then.
 *
 * Creations arrive one event per customer, an import's thousand at once: they are gathered per app and
 * written a thousand per statement on the next turn of the event loop, so a bulk creation costs a few
 * transactions, not one per customer holding a pooled connection each. Shutdown waits for what is pending.
 */
@EventsHandler(CustomerCreatedEvent)
export class CustomerCreatedHandler implements IEventHandler<CustomerCreatedEvent>, BeforeApplicationShutdown {
  private readonly log = new Logger(CustomerCreatedHandler.name);
  private readonly pending = new Map<string, ActivityToWrite[]>();
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    private readonly writer: ActivityWriter,
  ) {}

  handle(e: CustomerCreatedEvent): void {
    const rows = this.pending.get(e.appId) ?? [];
    rows.push({
      id: newId(),
      customerId: e.customerId,
      type: 'customer.created',
      occurredAt: e.createdAt,
      data: { source: e.source },
      idempotencyKey: customerCreatedKey(e.customerId),
    });
    this.pending.set(e.appId, rows);
    this.flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.flush());
  }

  async beforeApplicationShutdown(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flush(): Promise<void> {
    try {
      while (this.pending.size) {
        const [appId, rows] = this.pending.entries().next().value as [string, ActivityToWrite[]];
        const batch = rows.splice(0, FLUSH_SIZE);
        if (!rows.length) this.pending.delete(appId);
        await this.write(appId, batch);
      }
    } finally {
      this.flushing = undefined;
      if (this.pending.size) this.flushing = this.flush();
    }
  }

  private async write(appId: string, rows: ActivityToWrite[]): Promise<void> {
    try {
      await this.db.transaction((tx) => this.writer.write(tx, appId, rows));
    } catch (err) {
      // A customer deleted right after its creation has nothing left to record: write the others one by one.
      if (isForeignKeyViolation(err) && rows.length > 1) {
        for (const row of rows) await this.write(appId, [row]);
        return;
      }
      if (isForeignKeyViolation(err)) return;
      this.log.error(`customer.created activities not recorded for ${rows.length} customer(s) of ${appId}: ${(err as Error).message}`);
    }
  }
}
