import { EntityManager, type EventSubscriber, type Transaction, type TransactionEventArgs } from '@mikro-orm/core';
import { Injectable, OnModuleInit } from '@nestjs/common';
import type { Tx } from '@cdp/platform';

/**
 * Runs callbacks once a transaction has committed, never when it rolls back: events about rows written in a
 * caller's transaction (`createMany`) must not reach listeners before those rows exist for them, nor at all
 * if the caller aborts. Hooks into the ORM's transaction events for the root transaction of `tx`.
 */
@Injectable()
export class AfterCommit implements OnModuleInit, EventSubscriber {
  private readonly pending = new WeakMap<Transaction, (() => void)[]>();

  constructor(private readonly em: EntityManager) {}

  onModuleInit(): void {
    this.em.getEventManager().registerSubscriber(this);
  }

  /** Queues `fn` for the commit of `tx`; outside a transaction it runs at once. */
  run(tx: Tx, fn: () => void): void {
    const trx = tx.em.getTransactionContext<Transaction>();
    if (!trx) {
      fn();
      return;
    }
    const list = this.pending.get(trx) ?? [];
    list.push(fn);
    this.pending.set(trx, list);
  }

  afterTransactionCommit(args: TransactionEventArgs): void {
    const list = args.transaction && this.pending.get(args.transaction);
    if (!list) return;
    this.pending.delete(args.transaction!);
    for (const fn of list) fn();
  }

  afterTransactionRollback(args: TransactionEventArgs): void {
    if (args.transaction) this.pending.delete(args.transaction);
  }
}
