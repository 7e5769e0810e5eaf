import { validateEvent } from './event-validation';

const now = Date.UTC(2026, 10, 5, 12);
const base = { type: 'purchase.completed', occurredAt: '2026-11-05T10:00:00Z', customerId: '01900000-0000-7000-8000-000000000000' };

describe('one event of a batch (FEATURES.md A2)', () => {
  it('A2: a valid event is answered normalised', async () => {
    const r = await validateEvent({ ...base, occurredAt: '2026-11-05T17:00:00.123+07:00', data: { a: 1 } }, now);
    expect(r.event).toMatchObject({ type: 'purchase.completed', occurredAt: new Date('2026-11-05T10:00:00.123Z'), data: { a: 1 } });
  });

  it.each([
    ['no occurredAt', { ...base, occurredAt: undefined }],
    ['no offset', { ...base, occurredAt: '2026-11-05T10:00:00' }],
    ['two days ahead', { ...base, occurredAt: '2026-11-07T13:00:00Z' }],
    ['an unknown field', { ...base, colour: 'red' }],
    ['both ways of naming the customer', { ...base, channelId: base.customerId, identifier: '1' }],
    ['no customer', { type: base.type, occurredAt: base.occurredAt }],
    ['a channel without identifier', { type: base.type, occurredAt: base.occurredAt, channelId: base.customerId }],
    ['data that is not an object', { ...base, data: [1] }],
    [
      'an unknown customer field',
      { type: base.type, occurredAt: base.occurredAt, channelId: base.customerId, identifier: '1', customer: { age: 3 } },
    ],
    ['a conversation event without roomId', { ...base, type: 'conversation.started', data: {} }],
    [
      'a conversation event with a non-string lastMessage',
      { ...base, type: 'conversation.started', data: { roomId: 'r', lastMessage: 5 } },
    ],
  ])('A2: refuses %s with a message', async (_, raw) => {
    const r = await validateEvent(raw, now);
    expect(r.event).toBeUndefined();
    expect(r.message).toEqual(expect.any(String));
  });

  it('A4: a conversation event carries its room (numeric room ids become strings)', async () => {
    const r = await validateEvent({ ...base, type: 'conversation.resolved', data: { roomId: 12345, notes: ['a'] } }, now);
    expect(r.event?.conversation).toEqual({ roomId: '12345', notes: ['a'] });
  });
});
