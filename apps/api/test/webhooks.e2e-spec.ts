import { Webhook } from 'standardwebhooks';
import { Db, sql } from '@cdp/platform';
import { eventually } from './support/eventually';
import { factories } from './support/factories';
import { createTestApp, newAppId, type TestApp } from './support/test-app';
import { WebhookReceiver, type Received } from './support/webhook-receiver';

/** Retries after 100–300 ms and a 2 s timeout, so the schedule of API.md plays out in seconds. */
const FAST = { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_RETRY_SCHEDULE: '100,150,200,250,300', WEBHOOK_TIMEOUT_MS: '2000' };

interface Delivery {
  id: string;
  eventType: string;
  eventId: string | null;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  nextAttemptAt: string | null;
  finishedAt: string | null;
}

async function createWebhook(t: TestApp, appId: string, body: Record<string, unknown>) {
  const r = await t.http().post('/v1/webhooks').set(t.auth(appId)).send(body);
  if (r.status !== 201) throw new Error(`webhook: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as { id: string; secret: string; url: string; events: string[]; enabled: boolean };
}

async function deliveries(t: TestApp, appId: string, webhookId: string, query = ''): Promise<Delivery[]> {
  const r = await t.http().get(`/v1/webhooks/${webhookId}/deliveries${query}`).set(t.auth(appId));
  expect(r.status).toBe(200);
  return r.body.data as Delivery[];
}

/** Waits until the receiver got `n` requests (and answers them). */
const receivedAtLeast = (rx: WebhookReceiver, n: number, timeoutMs = 8000) =>
  eventually(() => {
    expect(rx.received.length).toBeGreaterThanOrEqual(n);
    return rx.received.slice();
  }, timeoutMs);

const expectAllVerified = (got: Received[]) => {
  for (const r of got)
    expect({ id: r.id, verified: r.verified, error: r.verifyError }).toEqual({ id: r.id, verified: true, error: undefined });
};

describe('Signed outgoing webhooks (X12, API.md "Webhooks")', () => {
  let t: TestApp;
  let rx: WebhookReceiver;
  beforeAll(async () => {
    t = await createTestApp({ env: FAST });
  });
  beforeEach(async () => {
    rx = await WebhookReceiver.start();
  });
  afterEach(() => rx.close());
  afterAll(() => t.close());

  it('X12 create shows the secret once; a customer.created delivery carries the customer and verifies with standardwebhooks', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const hook = await createWebhook(t, appId, { url: rx.url, events: ['customer.created'], description: 'CRM sync' });
    expect(hook).toMatchObject({ url: rx.url, events: ['customer.created'], enabled: true, description: 'CRM sync' });
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    rx.secret = hook.secret;
    // Never shown again.
    const got = await t.http().get(`/v1/webhooks/${hook.id}`).set(t.auth(appId));
    expect(got.status).toBe(200);
    expect(got.body.secret).toBeUndefined();
    const list = await t.http().get('/v1/webhooks').set(t.auth(appId));
    expect(list.body.map((w: { id: string }) => w.id)).toEqual([hook.id]);
    expect(JSON.stringify(list.body)).not.toContain(hook.secret);

    const c = await f.customer(await f.channel('line'), { name: 'Budi Santoso' });
    const [r] = await receivedAtLeast(rx, 1);
    expectAllVerified([r]);
    expect(r.contentType).toBe('application/json');
    expect(r.payload).toEqual({
      type: 'customer.created',
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
      data: expect.objectContaining({
        customerId: c.id,
        source: 'admin',
        customer: expect.objectContaining({ id: c.id, name: 'Budi Santoso' }),
      }),
    });
    expect(Math.abs(Number(r.timestamp) - Date.now() / 1000)).toBeLessThan(60);
    const [d] = await eventually(async () => {
      const ds = await deliveries(t, appId, hook.id);
      expect(ds.map((x) => x.status)).toEqual(['succeeded']);
      return ds;
    });
    expect(d).toMatchObject({
      id: r.id,
      eventType: 'customer.created',
      attempts: 1,
      lastStatusCode: 204,
      lastError: null,
      nextAttemptAt: null,
    });
  });

  it('X12, X9, X10 customer.consent_changed carries the customer and its new consent; customer.erased carries ids only', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const hook = await createWebhook(t, appId, { url: rx.url, events: ['customer.consent_changed', 'customer.erased'] });
    rx.secret = hook.secret;
    const c = await f.customer(await f.channel('wa'), { name: 'Siti Rahayu', email: 'siti@example.org' });
    await t.http().put(`/v1/customers/${c.id}/consent`).set(t.auth(appId)).send({ status: 'opted_in' }).expect(200);
    const [consent] = await receivedAtLeast(rx, 1);
    expect(consent.payload).toEqual({
      type: 'customer.consent_changed',
      timestamp: expect.any(String),
      data: expect.objectContaining({
        customerId: c.id,
        status: 'opted_in',
        previousStatus: 'unknown',
        source: 'api',
        customer: expect.objectContaining({ id: c.id, consent: expect.objectContaining({ status: 'opted_in' }) }),
      }),
    });
    const erased = await t.http().post(`/v1/customers/${c.id}/erase`).set(t.auth(appId)).send({ scope: 'self' });
    expect(erased.status).toBe(200);
    const got = await receivedAtLeast(rx, 2);
    expectAllVerified(got);
    const erasure = got.find((r) => (r.payload as { type: string }).type === 'customer.erased')!;
    expect(erasure.payload).toEqual({
      type: 'customer.erased',
      timestamp: expect.any(String),
      data: { customerIds: [c.id], profileId: null },
    });
    // Nothing personal leaves with the erasure.
    expect(erasure.body).not.toContain('Siti');
    expect(erasure.body).not.toContain('siti@example.org');
    expect(erasure.body).not.toContain(c.identifier);
  });

  it('X12 only the subscribed types are delivered; "*" gets every one, with ids and the changed resource', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const rxAll = await WebhookReceiver.start();
    try {
      const some = await createWebhook(t, appId, { url: rx.url, events: ['customer.updated'] });
      const all = await createWebhook(t, appId, { url: rxAll.url, events: ['*', 'customer.created'] });
      expect(all.events).toEqual(['*']);
      rx.secret = some.secret;
      rxAll.secret = all.secret;
      const ch = await f.channel('line');
      const [a, b] = await f.customers(ch, 2);
      await t.http().patch(`/v1/customers/${a.id}`).set(t.auth(appId)).send({ name: 'Renamed' }).expect(200);
      await f.merge(a.id, [b.id]);
      await t.http().delete(`/v1/customers/${b.id}`).set(t.auth(appId)).expect(204);
      const types = ['customer.created', 'customer.updated', 'customer.merged', 'customer.deleted'];
      const got = await eventually(() => {
        const seen = rxAll.received.map((r) => r.payload.type);
        for (const type of new Set(types)) expect(seen).toContain(type);
        return rxAll.received.slice();
      }, 8000);
      expectAllVerified(got);
      const byType = (type: string) => got.find((r) => r.payload.type === type)!.payload.data;
      expect(byType('customer.updated')).toMatchObject({ customerId: a.id, changed: ['name'], customer: { id: a.id, name: 'Renamed' } });
      expect(byType('customer.merged')).toMatchObject({ targetId: a.id, customerIds: [b.id], profileId: expect.any(String) });
      expect((byType('customer.merged').customers as { id: string }[]).map((x) => x.id)).toEqual([a.id, b.id]);
      expect(byType('customer.deleted')).toEqual({ customerId: b.id, profileId: expect.any(String) });
      // The one subscribed to customer.updated got that and nothing else.
      const only = await receivedAtLeast(rx, 1);
      expectAllVerified(only);
      expect(only.map((r) => r.payload.type)).toEqual(['customer.updated']);
    } finally {
      await rxAll.close();
    }
  });

  it('X12 group, import and export events: group.created/updated/members_added/members_removed/deleted, import.completed, export.completed', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const hook = await createWebhook(t, appId, {
      url: rx.url,
      events: [
        'group.created',
        'group.updated',
        'group.deleted',
        'group.members_added',
        'group.members_removed',
        'import.completed',
        'export.completed',
      ],
    });
    rx.secret = hook.secret;
    const ch = await f.channel('line');
    const [a, b, c] = await f.customers(ch, 3);
    const http = () => t.http();
    const group = (
      await http()
        .post('/v1/groups')
        .set(t.auth(appId))
        .send({ name: 'VIP', customerIds: [a.id] })
        .expect(201)
    ).body;
    await http().patch(`/v1/groups/${group.id}`).set(t.auth(appId)).send({ description: 'Best buyers' }).expect(200);
    await http()
      .post(`/v1/groups/${group.id}/members`)
      .set(t.auth(appId))
      .send({ customerIds: [a.id, b.id] })
      .expect(200);
    await http()
      .post(`/v1/groups/${group.id}/members`)
      .set(t.auth(appId))
      .send({ filter: { search: c.name } })
      .expect(200);
    await http()
      .post(`/v1/groups/${group.id}/members/remove`)
      .set(t.auth(appId))
      .send({ customerIds: [b.id, '00000000-0000-4000-8000-000000000000'] })
      .expect(200);
    await http().delete(`/v1/groups/${group.id}`).set(t.auth(appId)).expect(204);
    const csv = `name,identifier,email,phone_number,channel_id,source,channel_name\nImported,U${'a'.repeat(32)},,,${ch},line,\n`;
    const imp = await http()
      .post('/v1/customers/imports')
      .set(t.auth(appId))
      .field('separator', 'comma')
      .attach('file', Buffer.from(csv), 'c.csv')
      .expect(202);
    const exp = await http().post('/v1/customers/exports').set(t.auth(appId)).send({ filter: {}, email: 'ops@example.com' }).expect(202);

    const types = ['group.created', 'group.updated', 'group.members_added', 'group.members_added', 'group.members_removed'];
    const got = await eventually(() => {
      const seen = rx.received.map((r) => r.payload.type);
      expect(seen.slice(0, 6)).toEqual([...types, 'group.deleted']);
      expect(seen).toContain('import.completed');
      expect(seen).toContain('export.completed');
      return rx.received.slice();
    }, 15_000);
    expectAllVerified(got);
    const data = got.map((r) => r.payload.data);
    expect(data[0]).toMatchObject({ groupId: group.id, group: { id: group.id, name: 'VIP', memberCount: 1 } });
    expect(data[1]).toMatchObject({ groupId: group.id, changed: ['description'], group: { description: 'Best buyers' } });
    expect(data[2]).toEqual({ groupId: group.id, added: 1, memberCount: 2, customerIds: [b.id], filter: null });
    expect(data[3]).toEqual({ groupId: group.id, added: 1, memberCount: 3, customerIds: null, filter: { search: c.name } });
    expect(data[4]).toEqual({ groupId: group.id, customerIds: [b.id], memberCount: 2 });
    expect(data[5]).toEqual({ groupId: group.id });
    const imported = got.find((r) => r.payload.type === 'import.completed')!.payload.data;
    expect(imported).toEqual({
      importId: imp.body.id,
      dryRun: false,
      totalRows: 1,
      createdCount: 1,
      skippedCount: 0,
      failedCount: 0,
    });
    const exported = got.find((r) => r.payload.type === 'export.completed')!.payload.data;
    expect(exported).toEqual({ exportId: exp.body.id, rowCount: expect.any(Number) });
    // Ids and totals only: neither the file, its link nor the recipient leaves with the event.
    expect(JSON.stringify(exported)).not.toMatch(/token|ops@example|download/);
  });

  it('X12 a 500 is retried on the schedule with the same webhook-id, each attempt freshly signed, until a 2xx', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const hook = await createWebhook(t, appId, { url: rx.url, events: ['customer.created'] });
    rx.secret = hook.secret;
    rx.reply = (_r, nth) => ({ status: nth <= 2 ? 500 : 200 });
    await f.customer(await f.channel('line'));
    const pending = await eventually(async () => {
      const [d] = await deliveries(t, appId, hook.id, '?status=pending');
      expect(d).toMatchObject({ status: 'pending', lastStatusCode: 500, lastError: 'The receiver answered 500' });
      return d;
    });
    expect(Date.parse(pending.nextAttemptAt!)).toBeGreaterThan(Date.parse(pending.createdAt));
    const got = await receivedAtLeast(rx, 3);
    expectAllVerified(got);
    expect(new Set(got.map((r) => r.id))).toEqual(new Set([pending.id]));
    expect(new Set(got.map((r) => r.body)).size).toBe(1);
    const [done] = await eventually(async () => {
      const ds = await deliveries(t, appId, hook.id, '?status=succeeded');
      expect(ds).toHaveLength(1);
      return ds;
    });
    expect(done).toMatchObject({ id: pending.id, attempts: 3, lastStatusCode: 200, lastError: null, nextAttemptAt: null });
    expect(await deliveries(t, appId, hook.id, '?status=pending')).toEqual([]);
  });

  it('X12 no answer within the timeout is a failed attempt, retried', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const hook = await createWebhook(t, appId, { url: rx.url, events: ['customer.created'] });
    rx.secret = hook.secret;
    rx.reply = (_r, nth) => (nth === 1 ? { status: 200, delayMs: 4000 } : { status: 200 });
    await f.customer(await f.channel('line'));
    const [d] = await eventually(async () => {
      const ds = await deliveries(t, appId, hook.id, '?status=succeeded');
      expect(ds).toHaveLength(1);
      return ds;
    }, 8000);
    expect(d).toMatchObject({ attempts: 2, lastStatusCode: 200 });
    expect(rx.of(d.id)).toHaveLength(2);
    expectAllVerified(rx.received);
  });

  it('X12 after 6 failed attempts the delivery is failed, with the last status and reason', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const hook = await createWebhook(t, appId, { url: rx.url, events: ['customer.created'] });
    rx.secret = hook.secret;
    rx.reply = () => ({ status: 503 });
    await f.customer(await f.channel('line'));
    const [d] = await eventually(async () => {
      const ds = await deliveries(t, appId, hook.id, '?status=failed');
      expect(ds).toHaveLength(1);
      return ds;
    }, 10_000);
    expect(d).toMatchObject({ attempts: 6, lastStatusCode: 503, lastError: 'The receiver answered 503', nextAttemptAt: null });
    expect(d.finishedAt).not.toBeNull();
    await new Promise((r) => setTimeout(r, 500));
    expect(rx.of(d.id)).toHaveLength(6);
    expectAllVerified(rx.received);
    // The webhook stays enabled: one failing delivery does not stop the next ones.
    expect((await t.http().get(`/v1/webhooks/${hook.id}`).set(t.auth(appId))).body.enabled).toBe(true);
  });

  it('X12 a 410 disables the webhook at once; later events wait for it to be enabled again', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const hook = await createWebhook(t, appId, { url: rx.url, events: ['customer.created'] });
    rx.secret = hook.secret;
    rx.reply = () => ({ status: 410 });
    const ch = await f.channel('line');
    await f.customer(ch);
    const [d] = await eventually(async () => {
      const ds = await deliveries(t, appId, hook.id, '?status=failed');
      expect(ds).toHaveLength(1);
      return ds;
    });
    expect(d).toMatchObject({ attempts: 1, lastStatusCode: 410 });
    const after = await t.http().get(`/v1/webhooks/${hook.id}`).set(t.auth(appId));
    expect(after.body).toMatchObject({ enabled: false, disabledReason: 'The receiver answered 410 Gone' });
    // While disabled, changes make no delivery.
    await f.customer(ch);
    await new Promise((r) => setTimeout(r, 600));
    expect(rx.received).toHaveLength(1);
    expect(await deliveries(t, appId, hook.id)).toHaveLength(1);
    // Enabled again (the receiver is back): the next change is delivered.
    rx.reply = () => ({ status: 200 });
    const on = await t.http().patch(`/v1/webhooks/${hook.id}`).set(t.auth(appId)).send({ enabled: true });
    expect(on.body).toMatchObject({ enabled: true, disabledReason: null });
    const c3 = await f.customer(ch);
    const got = await receivedAtLeast(rx, 2);
    expect(got[1].payload.data.customerId).toBe(c3.id);
    expectAllVerified(got);
  });

  it('X12 redelivery sends the same body and webhook-id again, signed anew, and logs the outcome', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const hook = await createWebhook(t, appId, { url: rx.url, events: ['customer.created'] });
    rx.secret = hook.secret;
    rx.reply = () => ({ status: 410 });
    await f.customer(await f.channel('line'));
    const [failed] = await eventually(async () => {
      const ds = await deliveries(t, appId, hook.id, '?status=failed');
      expect(ds).toHaveLength(1);
      return ds;
    });
    rx.reply = () => ({ status: 200 });
    await t.http().patch(`/v1/webhooks/${hook.id}`).set(t.auth(appId)).send({ enabled: true }).expect(200);
    const r = await t.http().post(`/v1/webhooks/${hook.id}/deliveries/${failed.id}/redeliver`).set(t.auth(appId));
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ id: failed.id, status: 'pending', attempts: 0 });
    const got = await receivedAtLeast(rx, 2);
    expectAllVerified(got);
    expect(got[1].id).toBe(failed.id);
    expect(got[1].body).toBe(got[0].body);
    const [done] = await eventually(async () => {
      const ds = await deliveries(t, appId, hook.id, '?status=succeeded');
      expect(ds).toHaveLength(1);
      return ds;
    });
    expect(done).toMatchObject({ id: failed.id, attempts: 1, lastStatusCode: 200 });
    // A succeeded delivery can be sent again too.
    await t.http().post(`/v1/webhooks/${hook.id}/deliveries/${failed.id}/redeliver`).set(t.auth(appId)).expect(202);
    await receivedAtLeast(rx, 3);
    expect(rx.received[2].id).toBe(failed.id);
  });

  it('X12 per webhook, deliveries go out in the order of their events: a retried one holds the later ones back', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const hook = await createWebhook(t, appId, { url: rx.url, events: ['customer.created', 'customer.updated'] });
    rx.secret = hook.secret;
    let first: string | undefined;
    rx.reply = (r) => {
      first ??= r.id;
      return { status: r.id === first && rx.of(r.id).length <= 3 ? 500 : 200 };
    };
    // A delivery's body carries the customer's row as the relay read it; each change waits for its delivery
    // to be recorded before the next, so every body shows the name of its own event.
    const recorded = (n: number) =>
      eventually(async () => {
        expect(await deliveries(t, appId, hook.id)).toHaveLength(n);
      });
    const ch = await f.channel('line');
    const a = await f.customer(ch);
    await recorded(1);
    await t.http().patch(`/v1/customers/${a.id}`).set(t.auth(appId)).send({ name: 'Second' }).expect(200);
    await recorded(2);
    await t.http().patch(`/v1/customers/${a.id}`).set(t.auth(appId)).send({ name: 'Third' }).expect(200);
    const got = await eventually(() => {
      expect(new Set(rx.received.map((r) => r.id)).size).toBe(3);
      return rx.received.slice();
    }, 8000);
    expectAllVerified(got);
    // Three failures of the first, its success, then the others in order: nothing overtook it.
    expect(got.map((r) => [r.payload.type, (r.payload.data.customer as { name: string }).name])).toEqual([
      ['customer.created', a.name],
      ['customer.created', a.name],
      ['customer.created', a.name],
      ['customer.created', a.name],
      ['customer.updated', 'Second'],
      ['customer.updated', 'Third'],
    ]);
  });

  it('X12 consecutive deliveries reuse one kept connection, and the log shows each one succeeded once', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const hook = await createWebhook(t, appId, { url: rx.url, events: ['customer.updated'] });
    rx.secret = hook.secret;
    const ch = await f.channel('line');
    const a = await f.customer(ch);
    for (const name of ['One', 'Two', 'Three', 'Four'])
      await t.http().patch(`/v1/customers/${a.id}`).set(t.auth(appId)).send({ name }).expect(200);
    const got = await receivedAtLeast(rx, 4);
    expectAllVerified(got);
    // Each carries the customer's row as the outbox relayed it (a late relay may already see a later name).
    expect(new Set(got.map((r) => r.id)).size).toBe(4);
    expect((got[3].payload.data.customer as { name: string }).name).toBe('Four');
    // Not a new connection per attempt: the sender keeps it open between deliveries.
    expect(new Set(got.map((r) => r.remotePort)).size).toBe(1);
    const log = await eventually(async () => {
      const d = await deliveries(t, appId, hook.id);
      expect(d.map((x) => [x.status, x.attempts, x.lastStatusCode])).toEqual(Array(4).fill(['succeeded', 1, 204]));
      return d;
    }, 8000);
    expect(log.every((d) => d.finishedAt !== null && d.nextAttemptAt === null)).toBe(true);
  });

  it('X12 rotating the secret: later deliveries verify with the new secret only; the test delivery is webhook.test', async () => {
    const appId = newAppId();
    const hook = await createWebhook(t, appId, { url: rx.url, events: ['customer.deleted'] });
    const rotated = await t.http().post(`/v1/webhooks/${hook.id}/rotate-secret`).set(t.auth(appId));
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(hook.secret);
    rx.secret = rotated.body.secret;
    const test = await t.http().post(`/v1/webhooks/${hook.id}/test`).set(t.auth(appId));
    expect(test.status).toBe(202);
    expect(test.body).toMatchObject({ eventType: 'webhook.test', status: 'pending', eventId: null });
    const [r] = await receivedAtLeast(rx, 1);
    expectAllVerified([r]);
    expect(r).toMatchObject({ id: test.body.id, payload: { type: 'webhook.test', data: { webhookId: hook.id } } });
    const headers = { 'webhook-id': r.id, 'webhook-timestamp': r.timestamp, 'webhook-signature': r.signature };
    expect(() => new Webhook(hook.secret).verify(r.body, headers)).toThrow();
  });

  it('X12 bad input is a problem and changes nothing: events, URL scheme, status filter, cursor', async () => {
    const appId = newAppId();
    const bad = [
      { url: rx.url, events: [] },
      { url: rx.url, events: ['customer.exploded'] },
      { url: 'ftp://example.com/hook', events: ['*'] },
      { url: 'not a url', events: ['*'] },
      { url: rx.url, events: ['*'], secret: 'whsec_mine' },
    ];
    for (const body of bad) {
      const r = await t.http().post('/v1/webhooks').set(t.auth(appId)).send(body);
      expect({ body, status: r.status, code: r.body.code }).toEqual({ body, status: 422, code: 'validation_failed' });
      expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    expect((await t.http().get('/v1/webhooks').set(t.auth(appId))).body).toEqual([]);
    const hook = await createWebhook(t, appId, { url: rx.url, events: ['*'] });
    const patch = await t
      .http()
      .patch(`/v1/webhooks/${hook.id}`)
      .set(t.auth(appId))
      .send({ events: ['nope'] });
    expect(patch.status).toBe(422);
    expect((await t.http().get(`/v1/webhooks/${hook.id}`).set(t.auth(appId))).body.events).toEqual(['*']);
    const status = await t.http().get(`/v1/webhooks/${hook.id}/deliveries?status=lost`).set(t.auth(appId));
    expect(status.status).toBe(422);
    const cursor = await t.http().get(`/v1/webhooks/${hook.id}/deliveries?cursor=forged.cursor`).set(t.auth(appId));
    expect(cursor.body.code).toBe('invalid_cursor');
  });

  it('X12 the delivery log pages newest first', async () => {
    const appId = newAppId();
    const hook = await createWebhook(t, appId, { url: rx.url, events: ['*'] });
    rx.secret = hook.secret;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await t.http().post(`/v1/webhooks/${hook.id}/test`).set(t.auth(appId))).body.id);
    const p1 = await t.http().get(`/v1/webhooks/${hook.id}/deliveries?limit=2`).set(t.auth(appId));
    expect(p1.body.data.map((d: Delivery) => d.id)).toEqual([ids[2], ids[1]]);
    const p2 = await t.http().get(`/v1/webhooks/${hook.id}/deliveries?limit=2&cursor=${p1.body.nextCursor}`).set(t.auth(appId));
    expect(p2.body).toEqual({ data: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
    await receivedAtLeast(rx, 3);
    expect(rx.received.map((r) => r.id)).toEqual(ids);
  });

  it('X12 only admins manage webhooks (403 names what grants it)', async () => {
    const appId = newAppId();
    for (const role of ['supervisor', 'agent'] as const) {
      const r = await t
        .http()
        .post('/v1/webhooks')
        .set(t.auth(appId, role))
        .send({ url: rx.url, events: ['*'] });
      expect({ role, status: r.status, code: r.body.code }).toEqual({ role, status: 403, code: 'forbidden' });
      expect((await t.http().get('/v1/webhooks').set(t.auth(appId, role))).status).toBe(403);
    }
  });

  it("tenancy: another app's webhook and deliveries answer 404, lists never show them, its events never reach them", async () => {
    const mine = newAppId();
    const other = newAppId();
    const hook = await createWebhook(t, other, { url: rx.url, events: ['*'] });
    rx.secret = hook.secret;
    const test = await t.http().post(`/v1/webhooks/${hook.id}/test`).set(t.auth(other));
    const d = test.body.id as string;
    const calls = [
      t.http().get(`/v1/webhooks/${hook.id}`),
      t.http().patch(`/v1/webhooks/${hook.id}`).send({ enabled: false }),
      t.http().delete(`/v1/webhooks/${hook.id}`),
      t.http().post(`/v1/webhooks/${hook.id}/rotate-secret`),
      t.http().post(`/v1/webhooks/${hook.id}/test`),
      t.http().get(`/v1/webhooks/${hook.id}/deliveries`),
      t.http().post(`/v1/webhooks/${hook.id}/deliveries/${d}/redeliver`),
    ];
    for (const call of calls) {
      const r = await call.set(t.auth(mine));
      expect({ status: r.status, code: r.body.code }).toEqual({ status: 404, code: 'not_found' });
    }
    expect((await t.http().get('/v1/webhooks').set(t.auth(mine))).body).toEqual([]);
    // A delivery id under another webhook of the right app is not found either.
    const own = await createWebhook(t, mine, { url: rx.url, events: ['customer.created'] });
    const r = await t.http().post(`/v1/webhooks/${own.id}/deliveries/${d}/redeliver`).set(t.auth(mine));
    expect(r.status).toBe(404);
    // Customers of `mine` reach only `own`.
    await receivedAtLeast(rx, 1);
    rx.secret = own.secret;
    const f = factories(t, mine);
    const c = await f.customer(await f.channel('line'));
    const got = await receivedAtLeast(rx, 2);
    expect(got[1].payload.data.customerId).toBe(c.id);
    expect(got[1].verified).toBe(true);
    expect(await deliveries(t, other, hook.id)).toHaveLength(1);
    expect((await t.http().get(`/v1/webhooks/${hook.id}`).set(t.auth(other))).body.enabled).toBe(true);
  });

  it('X12 deleting a webhook removes it and its log; its id answers 404', async () => {
    const appId = newAppId();
    const hook = await createWebhook(t, appId, { url: rx.url, events: ['*'] });
    await t.http().delete(`/v1/webhooks/${hook.id}`).set(t.auth(appId)).expect(204);
    expect((await t.http().get(`/v1/webhooks/${hook.id}`).set(t.auth(appId))).status).toBe(404);
    expect((await t.http().get(`/v1/webhooks/${hook.id}/deliveries`).set(t.auth(appId))).status).toBe(404);
    expect((await t.http().get('/v1/webhooks').set(t.auth(appId))).body).toEqual([]);
  });
});

describe('X12 the private-address guard (WEBHOOK_ALLOW_PRIVATE_URLS)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { WEBHOOK_RETRY_SCHEDULE: FAST.WEBHOOK_RETRY_SCHEDULE } });
  });
  afterAll(() => t.close());

  it('refuses private, loopback and link-local hosts (localhost included) with 422 webhook_url_not_allowed', async () => {
    const appId = newAppId();
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://localhost/hook',
      'https://api.localhost/hook',
      'http://10.1.2.3/hook',
      'http://172.20.0.5/hook',
      'http://192.168.1.10/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/hook',
      'http://[fd00::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://0x7f000001/hook',
      'http://0.0.0.0/hook',
    ]) {
      const r = await t
        .http()
        .post('/v1/webhooks')
        .set(t.auth(appId))
        .send({ url, events: ['*'] });
      expect({ url, status: r.status, code: r.body.code, field: r.body.errors?.[0]?.field }).toEqual({
        url,
        status: 422,
        code: 'webhook_url_not_allowed',
        field: 'url',
      });
    }
    expect((await t.http().get('/v1/webhooks').set(t.auth(appId))).body).toEqual([]);
    // A public address is accepted (no event is made here, so nothing is sent to it) …
    const ok = await t
      .http()
      .post('/v1/webhooks')
      .set(t.auth(appId))
      .send({ url: 'https://93.184.215.14/hook', events: ['customer.created'] });
    expect(ok.status).toBe(201);
    // … and cannot be moved to a private one.
    const moved = await t.http().patch(`/v1/webhooks/${ok.body.id}`).set(t.auth(appId)).send({ url: 'http://127.0.0.1/hook' });
    expect({ status: moved.status, code: moved.body.code }).toEqual({ status: 422, code: 'webhook_url_not_allowed' });
    expect((await t.http().get(`/v1/webhooks/${ok.body.id}`).set(t.auth(appId))).body.url).toBe('https://93.184.215.14/hook');
    await t.http().delete(`/v1/webhooks/${ok.body.id}`).set(t.auth(appId)).expect(204);
  });

  it('checks again at delivery: a webhook saved while private URLs were allowed is not sent to once they are not', async () => {
    const rx = await WebhookReceiver.start();
    const allowed = await createTestApp({ env: FAST });
    let strict: TestApp | undefined;
    try {
      const appId = newAppId();
      const hook = await createWebhook(allowed, appId, { url: rx.url, events: ['*'] });
      rx.secret = hook.secret;
      await allowed.stop();
      strict = await createTestApp({ database: allowed, env: { ...FAST, WEBHOOK_ALLOW_PRIVATE_URLS: 'false' } });
      const test = await strict.http().post(`/v1/webhooks/${hook.id}/test`).set(strict.auth(appId));
      expect(test.status).toBe(202);
      const [d] = await eventually(async () => {
        const ds = await deliveries(strict!, appId, hook.id);
        expect(ds[0].attempts).toBeGreaterThanOrEqual(1);
        return ds;
      });
      expect(d).toMatchObject({
        lastStatusCode: null,
        lastError: expect.stringMatching(/^webhook_url_not_allowed: 127\.0\.0\.1 is in a private/),
      });
      expect(rx.received).toEqual([]);
    } finally {
      await strict?.close();
      await allowed.close();
      await rx.close();
    }
  });
});

describe('X12 nothing is lost across a process restart (the outbox, then the delivery queue)', () => {
  let rx: WebhookReceiver;
  beforeEach(async () => {
    rx = await WebhookReceiver.start();
  });
  afterEach(() => rx.close());

  it('a process that dies after the commit, before handing the event on: the next one delivers it', async () => {
    const first = await createTestApp({ env: FAST, outbox: { relay: false } });
    let second: TestApp | undefined;
    try {
      const appId = newAppId();
      const hook = await createWebhook(first, appId, { url: rx.url, events: ['customer.created'] });
      rx.secret = hook.secret;
      const f = factories(first, appId);
      const c = await f.customer(await f.channel('line'));
      await new Promise((r) => setTimeout(r, 300));
      expect(rx.received).toEqual([]);
      await first.stop();
      second = await createTestApp({ database: first, env: FAST });
      const [r] = await receivedAtLeast(rx, 1);
      expectAllVerified([r]);
      expect(r.payload).toMatchObject({ type: 'customer.created', data: { customerId: c.id } });
      await eventually(async () => expect((await deliveries(second!, appId, hook.id)).map((d) => d.status)).toEqual(['succeeded']));
    } finally {
      await second?.close();
      await first.close();
    }
  });

  it('a process that stops while a delivery waits for its retry: the next one sends it, once', async () => {
    const first = await createTestApp({ env: { ...FAST, WEBHOOK_RETRY_SCHEDULE: '1500,1500,1500,1500,1500' } });
    let second: TestApp | undefined;
    try {
      const appId = newAppId();
      const hook = await createWebhook(first, appId, { url: rx.url, events: ['customer.created'] });
      rx.secret = hook.secret;
      rx.reply = (_r, nth) => ({ status: nth === 1 ? 500 : 200 });
      const f = factories(first, appId);
      await f.customer(await f.channel('line'));
      const [pending] = await eventually(async () => {
        const ds = await deliveries(first, appId, hook.id, '?status=pending');
        expect(ds).toMatchObject([{ attempts: 1, lastStatusCode: 500 }]);
        return ds;
      });
      await first.stop();
      second = await createTestApp({ database: first, env: FAST });
      const [done] = await eventually(async () => {
        const ds = await deliveries(second!, appId, hook.id, '?status=succeeded');
        expect(ds).toHaveLength(1);
        return ds;
      }, 8000);
      expect(done).toMatchObject({ id: pending.id, attempts: 2, lastStatusCode: 200 });
      expect(rx.of(pending.id)).toHaveLength(2);
      expectAllVerified(rx.received);
    } finally {
      await second?.close();
      await first.close();
    }
  });

  it('X12 the delivery log keeps finished deliveries 30 days; pending ones stay whatever their age', async () => {
    const first = await createTestApp({ env: FAST });
    let second: TestApp | undefined;
    try {
      const appId = newAppId();
      const hook = await createWebhook(first, appId, { url: rx.url, events: ['*'] });
      rx.secret = hook.secret;
      const old = (await first.http().post(`/v1/webhooks/${hook.id}/test`).set(first.auth(appId))).body.id as string;
      const recent = (await first.http().post(`/v1/webhooks/${hook.id}/test`).set(first.auth(appId))).body.id as string;
      await eventually(async () => expect((await deliveries(first, appId, hook.id, '?status=succeeded')).length).toBe(2));
      await first.app.get(Db).run(sql`
        update webhook_deliveries set finished_at = now() - interval '31 days', created_at = now() - interval '31 days'
        where app_id = ${appId} and id = ${old}::uuid`);
      await first.stop();
      // A process's first idle scan purges.
      second = await createTestApp({ database: first, env: FAST });
      await eventually(async () => expect((await deliveries(second!, appId, hook.id)).map((d) => d.id)).toEqual([recent]));
    } finally {
      await second?.close();
      await first.close();
    }
  });
});
