/**
 * The conversation of a room as its events build it (FEATURES.md A4). Pure, so the rules are unit-tested:
 * - `conversation.started` opens it; a start later than its resolution reopens it (a new session in the
 *   same room), an earlier one that arrives late only moves `startedAt` back.
 * - `conversation.resolved` at or after the start resolves it; a resolution older than the current start
 *   belongs to an earlier session and changes nothing.
 * - `lastMessage`, `additionalInfo` and `notes` are taken from the newest event (by `occurredAt`) that
 *   carries them; events arriving late fill only what is still empty.
 * - A room first seen through its resolution starts at that time.
 */
export interface ConversationState {
  customerId: string;
  status: 'ongoing' | 'resolved';
  startedAt: number;
  resolvedAt: number | null;
  lastMessage: string | null;
  additionalInfo: unknown;
  notes: unknown;
  lastEventAt: number;
}

export interface ConversationEvent {
  type: 'conversation.started' | 'conversation.resolved';
  customerId: string;
  at: number;
  lastMessage?: string | null;
  additionalInfo?: unknown;
  notes?: unknown;
}

export function applyConversationEvent(state: ConversationState | undefined, e: ConversationEvent): ConversationState {
  const s: ConversationState = state
    ? { ...state }
    : {
        customerId: e.customerId,
        status: 'ongoing',
        startedAt: e.at,
        resolvedAt: null,
        lastMessage: null,
        additionalInfo: null,
        notes: null,
        lastEventAt: e.at,
      };
  if (e.type === 'conversation.started') {
    if (state && s.resolvedAt !== null && e.at > s.resolvedAt) {
      s.status = 'ongoing';
      s.startedAt = e.at;
      s.resolvedAt = null;
    } else if (state) s.startedAt = Math.min(s.startedAt, e.at);
  } else if (e.at >= s.startedAt) {
    s.status = 'resolved';
    s.resolvedAt = s.resolvedAt === null ? e.at : Math.max(s.resolvedAt, e.at);
  }
  // A late event fills what is still empty but never overwrites a newer value.
  const newest = !state || e.at >= s.lastEventAt;
  if (e.lastMessage !== undefined && (newest || s.lastMessage === null)) s.lastMessage = e.lastMessage;
  if (e.additionalInfo !== undefined && (newest || s.additionalInfo === null)) s.additionalInfo = e.additionalInfo;
  if (e.notes !== undefined && (newest || s.notes === null)) s.notes = e.notes;
  if (newest) s.lastEventAt = e.at;
  return s;
}
