import fc from 'fast-check';
import { checkedEvent, plainEvent, validateEvent } from './event-validation';

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

const isPlainObject = (v: unknown): v is object => typeof v === 'object' && v !== null && !Array.isArray(v);

describe('the quick read of an event and the decorators agree (FEATURES.md A2)', () => {
  const uuidish = fc.oneof(
    { weight: 8, arbitrary: fc.uuid() },
    fc.constant(base.customerId.toUpperCase()),
    fc.constant('01900000-0000-7000-8000-00000000000'),
    fc.string({ maxLength: 40 }),
  );
  // Mostly short text; now and then at the length limit, in any Unicode (surrogate pairs and variation
  // selectors count as one character for the decorators).
  const text = (max: number) =>
    fc.oneof(
      { weight: 30, arbitrary: fc.string({ minLength: 1, maxLength: 12 }) },
      fc.string({ minLength: Math.max(0, max - 3), maxLength: max + 3 }),
      fc.string({ unit: 'binary', minLength: Math.max(0, max - 2), maxLength: max + 2 }),
      fc.constant(`${'a'.repeat(max - 1)}\u2764\uFE0F`),
      fc.constant(''),
    );
  const wrong = fc.oneof(
    fc.constant(null),
    fc.integer(),
    fc.boolean(),
    fc.array(fc.string(), { maxLength: 2 }),
    fc.dictionary(fc.string(), fc.string()),
  );
  const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 30, arbitrary: arb }, { weight: 1, arbitrary: wrong });
  const customer = fc.record(
    {
      name: maybe(text(200)),
      email: maybe(text(254)),
      phoneNumber: maybe(text(64)),
      source: maybe(fc.constantFrom('organic', 'ads', 'broadcast', 'import', 'api', 'Organic')),
      platform: maybe(fc.constantFrom('web', 'mobile', 'ios')),
      tags: maybe(
        fc.oneof(
          { weight: 6, arbitrary: fc.array(text(64), { maxLength: 3 }) },
          fc.array(maybe(text(64)), { minLength: 48, maxLength: 52 }),
        ),
      ),
      properties: maybe(fc.dictionary(fc.string(), fc.jsonValue())),
    },
    { requiredKeys: [] },
  );
  const event = fc.record(
    {
      type: maybe(
        fc.oneof(
          fc.constantFrom('purchase.completed', 'Purchase', 'a..b', `a${'b'.repeat(64)}`),
          { weight: 4, arbitrary: fc.stringMatching(/^[a-z][a-z0-9_]{0,12}(\.[a-z0-9_]{1,12})?$/) },
          fc.stringMatching(/^[a-z][a-z0-9_]{0,40}(\.[a-z0-9_]{1,30})?$/),
        ),
      ),
      occurredAt: maybe(
        fc.oneof(
          {
            weight: 4,
            arbitrary: fc.date({ noInvalidDate: true, min: new Date(0), max: new Date('2100-01-01') }).map((d) => d.toISOString()),
          },
          fc.constantFrom('2026-11-05T10:00:00', '2026-11-05T17:00+07:00', '2026-11-05T10:00:00.1234567Z'),
        ),
      ),
      customerId: maybe(uuidish),
      channelId: maybe(uuidish),
      identifier: maybe(text(256)),
      customer: maybe(customer),
      data: maybe(fc.dictionary(fc.string(), fc.jsonValue())),
      idempotencyKey: maybe(text(200)),
    },
    { requiredKeys: ['type', 'occurredAt'] },
  );
  // Now and then a field no decorator knows, at the top or in the customer.
  const withStranger = fc
    .tuple(
      event,
      fc.oneof({ weight: 12, arbitrary: fc.constant(null) }, fc.constantFrom('colour', 'customer.age', 'no type', 'no occurredAt')),
    )
    .map(([e, stranger]) =>
      stranger === 'colour'
        ? { ...e, colour: 'red' }
        : stranger === 'customer.age' && isPlainObject(e.customer)
          ? { ...e, customer: { ...e.customer, age: 3 } }
          : stranger === 'no type' || stranger === 'no occurredAt'
            ? Object.fromEntries(Object.entries(e).filter(([k]) => k !== stranger.slice(3)))
            : e,
    );

  it('A2: whatever the quick read takes, class-validator takes too, with the same fields; what it leaves, class-validator decides', async () => {
    let quick = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(withStranger, async (raw) => {
        const plain = JSON.parse(JSON.stringify(raw)) as object;
        const read = plainEvent(plain);
        const checked = await checkedEvent(plain);
        if (typeof checked === 'string') refused++;
        if (!read) return;
        quick++;
        expect(checked).not.toEqual(expect.any(String));
        expect(JSON.parse(JSON.stringify(checked))).toEqual(JSON.parse(JSON.stringify(read)));
      }),
      { numRuns: 3000 },
    );
    // Both sides of the comparison were exercised.
    expect(quick).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
  });

  it('A2: events of the usual shapes take the quick read; refused ones still get their message', async () => {
    const byChannel = {
      type: base.type,
      occurredAt: base.occurredAt,
      channelId: base.customerId,
      identifier: '+62 812',
      customer: { name: 'Budi', source: 'organic', tags: ['vip'] },
    };
    expect(plainEvent({ ...base, data: { n: 1 }, idempotencyKey: 'k-1' })).toBeDefined();
    expect(plainEvent(byChannel)).toBeDefined();
    expect(plainEvent({ ...base, idempotencyKey: '' })).toBeUndefined();
    expect((await validateEvent({ ...base, idempotencyKey: '' }, now)).message).toBe(
      'idempotencyKey must be longer than or equal to 1 characters',
    );
    expect((await validateEvent({ ...byChannel, customer: { ...byChannel.customer, tags: [''] } }, now)).message).toMatch(
      /^customer\.each value in tags/,
    );
  });

  it('A2: data and customer properties are stored as sent, keys named like Object methods included, on both paths', async () => {
    const data = { valueOf: 'v', toString: { constructor: 1 }, n: 1 };
    const properties = { hasOwnProperty: 'yes', city: 'Jakarta' };
    const quick = await validateEvent({ ...base, data }, now);
    expect(quick.event?.data).toEqual(data);
    // A null optional field is valid but not of the usual shape: this one goes through class-validator.
    const byChannel = { type: base.type, occurredAt: base.occurredAt, channelId: base.customerId, identifier: '1' };
    const full = await validateEvent({ ...byChannel, data, customer: { email: null, properties } }, now);
    expect(full.event?.data).toEqual(data);
    expect(full.event?.customer?.properties).toEqual(properties);
  });
});
