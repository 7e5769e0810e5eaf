import { sign } from 'jsonwebtoken';
import { factories } from './support/factories';
import { createTestApp, newAppId, TEST_SECRET, type TestApp } from './support/test-app';

/**
 * Issue 11: what a hostile client or admin sends must not freeze the service, reach it as a 500, or cross
 * tenants. Each test here failed before its fix.
 */
describe('Hostile patterns and input (issue 11)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('custom channel patterns (CH2)', () => {
    // Seven bounded repeats and a `b`: 10.8 s per identifier in a backtracking engine, and 25 times more per group.
    const pattern = 'a{0,16}'.repeat(7) + 'b';
    const hostile = 'a'.repeat(112) + '!';

    it('CH2, issue 11 item 2: a pattern of bounded repeats answers in milliseconds through customer create', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const channelId = await f.channel('custom', { identifierType: 'text', pattern });
      // The pattern still does its work (and the path is warm before the clock starts).
      expect((await f.customer(channelId, { identifier: 'a'.repeat(100) + 'b' })).identifier).toBe('a'.repeat(100) + 'b');
      const started = Date.now();
      const r = await t.http().post('/v1/customers').set(t.auth(appId)).send({ channelId, identifier: hostile, name: 'Slow' });
      const took = Date.now() - started;
      expect(r.status).toBe(422);
      expect(r.body.code).toBe('invalid_identifier');
      expect(took).toBeLessThan(1000);
    });

    it('CH2, A2, issue 11 item 2: the same identifier in one ingested event is one rejection, answered in milliseconds', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const channelId = await f.channel('custom', { identifierType: 'text', pattern });
      const started = Date.now();
      const r = await f.events([{ type: 'purchase.completed', occurredAt: '2026-11-01T10:00:00Z', channelId, identifier: hostile }]);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(r).toMatchObject({ accepted: 0, rejected: [{ index: 0, code: 'invalid_identifier' }] });
    });
  });

  describe('dates at the ends of the calendar (A3, F-activity)', () => {
    it('issue 11 item 6: an activity `to` or `on` of 9999-12-31 is a range like any other in search, count and the timeline', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const c = await f.customer(await f.channel('line'));
      await f.events([{ type: 'purchase.completed', occurredAt: '2026-11-01T10:00:00Z', customerId: c.id }]);
      for (const activity of [{ to: '9999-12-31' }, { on: '9999-12-31' }, { from: '0001-01-01', to: '9999-12-31' }]) {
        const filter = { activity: { types: ['purchase.completed'], ...activity } };
        const search = await t.http().post('/v1/customers/search').set(t.auth(appId)).send({ filter });
        expect({ activity, status: search.status }).toEqual({ activity, status: 200 });
        expect(search.body.data.map((x: { id: string }) => x.id)).toEqual(activity.on ? [] : [c.id]);
        const count = await t
          .http()
          .post('/v1/customers/count')
          .set(t.auth(appId))
          .send({ filter: { ...filter, timezone: 'America/New_York' } });
        expect({ activity, status: count.status, count: count.body.count }).toEqual({ activity, status: 200, count: activity.on ? 0 : 1 });
      }
      for (const q of ['to=9999-12-31', 'on=9999-12-31', 'from=0001-01-01&to=9999-12-31&timezone=Asia/Jakarta']) {
        const r = await t.http().get(`/v1/customers/${c.id}/activities?types=purchase.completed&${q}`).set(t.auth(appId));
        expect({ q, status: r.status }).toEqual({ q, status: 200 });
        expect(r.body.data).toHaveLength(q.startsWith('on') ? 0 : 1);
      }
    });

    it('issue 11 item 6: days outside 0001–9999 are 422 validation_failed naming the field', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const c = await f.customer(await f.channel('line'));
      const search = await t
        .http()
        .post('/v1/customers/search')
        .set(t.auth(appId))
        .send({ filter: { activity: { from: '0000-12-31' } } });
      expect(search.status).toBe(422);
      expect(search.body).toMatchObject({ code: 'validation_failed', errors: [{ field: 'filter.activity.from' }] });
      for (const q of ['to=10000-01-01', 'on=0000-01-01', 'from=%2B10000-01-01']) {
        const r = await t.http().get(`/v1/customers/${c.id}/activities?${q}`).set(t.auth(appId));
        expect({ q, status: r.status, code: r.body.code }).toEqual({ q, status: 422, code: 'validation_failed' });
      }
    });
  });

  describe('tokens and tenancy (API.md "Auth and roles")', () => {
    it('issue 11 item 9: a token signed with the right secret but without exp is 401 unauthorized', async () => {
      const appId = newAppId();
      const forever = sign({ app: appId, role: 'admin', sub: 'u' }, TEST_SECRET, { algorithm: 'HS256' });
      const r = await t
        .http()
        .get('/v1/settings/customers')
        .set({ Authorization: `Bearer ${forever}` });
      expect(r.status).toBe(401);
      expect(r.body.code).toBe('unauthorized');
      const withExp = sign({ app: appId, role: 'admin', sub: 'u' }, TEST_SECRET, { algorithm: 'HS256', expiresIn: 60 });
      expect(
        (
          await t
            .http()
            .get('/v1/settings/customers')
            .set({ Authorization: `Bearer ${withExp}` })
        ).status,
      ).toBe(200);
    });

    it('G4, issue 11 item 10: another app’s group on broadcast-audience is 404 before the plan is looked at', async () => {
      const a = newAppId();
      const b = newAppId();
      const fa = factories(t, a);
      const c = await fa.customer(await fa.channel('wa'));
      const group = await fa.group({ customerIds: [c.id] });
      // B is on the standard plan: its own unknown group and A's group are both 404, not 403 plan_required.
      const r = await t.http().get(`/v1/groups/${group.id}/broadcast-audience`).set(t.auth(b));
      expect(r.status).toBe(404);
      expect(r.body.code).toBe('not_found');
      // A on the standard plan still learns that the plan is missing for its own group.
      const own = await t.http().get(`/v1/groups/${group.id}/broadcast-audience`).set(t.auth(a));
      expect(own.status).toBe(403);
      expect(own.body.code).toBe('plan_required');
    });
  });
});
