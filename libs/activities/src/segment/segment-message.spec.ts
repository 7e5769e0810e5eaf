import { activityOf, checkMessage, contactTraits, eventKey, occurredAt } from './segment-message';

const receivedAt = new Date('2026-12-02T10:00:00.000Z');

describe('Segment messages (API.md "Segment-compatible ingestion"; FEATURES.md X11)', () => {
  it.each([
    ['Order Completed', 'order_completed'],
    ['  Signed-Up!! ', 'signed_up'],
    ['Checkout.Step 2', 'checkout.step_2'],
    ['Café Visité', 'cafe_visite'],
    ['404 Seen', 'e_404_seen'],
    ['purchase.completed', 'purchase.completed'],
  ])('X11: the track event %j has the activity type key %j', (name, key) => {
    expect(eventKey(name)).toBe(key);
  });

  it('X11: an event name without letters or digits gives no key; a long one is cut to 64 characters', () => {
    expect(eventKey('!!! ...')).toBeUndefined();
    const key = eventKey('a'.repeat(100))!;
    expect(key).toHaveLength(64);
  });

  it('X11: occurredAt corrects the sender clock skew with sentAt, else takes timestamp, else the arrival', () => {
    const ahead = 3_600_000;
    const sentAt = new Date(receivedAt.getTime() + ahead);
    const timestamp = new Date(sentAt.getTime() - 5_000);
    expect(occurredAt(receivedAt, { timestamp, sentAt }).toISOString()).toBe('2026-12-02T09:59:55.000Z');
    const originalTimestamp = new Date(sentAt.getTime() - 60_000);
    expect(occurredAt(receivedAt, { timestamp, originalTimestamp, sentAt }).toISOString()).toBe('2026-12-02T09:59:00.000Z');
    expect(occurredAt(receivedAt, { timestamp })).toEqual(timestamp);
    expect(occurredAt(receivedAt, {})).toEqual(receivedAt);
  });

  it("X11: a message without its own sentAt takes the batch's; the batch context is merged under the message's", () => {
    const r = checkMessage(
      { type: 'track', event: 'Tick', userId: 7, messageId: 'm1', timestamp: '2026-12-02T10:59:50Z', context: { ip: '10.0.0.1' } },
      { sentAt: '2026-12-02T11:00:00Z', context: { library: { name: 'x' }, ip: '1.1.1.1' } },
      receivedAt,
    );
    expect(r.message).toMatchObject({
      userId: '7',
      eventKey: 'tick',
      occurredAt: new Date('2026-12-02T09:59:50Z'),
      context: { library: { name: 'x' }, ip: '10.0.0.1' },
    });
  });

  it.each([
    ['not an object', [1], 'validation_failed'],
    ['an unknown type', { type: 'launch', userId: 'u', messageId: 'm' }, 'validation_failed'],
    ['no messageId', { type: 'track', event: 'E', userId: 'u' }, 'validation_failed'],
    ['neither userId nor anonymousId', { type: 'page', messageId: 'm' }, 'validation_failed'],
    ['a track without event', { type: 'track', userId: 'u', messageId: 'm' }, 'validation_failed'],
    ['a group without groupId', { type: 'group', userId: 'u', messageId: 'm' }, 'validation_failed'],
    ['an alias without previousId', { type: 'alias', userId: 'u', messageId: 'm' }, 'validation_failed'],
    ['an alias without userId', { type: 'alias', anonymousId: 'a', previousId: 'p', messageId: 'm' }, 'validation_failed'],
    ['a bad timestamp', { type: 'page', userId: 'u', messageId: 'm', timestamp: 'yesterday' }, 'validation_failed'],
    ['traits that are not an object', { type: 'identify', userId: 'u', messageId: 'm', traits: 'vip' }, 'validation_failed'],
    ['a message over 32 KB', { type: 'page', userId: 'u', messageId: 'm', properties: { x: 'y'.repeat(33_000) } }, 'message_too_large'],
  ])('X11: refuses %s', (_, raw, code) => {
    expect(checkMessage(raw, {}, receivedAt).code).toBe(code);
  });

  it('X11: the path decides the type of a single message; unknown fields are ignored', () => {
    const r = checkMessage({ userId: 'u', messageId: 'm', name: 'Home', _metadata: { x: 1 }, integrations: {} }, {}, receivedAt, 'screen');
    expect(r.message && activityOf(r.message)).toEqual({ type: 'screen.viewed', data: { name: 'Home', properties: {}, context: {} } });
  });

  it('X11: identify traits give name (or first + last name), e-mail and phone; the rest stays in the activity', () => {
    expect(contactTraits({ firstName: 'Budi', lastName: 'Santoso', email: 'b@example.com', phone: '+62812', plan: 'pro' })).toEqual({
      name: 'Budi Santoso',
      email: 'b@example.com',
      phoneNumber: '+62812',
    });
    expect(contactTraits({ name: 'Ana', firstName: 'X' })).toEqual({ name: 'Ana' });
    expect(contactTraits({})).toEqual({});
  });
});
