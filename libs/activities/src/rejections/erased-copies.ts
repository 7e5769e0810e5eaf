import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CustomerErasureHooks, erasureNeedles, type ErasedPeople } from '@cdp/customers';
import { sql, sqlArray, type Tx } from '@cdp/platform';

/**
 * Erasure (X10) reaches the copies this lib keeps of what senders sent: a rejected event or Segment message whose
 * payload names an erased customer (by id, identifier, e-mail or phone number), and an anonymous Segment message
 * still held whose data does. Both are deleted in the erasure's transaction, so nothing readable about the
 * person remains in the dead-letter list (a payload is its sender's words, not ours to redact in part).
 */
@Injectable()
export class ErasedCopies implements OnModuleInit {
  constructor(private readonly hooks: CustomerErasureHooks) {}

  onModuleInit(): void {
    this.hooks.register((tx, appId, people) => this.forget(tx, appId, people));
  }

  async forget(tx: Tx, appId: string, people: ErasedPeople): Promise<void> {
    const needles = erasureNeedles(people);
    if (!needles.length) return;
    const list = sqlArray(needles, 'text');
    await tx.run(sql`
      delete from event_rejections r
      where r.app_id = ${appId} and exists (select 1 from unnest(${list}) v where strpos(lower(r.payload), v) > 0)`);
    await tx.run(sql`
      delete from segment_held_messages h
      where h.app_id = ${appId} and exists (select 1 from unnest(${list}) v where strpos(lower(h.data::text), v) > 0)`);
  }
}
