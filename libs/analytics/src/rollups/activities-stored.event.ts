import type { StoredActivity } from '@cdp/activities';
import { DomainEvent, EventType } from '@cdp/platform';
import { quarterOf } from '../intervals';

/** The stored type of `ActivitiesStoredEvent`. */
export const ACTIVITIES_STORED = 'analytics.activities_stored';

/** A customer's activities of one type in one UTC quarter hour, as the read models count them. */
export interface PresenceDelta {
  customerId: string;
  type: string;
  /** The quarter hour's start, epoch milliseconds. */
  quarter: number;
  d: number;
}

/**
 * Activities a transaction stored, for the analytics read models to count after it commits (the lib's own
 * event: no other handler takes it, and webhooks do not publish it). Folded per customer, type and quarter
 * hour, and written compactly, since a batch of 500 events records one: `rows` holds
 * `[customer index, type index, quarter hour in epoch minutes, how many]`.
 */
@EventType(ACTIVITIES_STORED)
export class ActivitiesStoredEvent extends DomainEvent {
  constructor(
    readonly appId: string,
    readonly customers: string[],
    readonly types: string[],
    readonly rows: [number, number, number, number][],
  ) {
    super();
  }

  /** The event of a batch, or nothing when no activity has a time (none is counted then). */
  static of(appId: string, stored: readonly StoredActivity[]): ActivitiesStoredEvent | undefined {
    const customers = new Map<string, number>();
    const types = new Map<string, number>();
    const rows = new Map<string, [number, number, number, number]>();
    for (const a of stored) {
      const t = a.occurredAt.getTime();
      if (Number.isNaN(t)) continue;
      let c = customers.get(a.customerId);
      if (c === undefined) customers.set(a.customerId, (c = customers.size));
      let y = types.get(a.type);
      if (y === undefined) types.set(a.type, (y = types.size));
      const minute = quarterOf(t) / 60_000;
      const key = `${c}:${y}:${minute}`;
      const row = rows.get(key);
      if (row) row[3] += 1;
      else rows.set(key, [c, y, minute, 1]);
    }
    if (!rows.size) return undefined;
    return new ActivitiesStoredEvent(appId, [...customers.keys()], [...types.keys()], [...rows.values()]);
  }

  /** The presence deltas it carries. */
  deltas(): PresenceDelta[] {
    return this.rows.map(([c, y, minute, n]) => ({ customerId: this.customers[c], type: this.types[y], quarter: minute * 60_000, d: n }));
  }
}
