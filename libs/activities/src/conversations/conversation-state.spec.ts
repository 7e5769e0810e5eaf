import { applyConversationEvent, type ConversationEvent, type ConversationState } from './conversation-state';

const at = (h: number) => Date.UTC(2026, 10, 5, h);
const ev = (type: ConversationEvent['type'], h: number, extra: Partial<ConversationEvent> = {}): ConversationEvent => ({
  type,
  customerId: 'c',
  at: at(h),
  ...extra,
});
const fold = (events: ConversationEvent[], start?: ConversationState) =>
  events.reduce<ConversationState | undefined>(applyConversationEvent, start)!;

describe('conversation state (FEATURES.md A4)', () => {
  it('A4: a start opens, a later resolution resolves', () => {
    const s = fold([ev('conversation.started', 10, { lastMessage: 'hi' }), ev('conversation.resolved', 11, { lastMessage: 'bye' })]);
    expect(s).toMatchObject({ status: 'resolved', startedAt: at(10), resolvedAt: at(11), lastMessage: 'bye' });
  });

  it('A4: the same events in any order give the same conversation', () => {
    const events = [
      ev('conversation.started', 10, { lastMessage: 'hi', notes: 'n' }),
      ev('conversation.resolved', 11, { lastMessage: 'bye' }),
    ];
    expect(fold([...events].reverse())).toEqual(fold(events));
  });

  it('A4: a start after the resolution reopens; a stale resolution of an earlier session changes nothing', () => {
    const reopened = fold([ev('conversation.started', 10), ev('conversation.resolved', 11), ev('conversation.started', 15)]);
    expect(reopened).toMatchObject({ status: 'ongoing', startedAt: at(15), resolvedAt: null });
    expect(applyConversationEvent(reopened, ev('conversation.resolved', 12))).toMatchObject({ status: 'ongoing', startedAt: at(15) });
  });

  it('A4: a late event fills empty fields but never overwrites newer values', () => {
    const s = fold([
      ev('conversation.resolved', 11, { lastMessage: 'bye' }),
      ev('conversation.started', 10, { lastMessage: 'hi', additionalInfo: { a: 1 } }),
    ]);
    expect(s).toMatchObject({ lastMessage: 'bye', additionalInfo: { a: 1 }, lastEventAt: at(11) });
  });
});
