import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ActivityWriteHooks } from '@cdp/activities';
import { CustomerCreatedEvent, CustomerDeletionHooks, CustomerTallies } from '@cdp/customers';
import { DomainEventHandler, type DomainEventHandlerContract, type Tx } from '@cdp/platform';
import { AnalyticsRollups } from './analytics-rollups';

/**
 * Keeps the read models current: activities are counted in the transaction that stores them (the activities
 * lib's write hook), a deletion takes the customer's share away in the deletion's transaction (the customers
 * lib's deletion hook), and a creation is counted from the outbox (in the relay's transaction, a whole import
 * round in a few statements). A creation is counted only for a customer that still exists, held until the
 * round commits: a customer deleted before its round was never counted, and the deletion took nothing away.
 */
@Injectable()
@DomainEventHandler({ events: [CustomerCreatedEvent] })
export class AnalyticsHooks implements OnModuleInit, DomainEventHandlerContract<CustomerCreatedEvent> {
  constructor(
    private readonly rollups: AnalyticsRollups,
    private readonly tallies: CustomerTallies,
    private readonly deletionHooks: CustomerDeletionHooks,
    private readonly activityHooks: ActivityWriteHooks,
  ) {}

  onModuleInit(): void {
    this.activityHooks.register((tx, appId, stored) => this.rollups.activitiesStored(tx, appId, stored));
    this.deletionHooks.register((tx, appId, customer) => this.rollups.forgetCustomers(tx, appId, [customer.id]));
  }

  async handle(events: CustomerCreatedEvent[], { tx }: { tx: Tx }): Promise<void> {
    const byApp = new Map<string, string[]>();
    for (const e of events) {
      const ids = byApp.get(e.appId);
      if (ids) ids.push(e.customerId);
      else byApp.set(e.appId, [e.customerId]);
    }
    for (const [appId, ids] of byApp) await this.rollups.customersCreated(tx, appId, await this.tallies.refs(tx, appId, ids));
  }
}
