import type { Type } from '@nestjs/common';

/**
 * A domain event: a fact about one app's data, recorded in the outbox by the transaction that made it true
 * (`tx.record(event)`) and handed to handlers only once that transaction has committed (DESIGN.md "Domain
 * events and the transactional outbox"). It travels through a table as JSON, so its fields are plain JSON
 * values: ids, strings (times as ISO-8601), numbers, booleans, arrays and objects of those.
 */
export abstract class DomainEvent {
  abstract readonly appId: string;
  /** The outbox row's id, set when the relay hands the event on; the same on every redelivery. */
  declare readonly eventId: string;
  /** When the event was recorded (its transaction's time in Node), ISO-8601. */
  declare readonly recordedAt: string;
}

const CLASS_OF_TYPE = new Map<string, Type<DomainEvent>>();
const TYPE_OF_CLASS = new Map<Type<DomainEvent>, string>();

/**
 * Names an event class's type as it is stored and published (`customer.created`): the name survives a rename
 * of the class, and the relay finds the class again by it. Two classes may not share a type.
 */
export function EventType(type: string) {
  return (target: Type<DomainEvent>): void => {
    const other = CLASS_OF_TYPE.get(type);
    if (other && other !== target) throw new Error(`Domain event type "${type}" is taken by ${other.name}`);
    CLASS_OF_TYPE.set(type, target);
    TYPE_OF_CLASS.set(target, type);
  };
}

/** The stored type of an event; an event class without `@EventType` is a programming error. */
export function eventTypeOf(event: DomainEvent): string {
  const type = TYPE_OF_CLASS.get(event.constructor as Type<DomainEvent>);
  if (!type) throw new Error(`${event.constructor.name} has no @EventType`);
  return type;
}

export function eventClassOf(type: string): Type<DomainEvent> | undefined {
  return CLASS_OF_TYPE.get(type);
}
