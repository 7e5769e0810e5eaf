import { Injectable } from '@nestjs/common';
import { newId, type Tx } from '@cdp/platform';
import type { ConversationData } from '../events/event-validation';
import { applyConversationEvent, type ConversationEvent, type ConversationState } from './conversation-state';
import { ConversationsRepository, toState } from './conversations.repository';

export interface StoredConversationEvent {
  type: 'conversation.started' | 'conversation.resolved';
  customerId: string;
  occurredAt: Date;
  data: ConversationData;
}

/**
 * Feeds the conversation read model from the conversation events a batch stored, in the batch's
 * transaction: rooms seen for the first time are inserted (one statement); rooms that exist are locked and
 * updated (one select, one update). A concurrent batch inserting the same new room makes the insert wait
 * and skip it, so it is then updated like any existing room: no event is lost either way.
 */
@Injectable()
export class ConversationProjector {
  constructor(private readonly repo: ConversationsRepository) {}

  async project(tx: Tx, appId: string, events: StoredConversationEvent[]): Promise<void> {
    if (!events.length) return;
    const byRoom = new Map<string, ConversationEvent[]>();
    for (const e of events) {
      const list = byRoom.get(e.data.roomId) ?? [];
      list.push({
        type: e.type,
        customerId: e.customerId,
        at: e.occurredAt.getTime(),
        lastMessage: e.data.lastMessage,
        additionalInfo: e.data.additionalInfo,
        notes: e.data.notes,
      });
      byRoom.set(e.data.roomId, list);
    }
    // Stable sort by time: events of the same instant keep their order in the batch.
    for (const list of byRoom.values()) list.sort((a, b) => a.at - b.at);
    const fold = (start: ConversationState | undefined, list: ConversationEvent[]) =>
      list.reduce<ConversationState | undefined>(applyConversationEvent, start)!;

    const fresh = [...byRoom.entries()].map(([roomId, list]) => ({ roomId, id: newId(), state: fold(undefined, list) }));
    const inserted = await this.repo.insertNew(tx, appId, fresh);
    const rest = [...byRoom.keys()].filter((r) => !inserted.has(r)).sort();
    if (!rest.length) return;
    const current = await this.repo.lockRooms(tx, appId, rest);
    await this.repo.updateMany(
      tx,
      appId,
      current.map((row) => ({ roomId: row.room_id, state: fold(toState(row), byRoom.get(row.room_id)!) })),
    );
  }
}
