import { Injectable } from '@nestjs/common';
import { CustomerCreatedEvent, CustomersService } from '@cdp/customers';
import { DomainEventHandler, newId, type DomainEventHandlerContract, type Tx } from '@cdp/platform';
import { ActivityWriter, type ActivityToWrite } from './activity-writer';

/** The idempotency key of a customer's `customer.created` activity: it is recorded once, whoever records it. */
export const customerCreatedKey = (customerId: string) => `customer.created:${customerId}`;

/**
 * Every customer creation (by hand, import or event) gets its `customer.created` activity, written from the
 * outbox in the relay's transaction: a thousand creations of an import arrive as one round and are written
 * in a few statements. Customers an event batch creates already have it (written in the batch's
 * transaction, and their event says so): they are skipped. Were one handed on anyway (an event recorded
 * before the flag existed), the idempotency key makes it a no-op. A customer deleted before its round has
 * nothing left to record: only customers that still exist (held against deletion until the round commits)
 * get the activity.
 */
@Injectable()
@DomainEventHandler({ events: [CustomerCreatedEvent] })
export class CustomerCreatedHandler implements DomainEventHandlerContract<CustomerCreatedEvent> {
  constructor(
    private readonly writer: ActivityWriter,
    private readonly customers: CustomersService,
  ) {}

  async handle(events: CustomerCreatedEvent[], { tx }: { tx: Tx }): Promise<void> {
    const byApp = new Map<string, CustomerCreatedEvent[]>();
    // Customers an event batch created got the activity in the creating transaction: nothing to hold or write.
    for (const e of events.filter((x) => !x.activityWritten)) {
      const list = byApp.get(e.appId);
      if (list) list.push(e);
      else byApp.set(e.appId, [e]);
    }
    for (const [appId, created] of byApp) await this.write(tx, appId, created);
  }

  private async write(tx: Tx, appId: string, events: CustomerCreatedEvent[]): Promise<void> {
    const alive = new Set(
      await this.customers.holdExisting(
        tx,
        appId,
        events.map((e) => e.customerId),
      ),
    );
    const rows: ActivityToWrite[] = events
      .filter((e) => alive.has(e.customerId))
      .map((e) => ({
        id: newId(),
        customerId: e.customerId,
        type: 'customer.created',
        occurredAt: new Date(e.createdAt),
        data: { source: e.source },
        idempotencyKey: customerCreatedKey(e.customerId),
      }));
    await this.writer.write(tx, appId, rows);
  }
}
