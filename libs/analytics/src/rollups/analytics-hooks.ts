import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ActivityWriteHooks, type StoredActivity } from '@cdp/activities';
import { CustomerCreatedEvent, CustomerDeletionHooks, CustomerTallies } from '@cdp/customers';
import { DomainEventHandler, type DomainEventHandlerContract, type Tx } from '@cdp/platform';
import { ActivitiesStoredEvent } from './activities-stored.event';
import { shareActivityCounting } from './analytics-rebuild';
import { AnalyticsRollups } from './analytics-rollups';

type Handled = CustomerCreatedEvent | ActivitiesStoredEvent;

function byApp<E extends { appId: string }>(events: readonly E[]): Map<string, E[]> {
  const out = new Map<string, E[]>();
  for (const e of events) {
    const list = out.get(e.appId);
    if (list) list.push(e);
    else out.set(e.appId, [e]);
  }
  return out;
}

/**
 * Keeps the read models current, mostly from the outbox, so that a write pays for its own rows and one event:
 * - activities stored (the activities lib's write hook): the transaction records one `ActivitiesStoredEvent`
 *   (its activities folded per customer, type and quarter hour) and the relay counts a whole round of them in
 *   one set of upserts;
 * - customers created: their `CustomerCreatedEvent`s, a whole import round in a few statements;
 * - a deletion takes the customer's share away in the deletion's own transaction (the customers lib's hook).
 * The relay counts only customers that still exist, held against deletion until the round commits: a customer
 * deleted before its round was never counted, and its deletion took nothing away; one deleted after it has
 * everything the round added taken away. Customer ids of activities never change (a merge links customers,
 * it does not move activities), so the event's ids stay right.
 */
@Injectable()
// First in a round: it holds every customer the round counts, in one pass in id order, and the activities lib's
// handler after it holds only the created ones among them, so the round takes its row locks in one order.
@DomainEventHandler({ events: [CustomerCreatedEvent, ActivitiesStoredEvent], order: -1 })
export class AnalyticsHooks implements OnModuleInit, DomainEventHandlerContract<Handled> {
  constructor(
    private readonly rollups: AnalyticsRollups,
    private readonly tallies: CustomerTallies,
    private readonly deletionHooks: CustomerDeletionHooks,
    private readonly activityHooks: ActivityWriteHooks,
  ) {}

  onModuleInit(): void {
    this.activityHooks.register((tx, appId, stored) => this.record(tx, appId, stored));
    this.deletionHooks.register((tx, appId, customer) => this.rollups.forgetCustomers(tx, appId, [customer.id]));
  }

  async handle(events: Handled[], { tx }: { tx: Tx }): Promise<void> {
    for (const [appId, list] of byApp(events)) {
      const deltas = list.flatMap((e) => (e instanceof ActivitiesStoredEvent ? e.deltas() : []));
      const created = new Set(list.flatMap((e) => (e instanceof CustomerCreatedEvent ? [e.customerId.toLowerCase()] : [])));
      // One pass holds every customer the round counts, in id order, as every holder takes them.
      const alive = await this.tallies.refs(tx, appId, [...deltas.map((d) => d.customerId), ...created]);
      const ids = new Set(alive.map((c) => c.id));
      // The activity side first, then the customer side: the order every writer takes the tables in.
      await this.rollups.activitiesStored(
        tx,
        appId,
        deltas.filter((d) => ids.has(d.customerId)),
      );
      await this.rollups.customersCreated(
        tx,
        appId,
        alive.filter((c) => created.has(c.id)),
      );
    }
  }

  private async record(tx: Tx, appId: string, stored: StoredActivity[]): Promise<void> {
    const event = ActivitiesStoredEvent.of(appId, stored);
    if (!event) return;
    await shareActivityCounting(tx, appId);
    tx.record(event);
  }
}
