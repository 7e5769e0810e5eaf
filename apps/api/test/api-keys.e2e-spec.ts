import { factories } from './support/factories';
import { createTestApp, newAppId, type TestApp } from './support/test-app';

describe('API keys (API.md "Activities and conversations"; FEATURES.md A2)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const createKey = async (appId: string, name = 'Shop back end') => {
    const r = await t.http().post('/v1/api-keys').set(t.auth(appId)).send({ name });
    expect(r.status).toBe(201);
    return r.body as { id: string; name: string; key: string };
  };
  const event = (customerId: string, extra: Record<string, unknown> = {}) => ({
    type: 'purchase.completed',
    occurredAt: '2026-11-05T10:00:00.000Z',
    customerId,
    data: { orderId: 'o-1' },
    ...extra,
  });

  it('A2: an admin creates a key; the secret is shown once, the list shows name and times but never the secret', async () => {
    const appId = newAppId();
    const k = await createKey(appId);
    expect(k).toEqual({
      id: expect.any(String),
      name: 'Shop back end',
      key: expect.stringMatching(/^cdp_[A-Za-z0-9_-]{43}$/),
      channelId: null,
    });
    const list = await t.http().get('/v1/api-keys').set(t.auth(appId));
    expect(list.status).toBe(200);
    expect(list.body).toEqual([
      { id: k.id, name: 'Shop back end', prefix: k.key.slice(0, 12), channelId: null, createdAt: expect.any(String), lastUsedAt: null },
    ]);
    expect(JSON.stringify(list.body)).not.toContain(k.key);
    const other = await createKey(appId, 'CRM');
    expect(other.key).not.toBe(k.key);
  });

  it('A2: an API key authenticates POST /v1/events for its app, and lastUsedAt is recorded', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const { id: customerId } = await f.customer(await f.channel('wa'));
    const k = await createKey(appId);
    const r = await t
      .http()
      .post('/v1/events')
      .set('X-Api-Key', k.key)
      .send({ events: [event(customerId)] });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    const timeline = await t.http().get(`/v1/customers/${customerId}/activities?types=purchase.completed`).set(t.auth(appId, 'agent'));
    expect(timeline.body.data).toHaveLength(1);
    const list = await t.http().get('/v1/api-keys').set(t.auth(appId));
    expect(Date.parse(list.body[0].lastUsedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('A2: an API key is good for POST /v1/events only, not for other routes', async () => {
    const appId = newAppId();
    const k = await createKey(appId);
    const r = await t.http().get('/v1/activity-types').set('X-Api-Key', k.key);
    expect(r.status).toBe(401);
    expect(r.body.code).toBe('unauthorized');
  });

  it('A2: an unknown or revoked key is 401 unauthorized; the revoked key leaves the list', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const { id: customerId } = await f.customer(await f.channel('wa'));
    const k = await createKey(appId);
    const unknown = await t
      .http()
      .post('/v1/events')
      .set('X-Api-Key', 'cdp_' + 'x'.repeat(43))
      .send({ events: [event(customerId)] });
    expect(unknown.status).toBe(401);
    expect(unknown.body.code).toBe('unauthorized');
    const del = await t.http().delete(`/v1/api-keys/${k.id}`).set(t.auth(appId));
    expect(del.status).toBe(204);
    const revoked = await t
      .http()
      .post('/v1/events')
      .set('X-Api-Key', k.key)
      .send({ events: [event(customerId)] });
    expect(revoked.status).toBe(401);
    expect(revoked.body.code).toBe('unauthorized');
    expect((await t.http().get('/v1/api-keys').set(t.auth(appId))).body).toEqual([]);
    const again = await t.http().delete(`/v1/api-keys/${k.id}`).set(t.auth(appId));
    expect(again.status).toBe(404);
    const timeline = await t.http().get(`/v1/customers/${customerId}/activities?types=purchase.completed`).set(t.auth(appId));
    expect(timeline.body.data).toEqual([]);
  });

  it('A2: the key of app A cannot write to app B (the customer of B is not found for A) nor read anything', async () => {
    const a = newAppId();
    const b = newAppId();
    const kA = await createKey(a);
    const fb = factories(t, b);
    const { id: ofB } = await fb.customer(await fb.channel('wa'));
    const r = await t
      .http()
      .post('/v1/events')
      .set('X-Api-Key', kA.key)
      .send({ events: [event(ofB)] });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      accepted: 0,
      duplicates: 0,
      rejected: [{ index: 0, code: 'customer_not_found', message: expect.any(String) }],
    });
    const timeline = await t.http().get(`/v1/customers/${ofB}/activities`).set('X-Api-Key', kA.key);
    expect(timeline.status).toBe(401);
    const inB = await t.http().get(`/v1/customers/${ofB}/activities?types=purchase.completed`).set(t.auth(b));
    expect(inB.body.data).toEqual([]);
  });

  it('A2: app B cannot see or revoke the keys of app A (404)', async () => {
    const a = newAppId();
    const b = newAppId();
    const k = await createKey(a);
    expect((await t.http().get('/v1/api-keys').set(t.auth(b))).body).toEqual([]);
    const del = await t.http().delete(`/v1/api-keys/${k.id}`).set(t.auth(b));
    expect(del.status).toBe(404);
    expect(del.body.code).toBe('not_found');
    expect((await t.http().get('/v1/api-keys').set(t.auth(a))).body).toHaveLength(1);
  });

  it('API keys are for admins only (403 forbidden for supervisors and agents)', async () => {
    const appId = newAppId();
    const k = await createKey(appId);
    for (const role of ['supervisor', 'agent'] as const) {
      expect((await t.http().post('/v1/api-keys').set(t.auth(appId, role)).send({ name: 'x' })).status).toBe(403);
      expect((await t.http().get('/v1/api-keys').set(t.auth(appId, role))).status).toBe(403);
      expect((await t.http().delete(`/v1/api-keys/${k.id}`).set(t.auth(appId, role))).status).toBe(403);
    }
  });

  it('a key needs a name (422 validation_failed)', async () => {
    const appId = newAppId();
    for (const body of [{}, { name: '' }, { name: 'x'.repeat(101) }, { name: 'ok', extra: 1 }]) {
      const r = await t.http().post('/v1/api-keys').set(t.auth(appId)).send(body);
      expect(r.status).toBe(422);
      expect(r.body.code).toBe('validation_failed');
    }
  });

  it("X11: a key may be bound to one of the app's channels; the list shows it; another app's channel or a non-UUID is 422", async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const web = await f.channel('qiscus', { identifierType: 'email' });
    const r = await t.http().post('/v1/api-keys').set(t.auth(appId)).send({ name: 'Web SDK', channelId: web });
    expect(r.status).toBe(201);
    expect(r.body.channelId).toBe(web);
    const listed = await t.http().get('/v1/api-keys').set(t.auth(appId));
    expect(listed.body.map((k: { channelId: string | null }) => k.channelId)).toEqual([web]);

    const foreign = await factories(t, newAppId()).channel('qiscus');
    for (const channelId of [foreign, 'nope']) {
      const bad = await t.http().post('/v1/api-keys').set(t.auth(appId)).send({ name: 'x', channelId });
      expect(bad.status).toBe(422);
      expect(bad.body.code).toBe('validation_failed');
      expect(bad.body.errors[0].field).toBe('channelId');
    }
    expect((await t.http().get('/v1/api-keys').set(t.auth(appId))).body).toHaveLength(1);
  });

  it('X11: deleting the channel unbinds its keys (they stay, with channelId null)', async () => {
    const appId = newAppId();
    const ch = await factories(t, appId).channel('line');
    await t.http().post('/v1/api-keys').set(t.auth(appId)).send({ name: 'LINE', channelId: ch });
    expect((await t.http().delete(`/v1/channels/${ch}`).set(t.auth(appId))).status).toBe(204);
    const listed = await t.http().get('/v1/api-keys').set(t.auth(appId));
    expect(listed.body).toEqual([expect.objectContaining({ name: 'LINE', channelId: null })]);
  });
});
