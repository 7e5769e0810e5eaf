import { newId } from '@cdp/platform';
import { eventually } from './support/eventually';
import { factories } from './support/factories';
import { createTestApp, newAppId, type TestApp } from './support/test-app';

const AVAILABLE = [
  'customer.created',
  'conversation.started',
  'conversation.resolved',
  'message.inbound_from_ad',
  'broadcast.received',
  'purchase.completed',
  'csat.submitted',
  'ticket.created',
  'ticket.resolved',
  'crm.updated',
  'page.viewed',
  'screen.viewed',
  'account.associated',
  'customer.identified',
  'customer.aliased',
  'consent.opted_in',
  'consent.opted_out',
];

describe('Activities: types, timeline and the activity filter (FEATURES.md A1, A3, X7, C8)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const ev = (customerId: string, type: string, occurredAt: string, data: Record<string, unknown> = {}) => ({
    type,
    occurredAt,
    customerId,
    data,
  });
  const timeline = (appId: string, customerId: string, query = '') =>
    t.http().get(`/v1/customers/${customerId}/activities${query}`).set(t.auth(appId, 'agent'));
  const types = (r: { body: { data: { type: string }[] } }) => r.body.data.map((a) => a.type);
  const occurred = (r: { body: { data: { occurredAt: string }[] } }) => r.body.data.map((a) => a.occurredAt);

  describe('A1: activity types', () => {
    it('A1: every role lists the available types, with what each means', async () => {
      const appId = newAppId();
      for (const role of ['admin', 'supervisor', 'agent'] as const) {
        const r = await t.http().get('/v1/activity-types').set(t.auth(appId, role));
        expect(r.status).toBe(200);
        expect(r.body.map((x: { key: string }) => x.key)).toEqual(AVAILABLE);
        for (const x of r.body)
          expect(x).toEqual({
            key: expect.any(String),
            name: expect.any(String),
            kind: 'available',
            description: expect.stringMatching(/data/),
          });
      }
    });

    it('A1: an admin creates, renames and deletes a custom type; other apps never see it', async () => {
      const appId = newAppId();
      const c = await t
        .http()
        .post('/v1/activity-types')
        .set(t.auth(appId))
        .send({ key: 'loyalty.points_redeemed', name: 'Points redeemed' });
      expect(c.status).toBe(201);
      expect(c.body).toEqual({ key: 'loyalty.points_redeemed', name: 'Points redeemed', kind: 'custom', description: null });
      const u = await t
        .http()
        .patch('/v1/activity-types/loyalty.points_redeemed')
        .set(t.auth(appId))
        .send({ name: 'Loyalty points redeemed', description: 'At the counter' });
      expect(u.status).toBe(200);
      expect(u.body).toEqual({
        key: 'loyalty.points_redeemed',
        name: 'Loyalty points redeemed',
        kind: 'custom',
        description: 'At the counter',
      });
      const list = await t.http().get('/v1/activity-types').set(t.auth(appId, 'agent'));
      expect(list.body.slice(AVAILABLE.length)).toEqual([u.body]);
      const other = newAppId();
      expect((await t.http().get('/v1/activity-types').set(t.auth(other))).body).toHaveLength(AVAILABLE.length);
      expect((await t.http().patch('/v1/activity-types/loyalty.points_redeemed').set(t.auth(other)).send({ name: 'x' })).status).toBe(404);
      expect((await t.http().delete('/v1/activity-types/loyalty.points_redeemed').set(t.auth(other))).status).toBe(404);
      const d = await t.http().delete('/v1/activity-types/loyalty.points_redeemed').set(t.auth(appId));
      expect(d.status).toBe(204);
      expect((await t.http().get('/v1/activity-types').set(t.auth(appId))).body).toHaveLength(AVAILABLE.length);
      expect((await t.http().delete('/v1/activity-types/loyalty.points_redeemed').set(t.auth(appId))).status).toBe(404);
    });

    it('A1: a key that is available, taken, malformed or too long is 422 validation_failed on key', async () => {
      const appId = newAppId();
      expect((await t.http().post('/v1/activity-types').set(t.auth(appId)).send({ key: 'visit.store', name: 'Store visit' })).status).toBe(
        201,
      );
      const cases: [string, string][] = [
        ['purchase.completed', 'reserved_key'],
        ['visit.store', 'key_taken'],
        ['Visit.Store', 'matches'],
        ['visit..store', 'matches'],
        ['1visit', 'matches'],
        ['a'.repeat(65), 'maxLength'],
      ];
      for (const [key, code] of cases) {
        const r = await t.http().post('/v1/activity-types').set(t.auth(appId)).send({ key, name: 'x' });
        expect({ key, status: r.status, code: r.body.code }).toEqual({ key, status: 422, code: 'validation_failed' });
        expect(r.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'key', code })]));
      }
      expect(
        (
          await t
            .http()
            .post('/v1/activity-types')
            .set(t.auth(appId))
            .send({ key: 'a'.repeat(64), name: 'Long' })
        ).status,
      ).toBe(201);
    });

    it('A1: available types cannot be changed or deleted (422 on key)', async () => {
      const appId = newAppId();
      const p = await t.http().patch('/v1/activity-types/purchase.completed').set(t.auth(appId)).send({ name: 'Bought' });
      expect(p.status).toBe(422);
      expect(p.body.errors[0]).toMatchObject({ field: 'key', code: 'reserved_key' });
      const d = await t.http().delete('/v1/activity-types/purchase.completed').set(t.auth(appId));
      expect(d.status).toBe(422);
      const list = await t.http().get('/v1/activity-types').set(t.auth(appId));
      expect(list.body.find((x: { key: string }) => x.key === 'purchase.completed').name).toBe('Purchase completed');
    });

    it('A1: custom types are for admins to manage (403 forbidden for supervisors and agents)', async () => {
      const appId = newAppId();
      await t.http().post('/v1/activity-types').set(t.auth(appId)).send({ key: 'visit.store', name: 'Store visit' });
      for (const role of ['supervisor', 'agent'] as const) {
        expect((await t.http().post('/v1/activity-types').set(t.auth(appId, role)).send({ key: 'x.y', name: 'x' })).status).toBe(403);
        expect((await t.http().patch('/v1/activity-types/visit.store').set(t.auth(appId, role)).send({ name: 'x' })).status).toBe(403);
        expect((await t.http().delete('/v1/activity-types/visit.store').set(t.auth(appId, role))).status).toBe(403);
      }
    });

    it('A1: events of a custom type are taken; once it is deleted new ones are refused and past ones stay in the timeline', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const { id } = await f.customer(await f.channel('telegram'));
      await t.http().post('/v1/activity-types').set(t.auth(appId)).send({ key: 'visit.store', name: 'Store visit' });
      expect((await f.events([ev(id, 'visit.store', '2026-11-01T10:00:00Z', { store: 'Jakarta' })])).accepted).toBe(1);
      const before = await timeline(appId, id, '?types=visit.store');
      expect(before.body.data[0]).toMatchObject({ type: 'visit.store', typeName: 'Store visit', data: { store: 'Jakarta' } });
      await t.http().delete('/v1/activity-types/visit.store').set(t.auth(appId));
      const refused = await f.events([ev(id, 'visit.store', '2026-11-02T10:00:00Z')]);
      expect(refused.rejected).toEqual([{ index: 0, code: 'unknown_activity_type', message: expect.any(String) }]);
      const after = await timeline(appId, id);
      expect(after.body.data.find((a: { type: string }) => a.type === 'visit.store')).toMatchObject({ typeName: 'visit.store' });
      // Another app's custom key is unknown here.
      const other = newAppId();
      await t.http().post('/v1/activity-types').set(t.auth(other)).send({ key: 'other.thing', name: 'Other' });
      expect((await f.events([ev(id, 'other.thing', '2026-11-02T10:00:00Z')])).rejected[0].code).toBe('unknown_activity_type');
    });
  });

  describe('A3: the timeline', () => {
    it('A3: newest first, paged by cursor without gaps or repeats', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const { id } = await f.customer(await f.channel('telegram'));
      const same = '2026-11-01T12:00:00.000Z';
      await f.events([
        ev(id, 'purchase.completed', '2026-11-01T10:00:00Z'),
        ev(id, 'purchase.completed', same, { n: 1 }),
        ev(id, 'purchase.completed', same, { n: 2 }),
        ev(id, 'csat.submitted', '2026-11-01T11:00:00Z'),
        ev(id, 'ticket.created', '2026-11-01T09:00:00Z'),
      ]);
      const seen: string[] = [];
      const times: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const r = await timeline(
          appId,
          id,
          `?types=purchase.completed,csat.submitted,ticket.created&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        expect(r.status).toBe(200);
        seen.push(...r.body.data.map((a: { id: string }) => a.id));
        times.push(...occurred(r));
        cursor = r.body.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(pages).toBe(3);
      expect(new Set(seen).size).toBe(5);
      expect(times).toEqual([same, same, '2026-11-01T11:00:00.000Z', '2026-11-01T10:00:00.000Z', '2026-11-01T09:00:00.000Z']);
    });

    it('A3: filtered by one or more types; an unknown type is 422 validation_failed', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const { id } = await f.customer(await f.channel('telegram'));
      await f.events([
        ev(id, 'purchase.completed', '2026-11-01T10:00:00Z'),
        ev(id, 'csat.submitted', '2026-11-01T11:00:00Z'),
        ev(id, 'ticket.created', '2026-11-01T12:00:00Z'),
      ]);
      expect(types(await timeline(appId, id, '?types=csat.submitted'))).toEqual(['csat.submitted']);
      expect(types(await timeline(appId, id, '?types=purchase.completed,ticket.created'))).toEqual([
        'ticket.created',
        'purchase.completed',
      ]);
      // The customer's "created" activity is written by the outbox relay after the creation's response.
      await eventually(async () =>
        expect(types(await timeline(appId, id))).toEqual(['customer.created', 'ticket.created', 'csat.submitted', 'purchase.completed']),
      );
      const bad = await timeline(appId, id, '?types=nope.nothing');
      expect(bad.status).toBe(422);
      expect(bad.body.code).toBe('validation_failed');
      expect((await timeline(appId, id, '?types=Bad Key')).status).toBe(422);
    });

    it('A3: a single day in the given time zone (23:30 in Jakarta on Nov 5 is Nov 5 there, 00:30 on Nov 6 is not)', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const { id } = await f.customer(await f.channel('telegram'));
      const late = '2026-11-05T16:30:00.000Z'; // 23:30 on Nov 5 in Jakarta (UTC+7)
      const afterMidnight = '2026-11-05T17:30:00.000Z'; // 00:30 on Nov 6 in Jakarta, still Nov 5 in UTC
      const morning = '2026-11-04T23:30:00.000Z'; // 06:30 on Nov 5 in Jakarta, Nov 4 in UTC
      await f.events([
        ev(id, 'purchase.completed', late),
        ev(id, 'purchase.completed', afterMidnight),
        ev(id, 'purchase.completed', morning),
      ]);
      const q = '?types=purchase.completed';
      expect(occurred(await timeline(appId, id, `${q}&on=2026-11-05&timezone=Asia/Jakarta`))).toEqual([late, morning]);
      expect(occurred(await timeline(appId, id, `${q}&on=2026-11-06&timezone=Asia/Jakarta`))).toEqual([afterMidnight]);
      expect(occurred(await timeline(appId, id, `${q}&on=2026-11-05&timezone=UTC`))).toEqual([afterMidnight, late]);
      expect(occurred(await timeline(appId, id, `${q}&on=2026-11-06&timezone=UTC`))).toEqual([]);
      // Without `timezone`, the app's (UTC by default, then Asia/Jakarta once set).
      expect(occurred(await timeline(appId, id, `${q}&on=2026-11-05`))).toEqual([afterMidnight, late]);
      await t.http().patch('/v1/settings/customers').set(t.auth(appId)).send({ timezone: 'Asia/Jakarta' });
      expect(occurred(await timeline(appId, id, `${q}&on=2026-11-05`))).toEqual([late, morning]);
    });

    it('A3: a range of days, both ends inclusive, either end optional', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const { id } = await f.customer(await f.channel('telegram'));
      const days = [
        '2026-10-31T23:59:59.999Z',
        '2026-11-01T00:00:00.000Z',
        '2026-11-15T12:00:00.000Z',
        '2026-11-30T23:59:59.999Z',
        '2026-12-01T00:00:00.000Z',
      ];
      await f.events(days.map((d) => ev(id, 'purchase.completed', d)));
      const q = '?types=purchase.completed&timezone=UTC';
      expect(occurred(await timeline(appId, id, `${q}&from=2026-11-01&to=2026-11-30`))).toEqual([days[3], days[2], days[1]]);
      expect(occurred(await timeline(appId, id, `${q}&from=2026-11-30`))).toEqual([days[4], days[3]]);
      expect(occurred(await timeline(appId, id, `${q}&to=2026-10-31`))).toEqual([days[0]]);
    });

    it('A3: bad dates, on with a range, a reversed range or an unknown time zone are 422 validation_failed', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const { id } = await f.customer(await f.channel('telegram'));
      for (const q of [
        '?on=2026-02-30',
        '?on=2026-11-05&from=2026-11-01',
        '?from=2026-11-10&to=2026-11-01',
        '?timezone=Mars/Olympus',
        '?from=05-11-2026',
        '?scope=everyone',
        '?limit=0',
        '?limit=101',
      ]) {
        const r = await timeline(appId, id, q);
        expect({ q, status: r.status, code: r.body.code }).toEqual({ q, status: 422, code: 'validation_failed' });
      }
      const forged = await timeline(appId, id, '?cursor=abc.def');
      expect(forged.status).toBe(422);
      expect(forged.body.code).toBe('invalid_cursor');
    });

    it("A3: a cursor of another customer's timeline is refused (invalid_cursor)", async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const ch = await f.channel('telegram');
      const a = (await f.customer(ch)).id;
      const b = (await f.customer(ch)).id;
      await f.events([ev(a, 'purchase.completed', '2026-11-01T10:00:00Z'), ev(a, 'purchase.completed', '2026-11-01T11:00:00Z')]);
      const first = await timeline(appId, a, '?limit=1');
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const r = await timeline(appId, b, `?limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`);
      expect(r.status).toBe(422);
      expect(r.body.code).toBe('invalid_cursor');
    });

    it("A3: another app's customer, an unknown id or a non-UUID is 404 not_found", async () => {
      const a = newAppId();
      const fa = factories(t, a);
      const { id } = await fa.customer(await fa.channel('telegram'));
      const b = newAppId();
      for (const path of [`/v1/customers/${id}/activities`, `/v1/customers/${newId()}/activities`, '/v1/customers/nope/activities']) {
        const r = await t.http().get(path).set(t.auth(b));
        expect(r.status).toBe(404);
        expect(r.body.code).toBe('not_found');
      }
    });
  });

  describe('X7: the timeline of a linked set', () => {
    it('X7: scope=linked includes the activities of every linked customer; scope=self only its own', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const ch = await f.channel('telegram');
      const a = (await f.customer(ch, { name: 'Budi on Telegram' })).id;
      const b = (await f.customer(ch, { name: 'Budi again' })).id;
      const c = (await f.customer(ch, { name: 'Someone else' })).id;
      await f.events([
        ev(a, 'purchase.completed', '2026-11-01T10:00:00Z'),
        ev(b, 'csat.submitted', '2026-11-01T11:00:00Z'),
        ev(c, 'ticket.created', '2026-11-01T12:00:00Z'),
      ]);
      await f.merge(a, [b]);
      const q = '?types=purchase.completed,csat.submitted,ticket.created';
      const linked = await timeline(appId, a, `${q}&scope=linked`);
      expect(linked.body.data.map((x: { type: string; customerId: string }) => [x.type, x.customerId])).toEqual([
        ['csat.submitted', b],
        ['purchase.completed', a],
      ]);
      expect(types(await timeline(appId, a, `${q}&scope=self`))).toEqual(['purchase.completed']);
      expect(types(await timeline(appId, a, q))).toEqual(['purchase.completed']);
      expect(types(await timeline(appId, c, `${q}&scope=linked`))).toEqual(['ticket.created']);
    });
  });

  describe('C8: the activity filter condition', () => {
    const search = (appId: string, filter: unknown) =>
      t.http().post('/v1/customers/search').set(t.auth(appId, 'agent')).send({ filter, limit: 100 });
    const names = (r: { body: { data: { name: string }[] } }) => r.body.data.map((c) => c.name).sort();

    it('C8: customers with an activity of the types in the range of days, in the filter time zone', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const ch = await f.channel('telegram');
      const late = (await f.customer(ch, { name: 'late' })).id;
      const early = (await f.customer(ch, { name: 'early' })).id;
      const csat = (await f.customer(ch, { name: 'csat' })).id;
      await f.customer(ch, { name: 'nothing' });
      await f.events([
        ev(late, 'purchase.completed', '2026-11-05T16:30:00Z'), // Nov 5, 23:30 in Jakarta
        ev(early, 'purchase.completed', '2026-11-04T16:30:00Z'), // Nov 4, 23:30 in Jakarta
        ev(csat, 'csat.submitted', '2026-11-05T10:00:00Z'),
      ]);
      const purchase = (extra: Record<string, unknown>) =>
        search(appId, { activity: { types: ['purchase.completed'], ...extra }, timezone: 'Asia/Jakarta' });
      expect(names(await purchase({ on: '2026-11-05' }))).toEqual(['late']);
      expect(names(await purchase({ on: '2026-11-04' }))).toEqual(['early']);
      expect(names(await purchase({ from: '2026-11-01', to: '2026-11-30' }))).toEqual(['early', 'late']);
      expect(names(await purchase({ from: '2026-11-05' }))).toEqual(['late']);
      expect(names(await purchase({ to: '2026-11-04' }))).toEqual(['early']);
      expect(names(await purchase({}))).toEqual(['early', 'late']);
      const both = await search(appId, {
        activity: { types: ['purchase.completed', 'csat.submitted'], on: '2026-11-05' },
        timezone: 'Asia/Jakarta',
      });
      expect(names(both)).toEqual(['csat', 'late']);
      // All types when absent: customer.created counts too (every customer was created today).
      expect(names(await search(appId, { activity: { to: '2026-11-30' }, timezone: 'Asia/Jakarta' }))).toEqual(['csat', 'early', 'late']);
      expect(names(await search(appId, { activity: {} }))).toEqual(['csat', 'early', 'late', 'nothing']);
      // The app's time zone when the filter names none.
      await t.http().patch('/v1/settings/customers').set(t.auth(appId)).send({ timezone: 'Asia/Jakarta' });
      expect(names(await search(appId, { activity: { types: ['purchase.completed'], on: '2026-11-05' } }))).toEqual(['late']);
      const count = await t
        .http()
        .post('/v1/customers/count')
        .set(t.auth(appId))
        .send({ filter: { activity: { types: ['purchase.completed'] } } });
      expect(count.body.count).toBe(2);
    });

    it("C8: custom types filter too; an unknown type (or another app's custom one) is 422 validation_failed", async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const ch = await f.channel('telegram');
      const v = (await f.customer(ch, { name: 'visitor' })).id;
      await t.http().post('/v1/activity-types').set(t.auth(appId)).send({ key: 'visit.store', name: 'Store visit' });
      await f.events([ev(v, 'visit.store', '2026-11-05T10:00:00Z')]);
      expect(names(await search(appId, { activity: { types: ['visit.store'] } }))).toEqual(['visitor']);
      const other = newAppId();
      await t.http().post('/v1/activity-types').set(t.auth(other)).send({ key: 'other.thing', name: 'Other' });
      for (const type of ['nope.nothing', 'other.thing']) {
        const r = await search(appId, { activity: { types: [type] } });
        expect(r.status).toBe(422);
        expect(r.body.code).toBe('validation_failed');
        expect(r.body.errors[0].field).toMatch(/activity\.types/);
      }
    });

    it("C8: another app's activities never match", async () => {
      const a = newAppId();
      const fa = factories(t, a);
      const { id: ca } = await fa.customer(await fa.channel('telegram'), { name: 'in A' });
      await fa.events([ev(ca, 'purchase.completed', '2026-11-05T10:00:00Z')]);
      const b = newAppId();
      const fb = factories(t, b);
      await fb.customer(await fb.channel('telegram'), { name: 'in B' });
      expect((await search(b, { activity: { types: ['purchase.completed'] } })).body.data).toEqual([]);
    });
  });
});
