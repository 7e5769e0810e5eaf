import { Injectable } from '@nestjs/common';
import type { Tx } from '@cdp/platform';

/** What a deletion hook learns about the customer being deleted. */
export interface DeletedCustomerRef {
  id: string;
  profileId: string | null;
}

export type CustomerDeletionHook = (tx: Tx, appId: string, customer: DeletedCustomerRef) => Promise<void>;

/**
 * Lets libs above customers take part in a customer's deletion without the customers lib importing them:
 * each hook runs inside the deletion's transaction, before the row is deleted (the customer row is locked),
 * e.g. the merge lib ends a linked set that would be left with one member. A hook that throws aborts the
 * deletion. Register in `onModuleInit`.
 */
@Injectable()
export class CustomerDeletionHooks {
  private readonly hooks: CustomerDeletionHook[] = [];

  register(hook: CustomerDeletionHook): void {
    this.hooks.push(hook);
  }

  /** Runs every hook in registration order, one after the other (they share one connection). */
  async run(tx: Tx, appId: string, customer: DeletedCustomerRef): Promise<void> {
    for (const hook of this.hooks) await hook(tx, appId, customer);
  }
}

/** What an erasure hook learns: the erased customers' ids and the personal values they held (lower-cased). */
export interface ErasedPeople {
  ids: string[];
  /** Identifiers, e-mail addresses and phone numbers of the erased customers, lower-cased, without empties. */
  values: string[];
}

/** What to look for in a kept copy: the erased ids (lower-cased) and the personal values. */
export const erasureNeedles = (people: ErasedPeople): string[] => [...people.ids.map((id) => id.toLowerCase()), ...people.values];

export type CustomerErasureHook = (tx: Tx, appId: string, people: ErasedPeople) => Promise<void>;

/**
 * Erasure (X10) goes further than a deletion: copies of the person kept outside the tables that reference the
 * customers — a rejected event's payload, a webhook delivery's body — must go too. Libs above customers that
 * keep such copies register a hook; each runs in the erasure's transaction, before the customers are deleted.
 */
@Injectable()
export class CustomerErasureHooks {
  private readonly hooks: CustomerErasureHook[] = [];

  register(hook: CustomerErasureHook): void {
    this.hooks.push(hook);
  }

  async run(tx: Tx, appId: string, people: ErasedPeople): Promise<void> {
    for (const hook of this.hooks) await hook(tx, appId, people);
  }
}
