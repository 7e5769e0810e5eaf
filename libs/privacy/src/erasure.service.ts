import { Injectable } from '@nestjs/common';
import { AbilityService, AuditService, type Identity } from '@cdp/access';
import { CustomerActivityReader } from '@cdp/activities';
import { actorOf, CustomerErasure, CustomerNotFoundError, CustomersErasedEvent, Suppressions } from '@cdp/customers';
import { Db, isRetryableConflict, isUuid, retrying } from '@cdp/platform';
import { DataExportService } from './data-export.service';
import type { ErasureResultDto, ErasureScope } from './privacy.dto';

/**
 * `POST /v1/customers/:id/erase` (FEATURES.md X10, erasure): one transaction removes the customer (or its
 * whole linked set) and everything that references it, through the customers lib (which runs the other libs'
 * deletion hooks: a linked set that falls to one member ends as it does on a deletion), leaves keyed-hash
 * suppressions of its identity, e-mail and phone number unless told not to, records `customer.erased` with
 * ids only, and an audit entry that keeps who and when and the ids, never an erased value.
 */
@Injectable()
export class ErasureService {
  constructor(
    private readonly db: Db,
    private readonly people: DataExportService,
    private readonly erasure: CustomerErasure,
    private readonly suppressions: Suppressions,
    private readonly activities: CustomerActivityReader,
    private readonly audit: AuditService,
    private readonly abilities: AbilityService,
  ) {}

  async erase(identity: Identity, id: string, opts: { scope?: ErasureScope; suppress?: boolean }): Promise<ErasureResultDto> {
    await this.abilities.require(identity, 'manage', 'PersonalData');
    const appId = identity.appId;
    if (!isUuid(id)) throw new CustomerNotFoundError();
    const scope = opts.scope ?? 'self';
    const suppress = opts.suppress ?? true;
    return retrying(
      () =>
        this.db.transaction(async (tx) => {
          // Who the scope names is read again inside the transaction, under the rows' locks.
          const named = await this.people.people(appId, id, scope, tx);
          const rows = await this.erasure.lock(
            tx,
            appId,
            named.map((r) => r.id),
          );
          if (!rows.length) throw new CustomerNotFoundError();
          const ids = rows.map((r) => r.id);
          const erasedActivities = await this.activities.count(appId, ids, tx);
          const suppressionIds = suppress
            ? await this.suppressions.suppress(
                tx,
                appId,
                actorOf(identity),
                rows.map((r) => ({ channelId: r.channel_id, identifier: r.identifier, email: r.email, phoneNumber: r.phone_number })),
              )
            : [];
          const profileId = scope === 'linked' ? (rows.find((r) => r.profile_id)?.profile_id ?? null) : null;
          const erasedCustomers = await this.erasure.erase(tx, appId, rows);
          await this.audit.record(tx, identity, {
            action: 'customer.erased',
            subject: `customer:${id.toLowerCase()}`,
            details: { customerIds: ids, scope, suppressed: suppress, erasedActivities, suppressionIds },
          });
          tx.record(new CustomersErasedEvent(appId, ids, profileId));
          return { erasedCustomers, erasedActivities, suppressionIds };
        }),
      { attempts: 4, retryOn: isRetryableConflict },
    );
  }
}
