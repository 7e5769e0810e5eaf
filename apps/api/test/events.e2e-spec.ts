import { factories } from './support/factories';
import { createTestApp, newAppId, type TestApp } from './support/test-app';

describe('Event ingestion (API.md "POST /events"; FEATURES.md A2, C3, X5)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const post = (appId: string, events: unknown[]) => t.http().post('/v1/events').set(t.auth(appId)).send({ events });
  const timeline = async (appId: string, customerId: string, query = '') => {
    const r = await t.http().get(`/v1/customers/${customerId}/activities?limit=100${query}`).set(t.auth(appId, 'agent'));
    expect(r.status).toBe(200);
    return r.body.data as {
      id: string;
      type: string;
      typeName: string;
      customerId: string;
      occurredAt: string;
      data: Record<string, unknown>;
    }[];
  };
  const purchase = (customerId: string, i: number, extra: Record<string, unknown> = {}) => ({
    type: 'purchase.completed',
    occurredAt: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(),
    customerId,
    data: { orderId: `o-${i}` },
    ...extra,
  });

  it('A2: good events are stored and visible right after the answer; the last activity moves to the newest', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const { id } = await f.customer(await f.channel('wa'));
    const r = await post(appId, [purchase(id, 1), purchase(id, 3), { ...purchase(id, 2), type: 'csat.submitted', data: { rating: 5 } }]);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
    const items = await timeline(appId, id, '&types=purchase.completed,csat.submitted');
    expect(items.map((a) => [a.type, a.occurredAt])).toEqual([
      ['purchase.completed', '2026-11-01T00:00:03.000Z'],
      ['csat.submitted', '2026-11-01T00:00:02.000Z'],
      ['purchase.completed', '2026-11-01T00:00:01.000Z'],
    ]);
    expect(items[1]).toMatchObject({ typeName: 'CSAT submitted', customerId: id, data: { rating: 5 } });
    // The customer was created now (its customer.created activity); events in 2026-11 are older.
    const created = await t.http().get(`/v1/customers/${id}`).set(t.auth(appId));
    expect(Date.parse(created.body.lastActivityAt)).toBeGreaterThan(Date.now() - 120_000);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    await post(appId, [{ ...purchase(id, 9), occurredAt: future }]);
    const after = await t.http().get(`/v1/customers/${id}`).set(t.auth(appId));
    expect(after.body.lastActivityAt).toBe(future);
  });

  it('A2: bad events are listed with their index and code while the good ones are stored', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const wa = await f.channel('wa');
    const tg = await f.channel('telegram');
    const { id } = await f.customer(wa);
    const otherApp = newAppId();
    const fo = factories(t, otherApp);
    const { id: foreign } = await fo.customer(await fo.channel('wa'));
    const r = await post(appId, [
      purchase(id, 1), // 0 ok
      { type: 'purchase.completed', customerId: id }, // 1 no occurredAt
      { ...purchase(id, 2), colour: 'red' }, // 2 unknown field
      { ...purchase(id, 3), type: 'loyalty.redeemed' }, // 3 unknown type
      purchase('01900000-0000-7000-8000-000000000000', 4), // 4 unknown customer
      purchase(foreign, 5), // 5 another app's customer
      { type: 'purchase.completed', occurredAt: '2026-11-01T00:00:00Z', channelId: wa, identifier: 'not-a-phone' }, // 6
      { type: 'purchase.completed', occurredAt: '2026-11-01T00:00:00Z', channelId: tg, identifier: '12345', customer: { source: 'ads' } }, // 7
      { type: 'purchase.completed', occurredAt: '2026-11-01T00:00:00', customerId: id }, // 8 no offset
      { type: 'purchase.completed', occurredAt: '2026-11-01T00:00:00Z', customerId: id, channelId: wa, identifier: '6281234567890' }, // 9 both
      'not an event', // 10
      purchase(id, 11), // 11 ok
      { type: 'conversation.started', occurredAt: '2026-11-01T00:00:00Z', customerId: id, data: {} }, // 12 no roomId
      {
        type: 'purchase.completed',
        occurredAt: '2026-11-01T00:00:00Z',
        channelId: '01900000-0000-7000-8000-000000000001',
        identifier: '6281234567890',
      }, // 13 unknown channel
    ]);
    expect(r.status).toBe(200);
    expect(r.body.accepted).toBe(2);
    expect(r.body.duplicates).toBe(0);
    expect(r.body.rejected.map((x: { index: number; code: string }) => [x.index, x.code])).toEqual([
      [1, 'validation_failed'],
      [2, 'validation_failed'],
      [3, 'unknown_activity_type'],
      [4, 'customer_not_found'],
      [5, 'customer_not_found'],
      [6, 'invalid_identifier'],
      [7, 'source_requires_whatsapp'],
      [8, 'validation_failed'],
      [9, 'validation_failed'],
      [10, 'validation_failed'],
      [12, 'validation_failed'],
      [13, 'validation_failed'],
    ]);
    for (const x of r.body.rejected) expect(x.message).toEqual(expect.any(String));
    expect(r.body.rejected.find((x: { index: number }) => x.index === 2).message).toMatch(/colour/);
    expect(r.body.rejected.find((x: { index: number }) => x.index === 12).message).toMatch(/roomId/);
    expect((await timeline(appId, id, '&types=purchase.completed')).map((a) => a.data.orderId)).toEqual(['o-11', 'o-1']);
    // Nothing reached the other app's customer, and no customer was created for the refused events.
    expect(await timeline(otherApp, foreign, '&types=purchase.completed')).toEqual([]);
    const list = await t.http().get('/v1/customers').set(t.auth(appId));
    expect(list.body.data).toHaveLength(1);
  });

  it('A2, C3: a customer named by channel + identifier is created once (normalised, source organic by default) with its customer.created activity', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const wa = await f.channel('wa');
    const r = await post(appId, [
      {
        type: 'message.inbound_from_ad',
        occurredAt: '2026-11-01T01:00:00Z',
        channelId: wa,
        identifier: '+62 812-3456-7890',
        customer: { name: 'Siti', email: 'Siti@Example.com', source: 'ads' },
      },
      {
        type: 'purchase.completed',
        occurredAt: '2026-11-01T02:00:00Z',
        channelId: wa,
        identifier: '6281234567890',
        customer: { name: 'Ignored' },
      },
      { type: 'purchase.completed', occurredAt: '2026-11-01T03:00:00Z', channelId: wa, identifier: '6289876543210' },
    ]);
    expect(r.body).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
    const list = await t.http().get('/v1/customers?sort=name').set(t.auth(appId));
    expect(
      list.body.data.map((c: { identifier: string; name: string; source: string; email: string | null }) => [
        c.identifier,
        c.name,
        c.source,
        c.email,
      ]),
    ).toEqual([
      ['6289876543210', '6289876543210', 'organic', null],
      ['6281234567890', 'Siti', 'ads', 'siti@example.com'],
    ]);
    const siti = list.body.data.find((c: { name: string }) => c.name === 'Siti');
    const items = await timeline(appId, siti.id);
    expect(items.map((a) => a.type)).toEqual(['customer.created', 'purchase.completed', 'message.inbound_from_ad']);
    expect(items[0]).toMatchObject({ typeName: 'Customer created', data: { source: 'ads' } });
    // An event for a customer that now exists does not create another, nor another customer.created.
    await post(appId, [{ type: 'csat.submitted', occurredAt: '2026-11-02T00:00:00Z', channelId: wa, identifier: '0812-3456-7890' }]);
    expect((await t.http().get('/v1/customers').set(t.auth(appId))).body.data).toHaveLength(2);
    expect((await timeline(appId, siti.id, '&types=customer.created')).length).toBe(1);
    expect((await timeline(appId, siti.id, '&types=csat.submitted')).length).toBe(1);
  });

  it('C3, CH4: ads and broadcast sources only on WhatsApp; invalid customer fields are refused', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const tg = await f.channel('telegram');
    const r = await post(appId, [
      {
        type: 'purchase.completed',
        occurredAt: '2026-11-01T00:00:00Z',
        channelId: tg,
        identifier: '12345',
        customer: { source: 'broadcast' },
      },
      {
        type: 'purchase.completed',
        occurredAt: '2026-11-01T00:00:00Z',
        channelId: tg,
        identifier: '12345',
        customer: { source: 'admin', email: 'not-an-email' },
      },
      {
        type: 'purchase.completed',
        occurredAt: '2026-11-01T00:00:00Z',
        channelId: tg,
        identifier: '12345',
        customer: { source: 'admin', properties: { unknownKey: 1 } },
      },
      {
        type: 'purchase.completed',
        occurredAt: '2026-11-01T00:00:00Z',
        channelId: tg,
        identifier: '12345',
        customer: { source: 'admin', platform: 'web' },
      },
    ]);
    expect(r.body.accepted).toBe(1);
    expect(r.body.rejected.map((x: { index: number; code: string }) => [x.index, x.code])).toEqual([
      [0, 'source_requires_whatsapp'],
      [1, 'validation_failed'],
      [2, 'validation_failed'],
    ]);
    const list = await t.http().get('/v1/customers').set(t.auth(appId));
    expect(list.body.data.map((c: { source: string; platform: string }) => [c.source, c.platform])).toEqual([['admin', 'web']]);
  });

  it('X5: junk identifiers never create a customer (invalid_identifier)', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const tg = await f.channel('telegram');
    const junk = ['null', 'undefined', '0', '-1', 'anonymous', 'guest', '[object Object]', '0000000'];
    const r = await post(
      appId,
      junk.map((identifier) => ({ type: 'purchase.completed', occurredAt: '2026-11-01T00:00:00Z', channelId: tg, identifier })),
    );
    expect(r.body.accepted).toBe(0);
    expect(r.body.rejected.map((x: { code: string }) => x.code)).toEqual(junk.map(() => 'invalid_identifier'));
    expect((await t.http().get('/v1/customers').set(t.auth(appId))).body.data).toEqual([]);
  });

  it('A2: a repeated idempotencyKey is a duplicate and the first stands, within a batch and across batches', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const { id } = await f.customer(await f.channel('wa'));
    const first = await post(appId, [
      purchase(id, 1, { idempotencyKey: 'k-1', data: { orderId: 'first' } }),
      purchase(id, 2, { idempotencyKey: 'k-1', data: { orderId: 'second' } }),
      purchase(id, 3, { idempotencyKey: 'k-2' }),
    ]);
    expect(first.body).toEqual({ accepted: 2, duplicates: 1, rejected: [] });
    const retry = await post(appId, [
      purchase(id, 1, { idempotencyKey: 'k-1', data: { orderId: 'retry' } }),
      purchase(id, 4, { idempotencyKey: 'k-3' }),
    ]);
    expect(retry.body).toEqual({ accepted: 1, duplicates: 1, rejected: [] });
    const items = await timeline(appId, id, '&types=purchase.completed');
    expect(items.map((a) => a.data.orderId)).toEqual(['o-4', 'o-3', 'first']);
    // Keys are per app: another app may use the same key.
    const other = newAppId();
    const fo = factories(t, other);
    const { id: oid } = await fo.customer(await fo.channel('wa'));
    expect((await post(other, [purchase(oid, 1, { idempotencyKey: 'k-1' })])).body.accepted).toBe(1);
  });

  it('A2: two identical batches at once store each event once (accepted N in total, duplicates N)', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const wa = await f.channel('wa');
    const { id } = await f.customer(wa);
    const n = 200;
    const batch = Array.from({ length: n }, (_, i) =>
      i % 2
        ? purchase(id, i, { idempotencyKey: `c-${i}` })
        : {
            type: 'purchase.completed',
            occurredAt: purchase(id, i).occurredAt,
            channelId: wa,
            identifier: `62811000${String(i).padStart(4, '0')}`,
            idempotencyKey: `c-${i}`,
          },
    );
    const [a, b] = await Promise.all([post(appId, batch), post(appId, batch)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.rejected).toEqual([]);
    expect(b.body.rejected).toEqual([]);
    expect(a.body.accepted + b.body.accepted).toBe(n);
    expect(a.body.duplicates + b.body.duplicates).toBe(n);
    expect((await timeline(appId, id, '&types=purchase.completed')).length).toBe(n / 2);
    const customers = await t.http().post('/v1/customers/count').set(t.auth(appId)).send({});
    expect(customers.body.count).toBe(1 + n / 2);
  });

  it('A2: 1,000 events are taken; 1,001 are refused with 422 batch_too_large and nothing is stored', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const { id } = await f.customer(await f.channel('wa'));
    const tooMany = Array.from({ length: 1001 }, (_, i) => purchase(id, i));
    const r = await post(appId, tooMany);
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('batch_too_large');
    expect(await timeline(appId, id, '&types=purchase.completed')).toEqual([]);
    const ok = await post(appId, tooMany.slice(0, 1000));
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ accepted: 1000, duplicates: 0, rejected: [] });
  });

  it('A2: the events route takes bodies up to 5 MB (413 payload_too_large beyond)', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const { id } = await f.customer(await f.channel('wa'));
    const blob = 'x'.repeat(2000);
    const big = Array.from({ length: 1000 }, (_, i) => purchase(id, i, { data: { blob } })); // ~2.2 MB
    const ok = await post(appId, big);
    expect(ok.status).toBe(200);
    expect(ok.body.accepted).toBe(1000);
    const huge = Array.from({ length: 1000 }, (_, i) => purchase(id, i, { data: { blob: 'y'.repeat(6000) } })); // ~6 MB
    const r = await post(appId, huge);
    expect(r.status).toBe(413);
    expect(r.body.code).toBe('payload_too_large');
  });

  it('A2: the envelope must be { events: [...] } (422 validation_failed)', async () => {
    const appId = newAppId();
    for (const body of [{}, { events: 'x' }, { events: [], more: 1 }]) {
      const r = await t.http().post('/v1/events').set(t.auth(appId)).send(body);
      expect(r.status).toBe(422);
      expect(r.body.code).toBe('validation_failed');
    }
    const empty = await post(appId, []);
    expect(empty.body).toEqual({ accepted: 0, duplicates: 0, rejected: [] });
  });

  it('A2: posting events with a token is for admins (403 forbidden for supervisors and agents)', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const { id } = await f.customer(await f.channel('wa'));
    for (const role of ['supervisor', 'agent'] as const) {
      const r = await t
        .http()
        .post('/v1/events')
        .set(t.auth(appId, role))
        .send({ events: [purchase(id, 1)] });
      expect(r.status).toBe(403);
      expect(r.body.code).toBe('forbidden');
    }
    expect(await timeline(appId, id, '&types=purchase.completed')).toEqual([]);
  });

  it('A2: a customer added by hand gets its customer.created activity once', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const { id } = await f.customer(await f.channel('wa'));
    let items: Awaited<ReturnType<typeof timeline>> = [];
    for (let i = 0; i < 50 && !items.length; i++) {
      items = await timeline(appId, id);
      if (!items.length) await new Promise((r) => setTimeout(r, 20));
    }
    expect(items).toEqual([
      {
        id: expect.any(String),
        type: 'customer.created',
        typeName: 'Customer created',
        customerId: id,
        occurredAt: expect.any(String),
        data: { source: 'admin' },
      },
    ]);
    const detail = await t.http().get(`/v1/customers/${id}`).set(t.auth(appId));
    expect(items[0].occurredAt).toBe(detail.body.createdAt);
  });
});
