import { BeforeApplicationShutdown, Logger } from '@nestjs/common';
import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { CustomerCreatedEvent } from '@cdp/customers';
import { Db, newId } from '@cdp/platform';
import { ActivityWriter } from './activity-writer';

/** The idempotency key of a customer's `customer.created` activity: it is recorded once, whoever records it. */
export const customerCreatedKey = (customerId: string) => `customer.created:${customerId}`;

/**
 * Every customer creation (by hand, import or event) gets its `customer.created` activity. Customers an
 * event batch creates already have it (written in the batch's transaction); the key makes this a no-op then.
 */
@EventsHandler(CustomerCreatedEvent)
export class CustomerCreatedHandler implements IEventHandler<CustomerCreatedEvent>, BeforeApplicationShutdown {
  private readonly log = new Logger(CustomerCreatedHandler.name);
  // Handlers run after the publisher has moved on; shutdown waits for them before the database closes.
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly db: Db,
    private readonly writer: ActivityWriter,
  ) {}

  handle(e: CustomerCreatedEvent): Promise<void> {
    const p = this.record(e).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
    return p;
  }

  async beforeApplicationShutdown(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private async record(e: CustomerCreatedEvent): Promise<void> {
    try {
      await this.db.transaction((tx) =>
        this.writer.write(tx, e.appId, [
          {
            id: newId(),
            customerId: e.customerId,
            type: 'customer.created',
            occurredAt: e.createdAt,
            data: { source: e.source },
            idempotencyKey: customerCreatedKey(e.customerId),
          },
        ]),
      );
    } catch (err) {
      // A customer deleted right after its creation has nothing left to record (foreign key violation).
      if ((err as { code?: string }).code === '23503' || (err as { name?: string }).name === 'ForeignKeyConstraintViolationException') return;
      this.log.error(`customer.created activity not recorded for ${e.customerId}: ${(err as Error).message}`);
    }
  }
}
