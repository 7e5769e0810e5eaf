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
