import { PURGE_REJECTIONS_QUEUE } from '@cdp/activities';
import { Db, JobRunner, newId, sql } from '@cdp/platform';
import { eventually } from './support/eventually';
import { factories } from './support/factories';
import { createTestApp, newAppId, type TestApp } from './support/test-app';

describe('Rejected events are kept (API.md "Rejected events are kept"; FEATURES.md X13)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const list = (appId: string, query = '') => t.http().get(`/v1/event-rejections${query}`).set(t.auth(appId));

  it('X13: every event POST /v1/events rejects is listed with its index, code, message, API key and what was sent; good ones are not', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const wa = await f.channel('wa');
    const key = await t.http().post('/v1/api-keys').set(t.auth(appId)).send({ name: 'Shop' });
    const bad = { type: 'purchase.completed', occurredAt: '2026-11-05T10:00:00Z', channelId: wa, identifier: 'not a number' };
    const r = await t
      .http()
      .post('/v1/events')
      .set('X-Api-Key', key.body.key)
      .send({
        events: [
          { type: 'purchase.completed', occurredAt: '2026-11-05T10:00:00Z', channelId: wa, identifier: '6281234567890' },
          bad,
          { type: 'no.such_type', occurredAt: '2026-11-05T10:00:00Z', channelId: wa, identifier: '6281234567890' },
        ],
      });
    expect(r.status).toBe(200);
    expect(r.body.accepted).toBe(1);

    const kept = await list(appId);
    expect(kept.status).toBe(200);
    expect(kept.body.nextCursor).toBeNull();
    expect(kept.body.data).toHaveLength(2);
    const byIndex = Object.fromEntries(kept.body.data.map((d: { index: number }) => [d.index, d]));
    expect(byIndex[1]).toEqual({
      id: expect.any(String),
      receivedAt: expect.any(String),
      via: 'events',
      apiKeyId: key.body.id,
      index: 1,
      code: 'invalid_identifier',
      message: expect.any(String),
      payload: JSON.stringify(bad),
    });
    expect(byIndex[2]).toMatchObject({ index: 2, code: 'unknown_activity_type', apiKeyId: key.body.id });
    expect(Date.parse(byIndex[1].receivedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('X13: an admin token leaves apiKeyId null; a payload over 32 KB is kept cut at 32 KB', async () => {
    const appId = newAppId();
    const big = { type: 'purchase.completed', occurredAt: '2026-11-05T10:00:00Z', customerId: newId(), data: { note: 'x'.repeat(40_000) } };
    const r = await t
      .http()
      .post('/v1/events')
      .set(t.auth(appId))
      .send({ events: [big] });
    expect(r.body.rejected).toEqual([{ index: 0, code: 'validation_failed', message: expect.any(String) }]);
    const kept = await list(appId);
    expect(kept.body.data).toHaveLength(1);
    expect(kept.body.data[0].apiKeyId).toBeNull();
    expect(Buffer.byteLength(kept.body.data[0].payload)).toBe(32 * 1024);
    expect(JSON.stringify(big).startsWith(kept.body.data[0].payload)).toBe(true);
  });

  it('X13: newest first in pages; via filters; only admins read it (403 for others)', async () => {
    const appId = newAppId();
    for (let i = 0; i < 3; i++)
      await t
        .http()
        .post('/v1/events')
        .set(t.auth(appId))
        .send({ events: [{ type: 'nope', occurredAt: '2026-11-05T10:00:00Z', customerId: newId(), data: { i } }] });
    const first = await list(appId, '?limit=2');
    expect(first.body.data.map((d: { payload: string }) => JSON.parse(d.payload).data.i)).toEqual([2, 1]);
    const second = await list(appId, `?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(second.body.data.map((d: { payload: string }) => JSON.parse(d.payload).data.i)).toEqual([0]);
    expect(second.body.nextCursor).toBeNull();
    expect((await list(appId, '?via=segment')).body.data).toEqual([]);
    expect((await list(appId, '?via=events')).body.data).toHaveLength(3);
    for (const role of ['supervisor', 'agent'] as const) {
      const r = await t.http().get('/v1/event-rejections').set(t.auth(appId, role));
      expect(r.status).toBe(403);
      expect(r.body.code).toBe('forbidden');
    }
  });

  it("X13 tenancy: another app's rejections never show, and its cursor is refused", async () => {
    const a = newAppId();
    const b = newAppId();
    await t
      .http()
      .post('/v1/events')
      .set(t.auth(a))
      .send({ events: [{ type: 'nope', occurredAt: '2026-11-05T10:00:00Z', customerId: newId() }, { bad: true }] });
    expect((await list(a)).body.data).toHaveLength(2);
    expect((await list(b)).body.data).toEqual([]);
    const page = await list(a, '?limit=1');
    const foreign = await list(b, `?cursor=${encodeURIComponent(page.body.nextCursor)}`);
    expect(foreign.status).toBe(422);
    expect(foreign.body.code).toBe('invalid_cursor');
  });

  it('X13: the daily clean-up deletes what is older than 30 days and keeps the rest', async () => {
    const appId = newAppId();
    await t
      .http()
      .post('/v1/events')
      .set(t.auth(appId))
      .send({ events: [{ type: 'nope', occurredAt: '2026-11-05T10:00:00Z', customerId: newId() }, { type: 'nope' }] });
    const db = t.app.get(Db);
    await db.run(sql`update event_rejections set received_at = now() - interval '31 days' where app_id = ${appId} and index = 0`);
    await t.app.get(JobRunner).enqueue(PURGE_REJECTIONS_QUEUE, { day: 'test' }, { jobId: `purge-test-${newId()}` });
    await eventually(async () => {
      const kept = await list(appId);
      expect(kept.body.data.map((d: { index: number }) => d.index)).toEqual([1]);
    }, 10_000);
  });
});
