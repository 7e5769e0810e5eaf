import { Injectable } from '@nestjs/common';
import { CustomerActivityStore, CustomerConsent, type ConsentChange } from '@cdp/customers';
import type { Tx } from '@cdp/platform';
import { CONSENT_TYPES, CONVERSATION_TYPES } from '../activity-types/available-types';
import { ConversationProjector, type StoredConversationEvent } from '../conversations/conversation-projector';
import { ActivitiesRepository, type InsertedActivity, type NewActivity } from './activities.repository';
import { ActivityWriteHooks } from './activity-write.hooks';
import type { ConversationData } from './event-validation';

export interface ActivityToWrite extends NewActivity {
  conversation?: ConversationData;
}

/**
 * Stores activities and everything derived from them, in the caller's transaction and in a few statements
 * whatever the batch size: the activities (one insert, duplicates skipped), the customers' last activity
 * (the customers lib's store, one upsert), the per-type summary (one upsert) and the conversations of the
 * conversation events that were stored, and the consent of the `consent.opted_in` / `consent.opted_out`
 * activities stored (the customers lib applies them: the newest time wins), and the write hooks of the libs
 * above (read models such as analytics).
 */
@Injectable()
export class ActivityWriter {
  constructor(
    private readonly repo: ActivitiesRepository,
    private readonly lastActivity: CustomerActivityStore,
    private readonly conversations: ConversationProjector,
    private readonly consent: CustomerConsent,
    private readonly hooks: ActivityWriteHooks,
  ) {}

  async write(tx: Tx, appId: string, rows: ActivityToWrite[]): Promise<InsertedActivity[]> {
    const inserted = await this.repo.insert(tx, appId, rows);
    if (!inserted.length) return inserted;
    await this.lastActivity.touch(
      tx,
      appId,
      inserted.map((a) => ({ customerId: a.customer_id, at: new Date(a.occurred_at) })),
    );
    await this.repo.upsertTypeSummary(tx, appId, inserted);
    const stored = new Set(inserted.map((a) => a.id));
    const conversationEvents: StoredConversationEvent[] = rows
      .filter((r) => r.conversation && CONVERSATION_TYPES.has(r.type) && stored.has(r.id))
      .map((r) => ({
        type: r.type as StoredConversationEvent['type'],
        customerId: r.customerId,
        occurredAt: r.occurredAt,
        data: r.conversation!,
      }));
    await this.conversations.project(tx, appId, conversationEvents);
    const consent: ConsentChange[] = rows
      .filter((r) => CONSENT_TYPES.has(r.type) && stored.has(r.id))
      .map((r) => ({
        customerId: r.customerId,
        status: CONSENT_TYPES.get(r.type)!,
        source: 'event',
        at: r.occurredAt,
        note: typeof r.data?.note === 'string' ? r.data.note.slice(0, 500) : null,
      }));
    if (consent.length) await this.consent.apply(tx, appId, consent);
    await this.hooks.run(
      tx,
      appId,
      inserted.map((a) => ({ customerId: a.customer_id, type: a.type, occurredAt: new Date(a.occurred_at) })),
    );
    return inserted;
  }
}
