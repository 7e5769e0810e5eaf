import fc from 'fast-check';
import type request from 'supertest';
import { eventually } from './support/eventually';
import { factories } from './support/factories';
import { createTestApp, newAppId, type TestApp } from './support/test-app';

/**
 * Issue 11 item 7: fuzzed bodies on the endpoints that take the most structure — the filter (search and
 * count), the CSV import, the event batch, customer create and update. Whatever is sent: never a 500, never
 * a hang (every request has a deadline), always either success or a problem response whose code API.md
 * "Errors" lists, and a refused request changes nothing. A fixed seed and a bounded number of runs keep it
 * repeatable and well under a minute on PGlite.
 */

/** The codes of API.md "Errors". */
const API_CODES = new Set([
  'malformed_json',
  'unauthorized',
  'forbidden',
  'plan_required',
  'not_found',
  'customer_exists',
  'customer_already_linked',
  'customer_not_linked',
  'channel_in_use',
  'payload_too_large',
  'unsupported_media_type',
  'validation_failed',
  'invalid_identifier',
  'invalid_cursor',
  'source_requires_whatsapp',
  'too_many_property_conditions',
  'import_too_many_rows',
  'import_invalid_header',
  'batch_too_large',
  'group_member_limit_exceeded',
  'merge_limit_exceeded',
  'identity_suppressed',
  'webhook_url_not_allowed',
  'rate_limited',
]);

const SEED = 11;
/** Every request answers within this, or the run fails as a hang. */
const DEADLINE_MS = 10_000;

/** Strings a hostile client likes: NUL, lone surrogates, calendar ends, SQL and JSON text, long ones. */
const nasty = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\ud800',
    '9999-12-31',
    '0000-01-01',
    '10000-01-01',
    '2026-02-30',
    '%',
    "'; drop table customers; --",
    '{"a":1}',
    'x'.repeat(300),
    'ads',
    'eq',
    'city',
    'purchase.completed',
    '',
    ' ',
  ),
);
/** Any JSON value, shallow, with the strings above. */
const junk = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    nasty,
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(nasty, tie('value'), { maxKeys: 3 }),
  ),
})).value;
/** A value for a field: mostly of the right shape, sometimes anything. */
const maybe = <T>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: good }, { weight: 1, arbitrary: junk });
const day = fc.oneof(
  fc.constantFrom('9999-12-31', '0001-01-01', '0000-01-01', '2026-11-30', '2026-02-29', '2028-02-29'),
  fc
    .tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
    .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
);

describe('Fuzzed input never breaks the service (issue 11 item 7)', () => {
  let t: TestApp;
  const appId = newAppId();
  let channelId: string;
  let customerId: string;
  let admin: { Authorization: string };

  beforeAll(async () => {
    t = await createTestApp();
    const f = factories(t, appId);
    admin = t.auth(appId);
    channelId = await f.channel('line');
    await f.property('city', 'text');
    await f.property('tier', 'number');
    await f.property('since', 'date');
    customerId = (await f.customer(channelId, { name: 'Budi', tags: ['vip'], properties: { city: 'Jakarta' } })).id;
    // The customer's "created" activity is written by the outbox relay after the response; the state every
    // test compares against must hold it, or its late arrival reads as a change a refused request made.
    await eventually(async () => {
      const r = await t.http().get(`/v1/customers/${customerId}/activities?limit=100`).set(admin);
      expect(r.body.data).toHaveLength(1);
    });
  });
  afterAll(() => t.close());

  /** What a refused request must leave as it was: the customers (with their fields), the imports and the activities made. */
  async function state(): Promise<unknown> {
    const customers = await t.http().get('/v1/customers?limit=100').set(admin);
    const imports = await t.http().get('/v1/customers/imports?limit=100').set(admin);
    const activities = await t.http().get(`/v1/customers/${customerId}/activities?limit=100`).set(admin);
    for (const r of [customers, imports, activities]) expect(r.status).toBe(200);
    // What requests write; an accepted import's status and a customer's last activity move on by themselves.
    type Row = Record<string, unknown>;
    return {
      customers: customers.body.data.map(({ id, name, email, phoneNumber, tags, properties, updatedAt }: Row) => ({
        id,
        name,
        email,
        phoneNumber,
        tags,
        properties,
        updatedAt,
      })),
      imports: imports.body.data.map((i: Row) => i.id),
      activities: activities.body.data.map((a: Row) => a.id),
    };
  }

  /** The answer is a success or a problem with a listed code; never a 5xx. Answers whether it was refused. */
  function judge(what: string, sent: unknown, r: request.Response, ok: number[]): boolean {
    const seen = { what, sent, status: r.status, code: r.body?.code };
    expect(r.status < 500 ? seen : { ...seen, body: r.body }).toEqual(seen);
    expect(r.status).toBeLessThan(500);
    if (ok.includes(r.status)) return false;
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect({ ...seen, listed: API_CODES.has(r.body.code) }).toEqual({ ...seen, listed: true });
    return true;
  }

  const filter = fc.record(
    {
      search: maybe(nasty),
      channelIds: maybe(fc.array(fc.oneof(fc.constant('CHANNEL'), nasty), { maxLength: 3 })),
      channelTypes: maybe(fc.array(fc.constantFrom('wa', 'line', 'telegram', 'custom', 'x'), { maxLength: 3 })),
      sources: maybe(fc.array(fc.constantFrom('ads', 'organic', 'admin', 'broadcast', 'x'), { maxLength: 3 })),
      platforms: maybe(fc.array(fc.constantFrom('web', 'mobile', 'x'), { maxLength: 2 })),
      tags: maybe(fc.array(nasty, { maxLength: 3 })),
      linked: maybe(fc.boolean()),
      properties: maybe(
        fc.record({
          match: maybe(fc.constantFrom('all', 'any')),
          conditions: maybe(
            fc.array(
              fc.record({
                key: maybe(fc.constantFrom('city', 'tier', 'since', 'nope')),
                operator: maybe(fc.constantFrom('eq', 'neq', 'contains', 'not_contains', 'gt', 'gte', 'lt', 'lte', 'is_set', 'is_not_set')),
                value: fc.oneof(nasty, fc.integer(), fc.double(), fc.boolean(), day),
              }),
              { maxLength: 6 },
            ),
          ),
        }),
      ),
      activity: maybe(
        fc.record(
          { types: maybe(fc.array(nasty, { maxLength: 2 })), from: maybe(day), to: maybe(day), on: maybe(day) },
          { requiredKeys: [] },
        ),
      ),
      timezone: maybe(fc.constantFrom('Asia/Jakarta', 'UTC', 'America/New_York', 'Mars/Base', '')),
    },
    { requiredKeys: [] },
  );

  it('the filter, on search and count (C5–C9)', async () => {
    const before = await state();
    await fc.assert(
      fc.asyncProperty(filter, maybe(fc.integer({ min: -5, max: 200 })), async (raw, limit) => {
        const f = JSON.parse(JSON.stringify(raw).replaceAll('"CHANNEL"', JSON.stringify(channelId))) as unknown;
        for (const path of ['/v1/customers/search', '/v1/customers/count']) {
          const body = { filter: f, ...(limit === undefined ? {} : { limit }) };
          judge(path, body, await t.http().post(path).set(admin).timeout(DEADLINE_MS).send(body), [200]);
        }
      }),
      { numRuns: 50, seed: SEED, endOnFailure: true },
    );
    expect(await state()).toEqual(before);
  });

  it('customer create and update bodies (C1–C3)', async () => {
    const body = fc.record(
      {
        channelId: maybe(fc.oneof(fc.constant('CHANNEL'), nasty)),
        identifier: maybe(fc.oneof(nasty, fc.constant(`U${'e'.repeat(32)}`))),
        name: maybe(nasty),
        email: maybe(fc.oneof(nasty, fc.constant('budi@example.com'))),
        phoneNumber: maybe(fc.oneof(nasty, fc.constant('+6281234567890'))),
        platform: maybe(fc.constantFrom('web', 'mobile', 'x')),
        tags: maybe(fc.array(nasty, { maxLength: 3 })),
        properties: maybe(
          fc.dictionary(fc.constantFrom('city', 'tier', 'since', 'nope', '\u0000'), fc.oneof(nasty, fc.integer(), day), { maxKeys: 3 }),
        ),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom('create', 'update', 'properties'), async (raw, how) => {
        const sent = JSON.parse(JSON.stringify(raw).replaceAll('"CHANNEL"', JSON.stringify(channelId))) as Record<string, unknown>;
        const before = await state();
        let r: request.Response;
        if (how === 'create') r = await t.http().post('/v1/customers').set(admin).timeout(DEADLINE_MS).send(sent);
        else if (how === 'update') r = await t.http().patch(`/v1/customers/${customerId}`).set(admin).timeout(DEADLINE_MS).send(sent);
        else
          r = await t
            .http()
            .put(`/v1/customers/${customerId}/properties`)
            .set(admin)
            .set('Content-Type', 'application/json')
            .timeout(DEADLINE_MS)
            .send(JSON.stringify(sent.properties ?? sent));
        if (judge(how, sent, r, [200, 201])) expect(await state()).toEqual(before);
      }),
      { numRuns: 30, seed: SEED, endOnFailure: true },
    );
  });

  it('the event batch (A2): bad events are rejected one by one, a bad envelope changes nothing', async () => {
    const event = fc.record(
      {
        type: maybe(fc.constantFrom('purchase.completed', 'conversation.started', 'nope', 'customer.created')),
        occurredAt: maybe(
          fc.oneof(fc.constantFrom('2026-11-01T10:00:00Z', '9999-12-31T23:59:59-12:00', '0001-01-01T00:00:00+14:00'), nasty),
        ),
        customerId: maybe(fc.oneof(fc.constant('CUSTOMER'), nasty)),
        channelId: maybe(fc.oneof(fc.constant('CHANNEL'), nasty)),
        identifier: maybe(nasty),
        customer: maybe(
          fc.record({ name: maybe(nasty), tags: maybe(fc.array(nasty, { maxLength: 2 })), source: maybe(nasty) }, { requiredKeys: [] }),
        ),
        data: maybe(fc.dictionary(nasty, junk, { maxKeys: 3 })),
        idempotencyKey: maybe(nasty),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ weight: 4, arbitrary: fc.array(event, { maxLength: 4 }) }, { weight: 1, arbitrary: junk }),
        async (events) => {
          const sent = JSON.parse(
            JSON.stringify({ events })
              .replaceAll('"CHANNEL"', JSON.stringify(channelId))
              .replaceAll('"CUSTOMER"', JSON.stringify(customerId)),
          ) as unknown;
          const before = await state();
          const r = await t
            .http()
            .post('/v1/events')
            .set(admin)
            .timeout(DEADLINE_MS)
            .send(sent as object);
          if (judge('events', sent, r, [200])) expect(await state()).toEqual(before);
          else if (Array.isArray(events)) expect(r.body.accepted + r.body.duplicates + r.body.rejected.length).toBe(events.length);
        },
      ),
      { numRuns: 30, seed: SEED, endOnFailure: true },
    );
  });

  it('the CSV import (IE2, IE3): refused files make no import and no customer', async () => {
    const header: fc.Arbitrary<string[]> = fc.oneof(
      fc.constant<string[]>(['name', 'identifier', 'email', 'phone_number', 'channel_id', 'source', 'channel_name']),
      fc.array(fc.oneof(fc.constantFrom('name', 'identifier', 'channel_id', 'source', 'NAME ', 'tags'), nasty), { maxLength: 8 }),
    );
    const cell = fc.oneof(
      fc.constant('CHANNEL'),
      fc.constantFrom('organic', 'ads', 'Budi', 'U' + 'f'.repeat(32), '"', '\n', ',', ';'),
      nasty,
    );
    const file = fc.record({
      header,
      rows: fc.array(fc.array(cell, { maxLength: 8 }), { maxLength: 4 }),
      separator: fc.constantFrom(',', ';'),
    });
    await fc.assert(
      fc.asyncProperty(file, async ({ header: h, rows, separator }) => {
        const quote = (c: string) => (/[",;\n\r]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c);
        const csv = [h, ...rows].map((r) => r.map((c) => quote(c === 'CHANNEL' ? channelId : c)).join(separator)).join('\n');
        const before = await state();
        const r = await t
          .http()
          .post('/v1/customers/imports?dryRun=true')
          .set(admin)
          .timeout(DEADLINE_MS)
          .field('separator', separator === ',' ? 'comma' : 'semicolon')
          .attach('file', Buffer.from(csv, 'utf8'), 'fuzz.csv');
        if (judge('import', csv, r, [202])) expect(await state()).toEqual(before);
      }),
      { numRuns: 20, seed: SEED, endOnFailure: true },
    );
  });
});
