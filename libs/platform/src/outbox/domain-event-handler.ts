import { DiscoveryService } from '@nestjs/core';
import type { Tx } from '../database/db';
import type { Type } from '@nestjs/common';
import type { DomainEvent } from './domain-event';

export interface DomainEventHandlerOptions {
  /** The event classes handled, or `'*'` for every event (e.g. an outgoing webhook dispatcher). */
  events: Type<DomainEvent>[] | '*';
  /**
   * Where it runs in a round: lower first (default 0; equal ones in the order Nest found them). For a handler
   * that holds rows a later one holds a subset of: taking them all first, in one order, keeps the round's
   * locks in that order.
   */
  order?: number;
}

/**
 * Marks a provider as a handler of domain events; the outbox relay finds it at start-up. The handler gets
 * the events of one relay round that it handles, in the order they were recorded, with the relay's
 * transaction: what it writes in `ctx.tx` commits together with the mark that the events were handled, so a
 * crash in between replays both (exactly once, as far as the database is concerned). Anything it does
 * outside the database must be idempotent by `event.eventId`: an event is handed on at least once.
 */
export const DomainEventHandler = DiscoveryService.createDecorator<DomainEventHandlerOptions>();

export interface DomainEventHandlerContract<E extends DomainEvent = DomainEvent> {
  handle(events: E[], ctx: { tx: Tx }): Promise<void>;
}
