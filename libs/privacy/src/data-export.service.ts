import { Injectable, Logger } from '@nestjs/common';
import { Readable } from 'node:stream';
import { AuditService, type Identity } from '@cdp/access';
import { CustomerActivityReader } from '@cdp/activities';
import { CustomerConsent, CustomerLinks, CustomersService, toCustomerResponse, type CustomerRow } from '@cdp/customers';
import type { Tx } from '@cdp/platform';
import type { ErasureScope } from './privacy.dto';

/** Merge-lib actions the merge history of a person is made of. */
export const MERGE_ACTIONS = ['customer.merged', 'customer.unmerged', 'customer.main_channel_changed'] as const;

/**
 * `GET /v1/customers/:id/data-export` (FEATURES.md X10, access): everything held about a person, gathered
 * through the other libs' public faces and written as one JSON document. The small parts (the customers,
 * conversations, groups, consent and merge history) are read first; the activities are read and written a
 * page at a time while the client reads, so memory stays flat however many there are. The export is audited
 * (`customer.data_exported`, ids only) before the first byte is sent.
 */
@Injectable()
export class DataExportService {
  private readonly log = new Logger('DataExport');

  constructor(
    private readonly customers: CustomersService,
    private readonly links: CustomerLinks,
    private readonly consent: CustomerConsent,
    private readonly activities: CustomerActivityReader,
    private readonly audit: AuditService,
  ) {}

  /** The customers a scope names: the customer, or every member of its linked set (404 for another app's id). */
  async people(appId: string, id: string, scope: ErasureScope, tx?: Tx): Promise<CustomerRow[]> {
    const row = await this.customers.getRow(appId, id, tx);
    if (scope !== 'linked' || !row.profile_id) return [row];
    const members = await this.links.members(appId, row.profile_id, tx);
    const rows = await this.customers.getMany(
      appId,
      members.map((m) => m.id),
      tx,
    );
    return rows.sort((a, b) => Number(b.main_channel) - Number(a.main_channel) || (a.id < b.id ? -1 : 1));
  }

  async export(identity: Identity, id: string, scope: ErasureScope): Promise<Readable> {
    const appId = identity.appId;
    const rows = await this.people(appId, id, scope);
    const ids = rows.map((r) => r.id);
    const [conversations, groups, consentHistory, mergeHistory] = await Promise.all([
      this.activities.conversations(appId, ids),
      Promise.all(ids.map(async (customerId) => (await this.customers.groups(appId, customerId)).map((g) => ({ ...g, customerId })))),
      this.consent.allOf(appId, ids),
      this.audit.about(appId, ids, MERGE_ACTIONS),
    ]);
    await this.audit.record(undefined, identity, {
      action: 'customer.data_exported',
      subject: `customer:${rows[0].id}`,
      details: { customerIds: ids, scope },
    });
    const head = {
      generatedAt: new Date().toISOString(),
      customers: rows.map(toCustomerResponse),
    };
    const tail = { conversations, groups: groups.flat(), consentHistory, mergeHistory };
    const reader = this.activities;
    const log = this.log;
    async function* document(): AsyncGenerator<string> {
      // `head` without its closing brace, then the activities array, then the rest.
      yield JSON.stringify(head).slice(0, -1) + ',"activities":[';
      let first = true;
      for (const customerId of ids)
        for await (const page of reader.activities(appId, customerId)) {
          let chunk = '';
          for (const a of page) {
            chunk += (first ? '' : ',') + JSON.stringify(a);
            first = false;
          }
          yield chunk;
        }
      yield '],' + JSON.stringify(tail).slice(1);
    }
    const stream = Readable.from(document(), { objectMode: false });
    stream.on('error', (err) => log.error({ err, appId }, 'The data export stopped before its end'));
    return stream;
  }
}
