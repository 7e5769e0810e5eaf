import { Analytics } from '@segment/analytics-node';
import RudderAnalytics from '@rudderstack/rudder-sdk-node';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { eventually } from './support/eventually';
import { factories } from './support/factories';
import { createTestApp, newAppId, type TestApp } from './support/test-app';

/** Requests per second per write key in this file: low, so a burst of an SDK goes past it. */
const RATE = 4;

describe('Segment-compatible ingestion with the real SDKs (API.md "Segment-compatible ingestion"; FEATURES.md X11, X13)', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await createTestApp({ env: { SEGMENT_RATE_PER_SECOND: String(RATE) } });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(() => t.close());

  /** An app with a text-keyed custom channel and a write key bound to it. */
  async function setup() {
    const appId = newAppId();
    const f = factories(t, appId);
    const channelId = await f.channel('custom', { identifierType: 'text' });
    const key = await t.http().post('/v1/api-keys').set(t.auth(appId)).send({ name: 'Web', channelId });
    expect(key.status).toBe(201);
    return { appId, f, channelId, writeKey: key.body.key as string, keyId: key.body.id as string };
  }
  const customersOf = async (appId: string, channelId: string) =>
    (await t.http().get(`/v1/customers?channelId=${channelId}&limit=100`).set(t.auth(appId))).body.data as {
      id: string;
      identifier: string;
      name: string;
      email: string | null;
      source: string;
      properties: Record<string, unknown>;
    }[];
  const timeline = async (appId: string, customerId: string) =>
    (await t.http().get(`/v1/customers/${customerId}/activities?limit=100`).set(t.auth(appId))).body.data as {
      type: string;
      occurredAt: string;
      data: Record<string, unknown>;
    }[];
  const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
  const segmentSdk = (writeKey: string) => new Analytics({ writeKey, host: base });
  const rudderSdk = (writeKey: string) => new RudderAnalytics(writeKey, { dataPlaneUrl: base, logLevel: 'error' });
  const rudderFlush = (r: RudderAnalytics) =>
    new Promise<void>((resolve, reject) => r.flush((err?: unknown) => (err ? reject(err) : resolve())));

  it('X11: @segment/analytics-node lands identify, track, page, screen, group and alias; REST reads the customers, activities and the alias suggestion', async () => {
    const { appId, f, channelId, writeKey } = await setup();
    await f.property('plan', 'select', { options: ['free', 'pro'] });
    const sdk = segmentSdk(writeKey);
    const errors: unknown[] = [];
    sdk.on('error', (e) => errors.push(e));
    const at = new Date(Date.now() - 3_600_000);
    sdk.identify({
      userId: 'user-1',
      traits: { firstName: 'Budi', lastName: 'Santoso', email: 'Budi@Example.com', plan: 'pro', shoeSize: 42 },
    });
    sdk.track({ userId: 'user-1', event: 'Order Completed', properties: { orderId: 'A-1', total: 125000 }, timestamp: at });
    sdk.page({ userId: 'user-1', name: 'Pricing', properties: { url: 'https://shop.example/pricing' } });
    sdk.screen({ userId: 'user-1', name: 'Cart' });
    sdk.group({ userId: 'user-1', groupId: 'acme', traits: { name: 'Acme Ltd' } });
    sdk.identify({ userId: 'user-2', traits: { name: 'Budi S.' } });
    sdk.alias({ previousId: 'user-1', userId: 'user-2' });
    await sdk.closeAndFlush();
    expect(errors).toEqual([]);

    const customers = await customersOf(appId, channelId);
    const one = customers.find((c) => c.identifier === 'user-1')!;
    const two = customers.find((c) => c.identifier === 'user-2')!;
    expect(one).toMatchObject({ name: 'Budi Santoso', email: 'budi@example.com', source: 'organic', properties: { plan: 'pro' } });
    expect(two).toMatchObject({ name: 'Budi S.' });

    const acts = await timeline(appId, one.id);
    const byType = Object.fromEntries(acts.map((a) => [a.type, a]));
    expect(Object.keys(byType).sort()).toEqual(
      ['account.associated', 'customer.created', 'customer.identified', 'order_completed', 'page.viewed', 'screen.viewed'].sort(),
    );
    expect(byType['customer.identified'].data.traits).toEqual({
      firstName: 'Budi',
      lastName: 'Santoso',
      email: 'Budi@Example.com',
      plan: 'pro',
      shoeSize: 42,
    });
    expect(byType.order_completed.data).toMatchObject({
      orderId: 'A-1',
      total: 125000,
      context: { library: { name: '@segment/analytics-node' } },
    });
    // The sender's own delay is kept: an hour ago by its clock is an hour ago here (within the request's time).
    expect(Math.abs(Date.parse(byType.order_completed.occurredAt) - at.getTime())).toBeLessThan(5_000);
    expect(byType['page.viewed'].data).toMatchObject({ name: 'Pricing', properties: { url: 'https://shop.example/pricing' } });
    expect(byType['screen.viewed'].data).toMatchObject({ name: 'Cart' });
    expect(byType['account.associated'].data).toMatchObject({ groupId: 'acme', traits: { name: 'Acme Ltd' } });

    const types = (await t.http().get('/v1/activity-types').set(t.auth(appId))).body as { key: string; name: string; kind: string }[];
    expect(types.find((x) => x.key === 'order_completed')).toMatchObject({ name: 'Order Completed', kind: 'custom' });

    // alias between two customers: a duplicate suggestion both ways, never a merge.
    const dups = (await t.http().get(`/v1/customers/${two.id}/duplicates`).set(t.auth(appId))).body as {
      customer: { id: string; linked: boolean };
      reasons: string[];
    }[];
    expect(dups).toEqual([
      expect.objectContaining({ customer: expect.objectContaining({ id: one.id, linked: false }), reasons: ['alias'] }),
    ]);
    const back = (await t.http().get(`/v1/customers/${one.id}/duplicates`).set(t.auth(appId))).body as { customer: { id: string } }[];
    expect(back.map((d) => d.customer.id)).toEqual([two.id]);
  });

  it('X11: @rudderstack/rudder-sdk-node (gzip bodies) lands identify, track, page, screen, group and alias', async () => {
    const { appId, channelId, writeKey } = await setup();
    const sdk = rudderSdk(writeKey);
    sdk.identify({ userId: 'r-1', traits: { name: 'Rina', email: 'rina@example.com' } });
    sdk.track({ userId: 'r-1', event: 'Checkout Started', properties: { cart: 3 } });
    sdk.page({ userId: 'r-1', name: 'Home', properties: {} });
    sdk.screen({ userId: 'r-1', name: 'Settings', properties: {} });
    sdk.group({ userId: 'r-1', groupId: 'g-7', traits: { plan: 'enterprise' } });
    sdk.alias({ previousId: 'legacy-9', userId: 'r-1' });
    await rudderFlush(sdk);

    const [rina] = await customersOf(appId, channelId);
    expect(rina).toMatchObject({ identifier: 'r-1', name: 'Rina', email: 'rina@example.com' });
    const acts = await timeline(appId, rina.id);
    expect(acts.map((a) => a.type).sort()).toEqual(
      [
        'account.associated',
        'checkout_started',
        'customer.aliased',
        'customer.created',
        'customer.identified',
        'page.viewed',
        'screen.viewed',
      ].sort(),
    );
    expect(acts.find((a) => a.type === 'customer.aliased')!.data).toMatchObject({ previousId: 'legacy-9' });
  });

  it('X11: anonymous activity is held, then attached with its original time once a message ties the anonymous id to a userId', async () => {
    const { appId, channelId, writeKey } = await setup();
    const sdk = segmentSdk(writeKey);
    const earlier = new Date(Date.now() - 2 * 3_600_000);
    sdk.page({ anonymousId: 'anon-1', name: 'Landing', timestamp: earlier });
    sdk.track({ anonymousId: 'anon-1', event: 'Signup Started', timestamp: earlier });
    await sdk.closeAndFlush();
    expect(await customersOf(appId, channelId)).toEqual([]);

    const later = segmentSdk(writeKey);
    later.identify({ userId: 'user-9', anonymousId: 'anon-1', traits: { name: 'Nina' } });
    await later.closeAndFlush();
    const [nina] = await customersOf(appId, channelId);
    const acts = await timeline(appId, nina.id);
    expect(acts.map((a) => a.type).sort()).toEqual(['customer.created', 'customer.identified', 'page.viewed', 'signup_started'].sort());
    const landing = acts.find((a) => a.type === 'page.viewed')!;
    expect(Math.abs(Date.parse(landing.occurredAt) - earlier.getTime())).toBeLessThan(5_000);
  });

  it('X11: the same messageId twice is stored once (the second a duplicate); a single-message path works too', async () => {
    const { appId, channelId, writeKey } = await setup();
    const msg = { type: 'track', event: 'Coupon Used', userId: 'u-1', messageId: 'm-1', timestamp: new Date().toISOString() };
    const first = await t
      .http()
      .post('/v1/batch')
      .set('Authorization', basic(writeKey))
      .send({ batch: [msg] });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ success: true, accepted: 1, duplicates: 0, rejected: [] });
    const again = await t.http().post('/v1/track').set('Authorization', basic(writeKey)).send(msg);
    expect(again.body).toEqual({ success: true, accepted: 0, duplicates: 1, rejected: [] });
    const [u] = await customersOf(appId, channelId);
    expect((await timeline(appId, u.id)).filter((a) => a.type === 'coupon_used')).toHaveLength(1);
  });

  it('X11: concurrent batches (written together) each answer for their own messages; a messageId sent in several is stored once; tenancy holds', async () => {
    const { appId, channelId } = await setup();
    // One key per request: the per-key rate of this file stays out of the way.
    const keys: string[] = [];
    for (let k = 0; k < 8; k++) {
      const key = await t
        .http()
        .post('/v1/api-keys')
        .set(t.auth(appId))
        .send({ name: `Web ${k}`, channelId });
      keys.push(key.body.key as string);
    }
    const other = await setup();
    const now = new Date().toISOString();
    const batches = keys.map((_, k) => [
      ...Array.from({ length: 10 }, (_, i) => ({
        type: 'track',
        event: 'Cart Viewed',
        userId: `c-${(k * 10 + i) % 25}`,
        messageId: `r${k}-${i}`,
        timestamp: now,
      })),
      { type: 'track', event: 'Cart Viewed', userId: 'c-0', messageId: 'shared', timestamp: now },
      // Refused by the door (checked with the other requests' messages): reported in this request only.
      { type: 'identify', userId: `c-${k}`, messageId: `bad-${k}`, traits: { email: k === 5 ? 'not-an-address' : `c${k}@example.com` } },
    ]);
    const answers = await Promise.all([
      ...batches.map((batch, k) => t.http().post('/v1/batch').set('Authorization', basic(keys[k])).send({ batch })),
      t
        .http()
        .post('/v1/batch')
        .set('Authorization', basic(other.writeKey))
        .send({ batch: [{ type: 'track', event: 'Cart Viewed', userId: 'c-0', messageId: 'shared', timestamp: now }] }),
    ]);
    const mine = answers.slice(0, 8);
    for (const [k, r] of mine.entries()) {
      expect(r.status).toBe(200);
      expect(r.body.accepted + r.body.duplicates + r.body.rejected.length).toBe(12);
      expect(r.body.rejected).toEqual(
        k === 5 ? [{ index: 11, messageId: 'bad-5', code: 'validation_failed', message: expect.any(String) }] : [],
      );
    }
    // Every message once: 80 own ones, 7 identifies, and the shared one accepted by exactly one request.
    expect(mine.reduce((n, r) => n + r.body.accepted, 0)).toBe(80 + 7 + 1);
    expect(mine.reduce((n, r) => n + r.body.duplicates, 0)).toBe(7);
    expect(answers[8].body).toEqual({ success: true, accepted: 1, duplicates: 0, rejected: [] });

    const customers = await customersOf(appId, channelId);
    expect(customers).toHaveLength(25);
    const carts = (await Promise.all(customers.map((c) => timeline(appId, c.id)))).flat().filter((a) => a.type === 'cart_viewed');
    expect(carts).toHaveLength(81);
    const kept = await t.http().get('/v1/event-rejections?via=segment').set(t.auth(appId));
    expect(kept.body.data.map((d: { index: number }) => d.index)).toEqual([11]);
    const [stranger] = await customersOf(other.appId, other.channelId);
    expect((await timeline(other.appId, stranger.id)).filter((a) => a.type === 'cart_viewed')).toHaveLength(1);
  });

  it('X11: a gzip body is read; the write key may come in the body; clock skew is corrected with sentAt', async () => {
    const { appId, channelId, writeKey } = await setup();
    const now = Date.now();
    // The sender's clock is a day ahead: it says it sent the message 10 s after it happened.
    const skew = 24 * 3_600_000;
    const body = {
      writeKey,
      sentAt: new Date(now + skew).toISOString(),
      batch: [{ type: 'track', event: 'Skewed', userId: 'g-1', messageId: 'gz-1', timestamp: new Date(now + skew - 10_000).toISOString() }],
    };
    const r = await fetch(`${base}/v1/batch`, {
      method: 'POST',
      headers: { 'Content-Encoding': 'gzip', 'Content-Type': 'application/json' },
      body: gzipSync(JSON.stringify(body)),
    });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ success: true, accepted: 1, duplicates: 0, rejected: [] });
    const [g] = await customersOf(appId, channelId);
    const skewed = (await timeline(appId, g.id)).find((a) => a.type === 'skewed')!;
    expect(Math.abs(Date.parse(skewed.occurredAt) - (now - 10_000))).toBeLessThan(5_000);
  });

  it('X11, X13: a message over 32 KB is rejected (message_too_large) and kept; the rest of the batch is stored; a body over 500 KB is 400', async () => {
    const { appId, channelId, writeKey, keyId } = await setup();
    const big = { type: 'track', event: 'Big', userId: 'b-1', messageId: 'big-1', properties: { blob: 'x'.repeat(33 * 1024) } };
    const ok = { type: 'track', event: 'Small', userId: 'b-1', messageId: 'small-1' };
    const r = await t
      .http()
      .post('/v1/batch')
      .set('Authorization', basic(writeKey))
      .send({ batch: [big, ok] });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      success: true,
      accepted: 1,
      duplicates: 0,
      rejected: [{ index: 0, messageId: 'big-1', code: 'message_too_large', message: expect.any(String) }],
    });
    expect(await customersOf(appId, channelId)).toHaveLength(1);
    const kept = await t.http().get('/v1/event-rejections?via=segment').set(t.auth(appId));
    expect(kept.body.data).toEqual([
      expect.objectContaining({ via: 'segment', apiKeyId: keyId, index: 0, code: 'message_too_large', payload: expect.any(String) }),
    ]);
    expect(Buffer.byteLength(kept.body.data[0].payload)).toBe(32 * 1024);

    const huge = {
      batch: Array.from({ length: 20 }, (_, i) => ({ ...big, messageId: `h-${i}`, properties: { blob: 'y'.repeat(30_000) } })),
    };
    const tooBig = await t.http().post('/v1/batch').set('Authorization', basic(writeKey)).send(huge);
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.code).toBe('payload_too_large');
    const malformed = await t
      .http()
      .post('/v1/batch')
      .set('Authorization', basic(writeKey))
      .set('Content-Type', 'application/json')
      .send('{"batch": [');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('malformed_json');
  });

  it('X11, X13: invalid messages are rejected one by one with their code and kept; the SDK with a wrong key stores nothing (401)', async () => {
    const { appId, channelId, writeKey } = await setup();
    const r = await t
      .http()
      .post('/v1/batch')
      .set('Authorization', basic(writeKey))
      .send({
        batch: [
          { type: 'track', userId: 'v-1', messageId: 'no-event' },
          { type: 'launch', userId: 'v-1', messageId: 'bad-type' },
          { type: 'identify', messageId: 'nobody' },
          { type: 'identify', userId: 'v-1', messageId: 'bad-mail', traits: { email: 'not-an-address' } },
          { type: 'identify', userId: 'v-2', messageId: 'good', traits: { email: 'v2@example.com' } },
        ],
      });
    expect(r.status).toBe(200);
    expect(r.body.accepted).toBe(1);
    expect(r.body.rejected.map((x: { index: number; code: string }) => [x.index, x.code])).toEqual([
      [0, 'validation_failed'],
      [1, 'validation_failed'],
      [2, 'validation_failed'],
      [3, 'validation_failed'],
    ]);
    expect((await customersOf(appId, channelId)).map((c) => c.identifier)).toEqual(['v-2']);
    const kept = await t.http().get('/v1/event-rejections?via=segment').set(t.auth(appId));
    expect(kept.body.data.map((d: { index: number }) => d.index).sort()).toEqual([0, 1, 2, 3]);

    const unknownKey = await t.http().post('/v1/batch').set('Authorization', basic('cdp_nope')).send({ batch: [] });
    expect(unknownKey.status).toBe(401);
    expect(unknownKey.body.code).toBe('unauthorized');
    const noKey = await t.http().post('/v1/track').send({ event: 'X', userId: 'v-1', messageId: 'x' });
    expect(noKey.status).toBe(401);

    const sdk = segmentSdk('cdp_' + 'z'.repeat(43));
    const errors: unknown[] = [];
    sdk.on('error', (e) => errors.push(e));
    sdk.track({ userId: 'v-3', event: 'Lost' });
    await sdk.closeAndFlush();
    expect(errors).toHaveLength(1);
    expect((await customersOf(appId, channelId)).map((c) => c.identifier)).toEqual(['v-2']);
  });

  it('X11: a key without a channel is 403 forbidden; tenancy: a key writes only into its own app, and rejections show only there', async () => {
    const { appId, writeKey } = await setup();
    const other = newAppId();
    const unbound = await t.http().post('/v1/api-keys').set(t.auth(other)).send({ name: 'Plain' });
    const r = await t.http().post('/v1/identify').set('Authorization', basic(unbound.body.key)).send({ userId: 'x', messageId: 'm' });
    expect(r.status).toBe(403);
    expect(r.body.code).toBe('forbidden');
    await t.http().post('/v1/track').set('Authorization', basic(writeKey)).send({ userId: 't-1', messageId: 'no-event' });
    expect((await t.http().get('/v1/event-rejections').set(t.auth(appId))).body.data).toHaveLength(1);
    expect((await t.http().get('/v1/event-rejections').set(t.auth(other))).body.data).toEqual([]);
    expect((await t.http().get('/v1/customers').set(t.auth(other))).body.data).toEqual([]);
  });

  it(`X11: a burst above the per-key rate (${RATE}/s) gets 429 with Retry-After, and the SDK retries until every message is stored`, async () => {
    const { appId, channelId, writeKey } = await setup();
    const statuses: number[] = [];
    const sdk = new Analytics({ writeKey, host: base, flushAt: 1 });
    sdk.on('http_response', (r) => statuses.push(r.status));
    for (let i = 0; i < 3 * RATE; i++) sdk.track({ userId: 'burst', event: 'Tick', properties: { i }, messageId: `tick-${i}` });
    await sdk.closeAndFlush({ timeout: 60_000 });
    expect(statuses).toContain(429);
    await eventually(async () => {
      const [c] = await customersOf(appId, channelId);
      expect((await timeline(appId, c.id)).filter((a) => a.type === 'tick')).toHaveLength(3 * RATE);
    });
    const raw = await Promise.all(
      Array.from({ length: RATE + 2 }, () =>
        fetch(`${base}/v1/batch`, {
          method: 'POST',
          headers: { Authorization: basic(writeKey), 'Content-Type': 'application/json' },
          body: '{"batch":[]}',
        }),
      ),
    );
    const limited = raw.find((x) => x.status === 429)!;
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(limited.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(((await limited.json()) as { code: string }).code).toBe('rate_limited');
  }, 90_000);
});
