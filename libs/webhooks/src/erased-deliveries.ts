import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CustomerErasureHooks, erasureNeedles, type ErasedPeople } from '@cdp/customers';
import { sql, sqlArray, type Tx } from '@cdp/platform';

/**
 * Erasure (X10) reaches the delivery log: a delivery whose body carries an erased customer (its id, identifier,
 * e-mail or phone number) is deleted in the erasure's transaction — pending ones too, since what they would
 * send is the person. The `customer.erased` delivery that follows carries ids only (API.md "Webhooks").
 */
@Injectable()
export class ErasedDeliveries implements OnModuleInit {
  constructor(private readonly hooks: CustomerErasureHooks) {}

  onModuleInit(): void {
    this.hooks.register((tx, appId, people) => this.forget(tx, appId, people));
  }

  async forget(tx: Tx, appId: string, people: ErasedPeople): Promise<void> {
    const needles = erasureNeedles(people);
    if (!needles.length) return;
    await tx.run(sql`
      delete from webhook_deliveries d
      where d.app_id = ${appId} and exists (select 1 from unnest(${sqlArray(needles, 'text')}) v where strpos(lower(d.body), v) > 0)`);
  }
}
