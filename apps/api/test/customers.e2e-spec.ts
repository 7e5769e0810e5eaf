import { Injectable, Module } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  CustomerActivityStore,
  CustomerCreatedEvent,
  CustomerDeletedEvent,
  CustomerDeletionHooks,
  CustomerGroupsQuery,
  CustomerIntake,
  CustomerLinks,
  CustomersService,
  type RawCustomer,
} from '@cdp/customers';
import { Db, DomainError, DomainEventHandler, newId, sql, type DomainEventHandlerContract } from '@cdp/platform';
import { eventually } from './support/eventually';
import { factories } from './support/factories';
import { createTestApp, newAppId, onRealServices, type TestApp } from './support/test-app';

// A stand-in for the groups lib: answers the detail's `groups` over the QueryBus for one known customer.
const groupsByCustomer = new Map<string, { id: string; name: string }[]>();
@Injectable()
@QueryHandler(CustomerGroupsQuery)
class TestGroupsHandler implements IQueryHandler<CustomerGroupsQuery> {
  async execute(q: CustomerGroupsQuery) {
    return groupsByCustomer.get(`${q.appId}/${q.customerId}`) ?? [];
  }
}
// A stand-in for a lib that listens: records the customer events it receives.
const received: (CustomerCreatedEvent | CustomerDeletedEvent)[] = [];
@Injectable()
@DomainEventHandler({ events: [CustomerCreatedEvent, CustomerDeletedEvent] })
class TestCustomerEventsHandler implements DomainEventHandlerContract<CustomerCreatedEvent | CustomerDeletedEvent> {
  async handle(events: (CustomerCreatedEvent | CustomerDeletedEvent)[]) {
    received.push(...events);
  }
}
@Module({ providers: [TestGroupsHandler, TestCustomerEventsHandler] })
class TestGroupsModule {}

class RefusedByHook extends DomainError {
  readonly code = 'customer_already_linked';
  readonly kind = 'conflict' as const;
}

describe('Customers (API.md "Customers")', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ imports: [TestGroupsModule] });
  });
  afterAll(() => t.close());

  describe('create', () => {
    it('C1, C2, C3: a customer added by hand belongs to one channel, has source admin and normalised fields', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const ch = await f.channel('wa', undefined, 'WA');
      const r = await t
        .http()
        .post('/v1/customers')
        .set(t.auth(appId, 'agent'))
        .send({
          channelId: ch,
          identifier: '+62 812-3456-7890',
          name: '  Budi Santoso ',
          email: 'Budi.Santoso@Example.COM',
          phoneNumber: '0812 3456 7890',
          platform: 'mobile',
          tags: [' vip ', 'vip', 'jakarta'],
        });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({
        name: 'Budi Santoso',
        identifier: '6281234567890',
        email: 'budi.santoso@example.com',
        phoneNumber: '+6281234567890',
        channel: { id: ch, type: 'wa', name: 'WA' },
        source: 'admin',
        platform: 'mobile',
        tags: ['vip', 'jakarta'],
        properties: {},
        linked: false,
        mainChannel: false,
        profileId: null,
      });
      expect(r.body.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(r.body.lastActivityAt).toBe(r.body.createdAt);
      expect(r.body.updatedAt).toBe(r.body.createdAt);
      const got = await t.http().get(`/v1/customers/${r.body.id}`).set(t.auth(appId, 'agent'));
      expect(got.status).toBe(200);
      expect(got.body).toMatchObject({ ...r.body, linkedCustomers: [], groups: [] });
    });

    it("C10: a local phone number is read with the app's default country", async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const ch = await f.channel('telegram');
      await t.http().patch('/v1/settings/customers').set(t.auth(appId)).send({ defaultCountry: 'TH' });
      const c = await f.customer(ch, { identifier: '123456789', name: 'Somchai', phoneNumber: '081 234 5678' });
      expect(c.phoneNumber).toBe('+66812345678');
    });

    it('C1: the same identifier twice on one channel is 409 customer_exists, also when written differently', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const ch = await f.channel('wa');
      const other = await f.channel('wa');
      await f.customer(ch, { identifier: '6281234567890', name: 'Budi' });
      const dup = await t
        .http()
        .post('/v1/customers')
        .set(t.auth(appId))
        .send({ channelId: ch, identifier: '+62 812 3456 7890', name: 'Budi again' });
      expect(dup.status).toBe(409);
      expect(dup.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(dup.body.code).toBe('customer_exists');
      // Another channel instance is another customer.
      const elsewhere = await f.customer(other, { identifier: '6281234567890', name: 'Budi' });
      expect(elsewhere.channel.id).toBe(other);
    });

    it('C1: two identical creates at once give one 201 and one 409, never a 500', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const ch = await f.channel('wa');
      const body = { channelId: ch, identifier: '6281111111111', name: 'Race' };
      for (let round = 0; round < (onRealServices ? 5 : 1); round++) {
        const b = { ...body, identifier: `628111111111${round}` };
        const rs = await Promise.all([
          t.http().post('/v1/customers').set(t.auth(appId)).send(b),
          t.http().post('/v1/customers').set(t.auth(appId)).send(b),
        ]);
        expect(rs.map((r) => r.status).sort()).toEqual([201, 409]);
        expect(rs.find((r) => r.status === 409)!.body.code).toBe('customer_exists');
      }
    });

    it('CH3, X5: an identifier the channel refuses, or a junk one, is 422 invalid_identifier and nothing is stored', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const wa = await f.channel('wa');
      const line = await f.channel('line');
      for (const [channelId, identifier] of [
        [wa, 'not-a-number'],
        [line, '6281234567890'],
        [wa, 'null'],
        [wa, 'guest'],
        [wa, '000000'],
        [line, 'undefined'],
        [wa, '[object Object]'],
      ]) {
        const r = await t.http().post('/v1/customers').set(t.auth(appId)).send({ channelId, identifier, name: 'X' });
        expect(r.status).toBe(422);
        expect(r.body.code).toBe('invalid_identifier');
        expect(r.body.errors[0].field).toBe('identifier');
      }
      const tags = await t.http().get('/v1/tags').set(t.auth(appId));
      expect(tags.body).toEqual([]);
      const del = await t.http().delete(`/v1/channels/${wa}`).set(t.auth(appId));
      expect(del.status).toBe(204);
    });

    it("C1: the channel must be one of the app's channels (422 validation_failed on channelId)", async () => {
      const appId = newAppId();
      const foreign = await factories(t, newAppId()).channel('wa');
      for (const channelId of [foreign, newId(), 'not-a-uuid']) {
        const r = await t.http().post('/v1/customers').set(t.auth(appId)).send({ channelId, identifier: '6281234567890', name: 'X' });
        expect(r.status).toBe(422);
        expect(r.body.code).toBe('validation_failed');
        expect(r.body.errors.map((e: { field: string }) => e.field)).toContain('channelId');
      }
    });

    it('C2, C3, C10: invalid fields are 422 validation_failed naming each field; the source cannot be chosen by hand', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const ch = await f.channel('wa');
      const base = { channelId: ch, identifier: '6281234567890', name: 'Budi' };
      const cases: [Record<string, unknown>, string][] = [
        [{ email: 'budi@' }, 'email'],
        [{ phoneNumber: '12' }, 'phoneNumber'],
        [{ name: '' }, 'name'],
        [{ name: 'x'.repeat(201) }, 'name'],
        [{ platform: 'desktop' }, 'platform'],
        [{ tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }, 'tags'],
        [{ tags: ['x'.repeat(65)] }, 'tags'],
        [{ tags: [' '] }, 'tags'],
        [{ source: 'ads' }, 'source'],
        [{ properties: { city: 'Jakarta' } }, 'properties.city'],
      ];
      for (const [extra, field] of cases) {
        const r = await t
          .http()
          .post('/v1/customers')
          .set(t.auth(appId))
          .send({ ...base, ...extra });
        expect(r.status).toBe(422);
        expect(r.body.code).toBe('validation_failed');
        expect(r.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
      // None of them was stored: the identifier is still free.
      await f.customer(ch, base);
    });

    it('C2, C10: property values given at creation are checked against the definitions and stored', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const ch = await f.channel('wa');
      await f.property('city', 'select', { label: 'City', options: ['Jakarta', 'Bandung'] });
      const bad = await t
        .http()
        .post('/v1/customers')
        .set(t.auth(appId))
        .send({ channelId: ch, identifier: '6281234567890', name: 'Budi', properties: { city: 'Medan' } });
      expect(bad.status).toBe(422);
      expect(bad.body.errors[0].field).toBe('properties.city');
      const c = await f.customer(ch, { identifier: '6281234567890', name: 'Budi', properties: { city: 'Jakarta' } });
      expect(c.properties).toEqual({ city: 'Jakarta' });
    });
  });

  describe('edit (C10)', () => {
    it('C10: name, e-mail and phone are edited and validated; null clears e-mail and phone; updatedAt moves', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const ch = await f.channel('wa');
      const c = await f.customer(ch, {
        identifier: '6281234567890',
        name: 'Budi',
        email: 'budi@example.com',
        phoneNumber: '+6281234567890',
      });
      await new Promise((r) => setTimeout(r, 5));
      const r = await t
        .http()
        .patch(`/v1/customers/${c.id}`)
        .set(t.auth(appId, 'agent'))
        .send({ name: 'Budi S.', email: 'BUDI.S@Example.com', phoneNumber: '0813 1111 2222' });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        id: c.id,
        name: 'Budi S.',
        email: 'budi.s@example.com',
        phoneNumber: '+6281311112222',
        identifier: '6281234567890',
        tags: [],
      });
      expect(Date.parse(r.body.updatedAt)).toBeGreaterThan(Date.parse(c.updatedAt));
      expect(r.body.createdAt).toBe(c.createdAt);
      const cleared = await t.http().patch(`/v1/customers/${c.id}`).set(t.auth(appId)).send({ email: null, phoneNumber: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({ name: 'Budi S.', email: null, phoneNumber: null });
      const got = await t.http().get(`/v1/customers/${c.id}`).set(t.auth(appId));
      expect(got.body).toMatchObject({ name: 'Budi S.', email: null, phoneNumber: null });
      // An empty edit changes nothing, not even updatedAt.
      const noop = await t.http().patch(`/v1/customers/${c.id}`).set(t.auth(appId)).send({});
      expect(noop.status).toBe(200);
      expect(noop.body.updatedAt).toBe(got.body.updatedAt);
    });

    it('C10: a bad edit is 422 and changes nothing; name cannot be cleared; identifier and channel cannot be edited', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const ch = await f.channel('wa');
      const c = await f.customer(ch, { identifier: '6281234567890', name: 'Budi', email: 'budi@example.com' });
      for (const [body, field] of [
        [{ name: 'Ok', phoneNumber: 'abc' }, 'phoneNumber'],
        [{ name: 'Ok', email: 'nope' }, 'email'],
        [{ name: null }, 'name'],
        [{ name: '   ' }, 'name'],
        [{ tags: null }, 'tags'],
        [{ identifier: '6289999999999' }, 'identifier'],
        [{ channelId: ch }, 'channelId'],
      ] as [Record<string, unknown>, string][]) {
        const r = await t.http().patch(`/v1/customers/${c.id}`).set(t.auth(appId)).send(body);
        expect(r.status).toBe(422);
        expect(r.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
      const got = await t.http().get(`/v1/customers/${c.id}`).set(t.auth(appId));
      expect(got.body).toMatchObject({ name: 'Budi', email: 'budi@example.com', identifier: '6281234567890', updatedAt: c.updatedAt });
    });

    it("C10: tags are replaced, trimmed and de-duplicated; GET /v1/tags lists the app's tags by use", async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const ch = await f.channel('wa');
      const a = await f.customer(ch, { identifier: '6281000000001', name: 'A', tags: ['vip', 'new'] });
      await f.customer(ch, { identifier: '6281000000002', name: 'B', tags: ['vip'] });
      await f.customer(ch, { identifier: '6281000000003', name: 'C', tags: ['vip', 'jakarta', 'new'] });
      const r = await t
        .http()
        .patch(`/v1/customers/${a.id}`)
        .set(t.auth(appId))
        .send({ tags: [' gold ', 'vip', 'gold'] });
      expect(r.status).toBe(200);
      expect(r.body.tags).toEqual(['gold', 'vip']);
      const tags = await t.http().get('/v1/tags').set(t.auth(appId, 'agent'));
      expect(tags.status).toBe(200);
      expect(tags.body).toEqual([
        { tag: 'vip', count: 3 },
        { tag: 'gold', count: 1 },
        { tag: 'jakarta', count: 1 },
        { tag: 'new', count: 1 },
      ]);
      const cleared = await t.http().patch(`/v1/customers/${a.id}`).set(t.auth(appId)).send({ tags: [] });
      expect(cleared.body.tags).toEqual([]);
      // Tags are per app.
      const other = await t.http().get('/v1/tags').set(t.auth(newAppId()));
      expect(other.body).toEqual([]);
    });

    it('C10: PUT properties keeps keys not sent, removes null ones, refuses unknown keys and wrong types', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const ch = await f.channel('wa');
      const admin = t.auth(appId);
      for (const { key, type, ...extra } of [
        { key: 'city', label: 'City', type: 'select', options: ['Jakarta', 'Bandung'] },
        { key: 'tier', label: 'Tier', type: 'select', options: ['gold', 'silver'] },
        { key: 'vip', label: 'VIP', type: 'boolean' },
        { key: 'birthday', label: 'Birthday', type: 'date' },
      ])
        await f.property(key, type, extra);
      const c = await f.customer(ch, { identifier: '6281234567890', name: 'Budi' });
      const put = (body: unknown) =>
        t
          .http()
          .put(`/v1/customers/${c.id}/properties`)
          .set(t.auth(appId, 'agent'))
          .send(body as object);
      const a = await put({ city: 'Jakarta', tier: 'gold', vip: true });
      expect(a.status).toBe(200);
      expect(a.body.properties).toEqual({ city: 'Jakarta', tier: 'gold', vip: true });
      const b = await put({ tier: null, birthday: '1990-05-17' });
      expect(b.body.properties).toEqual({ city: 'Jakarta', vip: true, birthday: '1990-05-17' });
      for (const [body, field] of [
        [{ nope: 1 }, 'properties.nope'],
        [{ city: 'Medan' }, 'properties.city'],
        [{ vip: 'yes' }, 'properties.vip'],
        [{ birthday: '1990-02-30' }, 'properties.birthday'],
        [{ city: 'Bandung', vip: 1 }, 'properties.vip'],
      ] as [Record<string, unknown>, string][]) {
        const r = await put(body);
        expect(r.status).toBe(422);
        expect(r.body.code).toBe('validation_failed');
        expect(r.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
      const got = await t.http().get(`/v1/customers/${c.id}`).set(admin);
      expect(got.body.properties).toEqual({ city: 'Jakarta', vip: true, birthday: '1990-05-17' });
      expect((await put(['city'])).status).toBe(422);
    });
  });

  describe('detail', () => {
    it('C2: linkedCustomers are the other members of its linked set; linked and mainChannel show on each', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const wa = await f.channel('wa');
      const tg = await f.channel('telegram');
      const a = await f.customer(wa, { identifier: '6281234567890', name: 'Budi' });
      const b = await f.customer(tg, { identifier: '987654321', name: 'Budi TG' });
      const c = await f.customer(tg, { identifier: '987654322', name: 'Someone else' });
      // The merge lib links customers through the exported link columns' door, inside its own transaction.
      const writer = t.app.get(CustomerLinks);
      const db = t.app.get(Db);
      const profileId = newId();
      await db.transaction(async (tx) => {
        const locked = await writer.lock(tx, appId, [b.id, a.id, c.id, 'junk']);
        expect(locked.map((r) => r.id)).toEqual([a.id, b.id, c.id].sort());
        await writer.apply(tx, appId, [
          { customerId: a.id, profileId, mainChannel: true },
          { customerId: b.id, profileId, mainChannel: false },
        ]);
      });
      const got = await t.http().get(`/v1/customers/${b.id}`).set(t.auth(appId));
      expect(got.body).toMatchObject({ linked: true, mainChannel: false, profileId });
      expect(got.body.linkedCustomers).toHaveLength(1);
      expect(got.body.linkedCustomers[0]).toMatchObject({ id: a.id, linked: true, mainChannel: true, channel: { type: 'wa' } });
      const alone = await t.http().get(`/v1/customers/${c.id}`).set(t.auth(appId));
      expect(alone.body).toMatchObject({ linked: false, mainChannel: false, linkedCustomers: [] });
      // Another app cannot link this app's customers.
      await db.transaction(async (tx) => {
        expect(await writer.lock(tx, newAppId(), [c.id])).toEqual([]);
        expect(await writer.apply(tx, newAppId(), [{ customerId: c.id, profileId, mainChannel: true }])).toBe(0);
      });
    });

    it('C10: the groups a customer belongs to come from the groups lib (QueryBus), on the detail and on /groups', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const ch = await f.channel('wa');
      const c = await f.customer(ch, { identifier: '6281234567890', name: 'Budi' });
      const d = await f.customer(ch, { identifier: '6281234567891', name: 'Dewi' });
      groupsByCustomer.set(`${appId}/${c.id}`, [{ id: newId(), name: 'VIP Jakarta' }]);
      const g = await t.http().get(`/v1/customers/${c.id}/groups`).set(t.auth(appId, 'agent'));
      expect(g.status).toBe(200);
      expect(g.body).toEqual([{ id: expect.any(String), name: 'VIP Jakarta' }]);
      const detail = await t.http().get(`/v1/customers/${c.id}`).set(t.auth(appId));
      expect(detail.body.groups).toEqual(g.body);
      const none = await t.http().get(`/v1/customers/${d.id}/groups`).set(t.auth(appId));
      expect(none.body).toEqual([]);
    });
  });

  describe('delete', () => {
    it('C1: admins and supervisors delete a customer (204, gone, audited); agents may not', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const ch = await f.channel('wa');
      const c = await f.customer(ch, { identifier: '6281234567890', name: 'Budi', tags: ['vip'] });
      const agent = await t.http().delete(`/v1/customers/${c.id}`).set(t.auth(appId, 'agent'));
      expect(agent.status).toBe(403);
      expect(agent.body.code).toBe('forbidden');
      const del = await t.http().delete(`/v1/customers/${c.id}`).set(t.auth(appId, 'supervisor'));
      expect(del.status).toBe(204);
      expect((await t.http().get(`/v1/customers/${c.id}`).set(t.auth(appId))).status).toBe(404);
      expect((await t.http().delete(`/v1/customers/${c.id}`).set(t.auth(appId))).status).toBe(404);
      expect((await t.http().get('/v1/tags').set(t.auth(appId))).body).toEqual([]);
      const log = await t.http().get('/v1/audit-log?action=customer.deleted').set(t.auth(appId));
      expect(log.body.data).toHaveLength(1);
      expect(log.body.data[0]).toMatchObject({ action: 'customer.deleted', subject: `customer:${c.id}`, actor: { role: 'supervisor' } });
      // The identifier is free again.
      await f.customer(ch, { identifier: '6281234567890', name: 'Budi' });
    });

    it('C1: deletion hooks run inside the delete: a hook that refuses leaves the customer in place', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const ch = await f.channel('wa');
      const keep = await f.customer(ch, { identifier: '6281234567890', name: 'Keep' });
      const go = await f.customer(ch, { identifier: '6281234567891', name: 'Go' });
      const seen: string[] = [];
      t.app.get(CustomerDeletionHooks).register(async (_tx, hookApp, ref) => {
        if (hookApp !== appId) return;
        seen.push(ref.id);
        if (ref.id === keep.id) throw new RefusedByHook('kept by a test hook');
      });
      const refused = await t.http().delete(`/v1/customers/${keep.id}`).set(t.auth(appId));
      expect(refused.status).toBe(409);
      expect((await t.http().get(`/v1/customers/${keep.id}`).set(t.auth(appId))).status).toBe(200);
      const log = await t.http().get('/v1/audit-log?action=customer.deleted').set(t.auth(appId));
      expect(log.body.data).toHaveLength(0);
      expect((await t.http().delete(`/v1/customers/${go.id}`).set(t.auth(appId))).status).toBe(204);
      expect(seen).toEqual([keep.id, go.id]);
    });
  });

  it('C2: the OpenAPI document describes every customer endpoint', async () => {
    const r = await t.http().get('/openapi.json');
    expect(r.status).toBe(200);
    const paths = r.body.paths as Record<string, Record<string, { tags?: string[] }>>;
    for (const [path, methods] of [
      ['/v1/customers', ['post']],
      ['/v1/customers/{id}', ['get', 'patch', 'delete']],
      ['/v1/customers/{id}/properties', ['put']],
      ['/v1/customers/{id}/groups', ['get']],
      ['/v1/tags', ['get']],
      ['/v1/customer-properties', ['get', 'post']],
      ['/v1/customer-properties/{key}', ['get', 'patch', 'delete']],
    ] as [string, string[]][])
      for (const m of methods) expect(paths[path]?.[m]?.tags?.length).toBeGreaterThan(0);
  });

  it("tenancy: another app's customer, or a non-UUID id, is 404 on every customer endpoint", async () => {
    const a = newAppId();
    const b = newAppId();
    const fa = factories(t, a);
    const ch = await fa.channel('wa');
    const c = await fa.customer(ch, { identifier: '6281234567890', name: 'Budi', tags: ['vip'] });
    const asB = t.auth(b);
    for (const id of [c.id, 'not-a-uuid', newId()]) {
      const rs = await Promise.all([
        t.http().get(`/v1/customers/${id}`).set(asB),
        t.http().patch(`/v1/customers/${id}`).set(asB).send({ name: 'Hacked' }),
        t.http().put(`/v1/customers/${id}/properties`).set(asB).send({}),
        t.http().delete(`/v1/customers/${id}`).set(asB),
        t.http().get(`/v1/customers/${id}/groups`).set(asB),
      ]);
      for (const r of rs) {
        expect(r.status).toBe(404);
        expect(r.body.code).toBe('not_found');
      }
    }
    const got = await t.http().get(`/v1/customers/${c.id}`).set(t.auth(a));
    expect(got.body.name).toBe('Budi');
    expect((await t.http().get('/v1/tags').set(asB)).body).toEqual([]);
  });

  it('CH2, C1: a channel with customers cannot be deleted or change its identifier type (409 channel_in_use)', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const wa = await f.channel('wa');
    const qiscus = await f.channel('qiscus', { identifierType: 'email' }, 'Widget');
    const c = await f.customer(wa, { identifier: '6281234567890', name: 'Budi' });
    const q = await f.customer(qiscus, { identifier: 'Budi@Example.com', name: 'Budi web', platform: 'web' });
    const del = await t.http().delete(`/v1/channels/${wa}`).set(t.auth(appId));
    expect(del.status).toBe(409);
    expect(del.body.code).toBe('channel_in_use');
    const retype = await t
      .http()
      .patch(`/v1/channels/${qiscus}`)
      .set(t.auth(appId))
      .send({ config: { identifierType: 'phone' } });
    expect(retype.status).toBe(409);
    expect(retype.body.code).toBe('channel_in_use');
    // Renaming is fine, and shows on the customer.
    const rename = await t.http().patch(`/v1/channels/${qiscus}`).set(t.auth(appId)).send({ name: 'Web widget' });
    expect(rename.status).toBe(200);
    expect((await t.http().get(`/v1/customers/${q.id}`).set(t.auth(appId))).body.channel).toEqual({
      id: qiscus,
      type: 'qiscus',
      name: 'Web widget',
    });
    // Once its customers are gone, the channel can go.
    expect((await t.http().delete(`/v1/customers/${c.id}`).set(t.auth(appId))).status).toBe(204);
    expect((await t.http().delete(`/v1/channels/${wa}`).set(t.auth(appId))).status).toBe(204);
  });

  describe('for other libs', () => {
    it('C1, C3: createMany inserts a batch in one statement, answers the taken identifiers, and sets lastActivityAt', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const ch = await f.channel('wa');
      const taken = await f.customer(ch, { identifier: '6281000000001', name: 'Taken' });
      const service = t.app.get(CustomersService);
      const db = t.app.get(Db);
      // What other libs insert comes through the one door for new customers.
      const checked = async (raws: RawCustomer[]) => (await t.app.get(CustomerIntake).checkAll(appId, raws)).map((c) => c.customer!);
      const batch = await checked([
        { channelId: ch, identifier: '6281000000001', name: 'Again', source: 'organic' },
        {
          channelId: ch,
          identifier: '6281000000002',
          name: 'Siti Nurhaliza',
          source: 'ads',
          email: 'Siti@Example.com',
          tags: ['lead', 'lead'],
        },
        { channelId: ch, identifier: '6281000000003', name: 'Ahmad', source: 'broadcast' },
        { channelId: ch, identifier: '6281000000003', name: 'Ahmad twice', source: 'broadcast' },
      ]);
      const res = await db.transaction((tx) => service.createMany(tx, appId, batch));
      expect(res.created.map((c) => c.identifier).sort()).toEqual(['6281000000002', '6281000000003']);
      const created3 = res.created.find((c) => c.identifier === '6281000000003')!;
      expect(res.existing).toEqual([
        { channelId: ch, identifier: '6281000000001', id: taken.id },
        { channelId: ch, identifier: '6281000000003', id: created3.id },
      ]);
      const siti = await t
        .http()
        .get(`/v1/customers/${res.created.find((c) => c.identifier === '6281000000002')!.id}`)
        .set(t.auth(appId));
      expect(siti.body).toMatchObject({
        name: 'Siti Nurhaliza',
        source: 'ads',
        email: 'siti@example.com',
        tags: ['lead'],
        channel: { id: ch, type: 'wa' },
      });
      expect(siti.body.lastActivityAt).toBe(siti.body.createdAt);
      const found = await service.findByIdentifiers(undefined, appId, [
        { channelId: ch, identifier: '6281000000002' },
        { channelId: ch, identifier: '6289' },
      ]);
      expect(found.map((f) => f.name)).toEqual(['Siti Nurhaliza']);
      expect(await service.findByIdentifiers(undefined, newAppId(), [{ channelId: ch, identifier: '6281000000002' }])).toEqual([]);
      expect((await service.getMany(appId, [taken.id, created3.id, 'junk'])).length).toBe(2);
      expect(await service.getMany(newAppId(), [taken.id])).toEqual([]);
    });

    it('C3: CustomerCreatedEvent and CustomerDeletedEvent reach listeners once committed; a rolled-back batch publishes nothing', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const ch = await f.channel('wa');
      const c = await f.customer(ch, { identifier: '6281234567890', name: 'Budi' });
      const service = t.app.get(CustomersService);
      const [rolledBack] = await t.app
        .get(CustomerIntake)
        .checkAll(appId, [{ channelId: ch, identifier: '6281234567891', name: 'Rolled back', source: 'organic' }]);
      await expect(
        t.app.get(Db).transaction(async (tx) => {
          await service.createMany(tx, appId, [rolledBack.customer!]);
          throw new Error('abort the batch');
        }),
      ).rejects.toThrow('abort the batch');
      await t.http().delete(`/v1/customers/${c.id}`).set(t.auth(appId));
      const mine = await eventually(() => {
        const got = received.filter((e) => e.appId === appId);
        expect(got.map((e) => [e.constructor.name, e.customerId])).toEqual([
          ['CustomerCreatedEvent', c.id],
          ['CustomerDeletedEvent', c.id],
        ]);
        return got;
      });
      expect(mine[0]).toMatchObject({ source: 'admin', createdAt: c.createdAt });
      expect((await service.findByIdentifiers(undefined, appId, [{ channelId: ch, identifier: '6281234567891' }])).length).toBe(0);
    });

    it('C2: the activity store moves lastActivityAt forward only, in one upsert per batch, and an older time writes nothing', async () => {
      const appId = newAppId();
      const f = factories(t, appId);
      const ch = await f.channel('wa');
      const c = await f.customer(ch, { identifier: '6281234567890', name: 'Budi' });
      const store = t.app.get(CustomerActivityStore);
      const db = t.app.get(Db);
      const later = new Date(Date.parse(c.createdAt) + 60_000);
      await db.transaction((tx) =>
        store.touch(tx, appId, [
          { customerId: c.id, at: new Date(Date.parse(c.createdAt) + 1_000) },
          { customerId: c.id, at: later },
        ]),
      );
      expect((await t.http().get(`/v1/customers/${c.id}`).set(t.auth(appId))).body.lastActivityAt).toBe(later.toISOString());
      // An older time writes nothing: the row keeps its version (no dead tuple, no index entry per late event).
      const version = async () =>
        (
          await db.query<{ v: string }>(
            sql`select xmin::text as v from customer_activity where app_id = ${appId} and customer_id = ${c.id}::uuid`,
          )
        )[0].v;
      const before = await version();
      await db.transaction((tx) => store.touch(tx, appId, [{ customerId: c.id, at: new Date(Date.parse(c.createdAt) - 86_400_000) }]));
      expect(await version()).toBe(before);
      const got = (await t.http().get(`/v1/customers/${c.id}`).set(t.auth(appId))).body;
      expect(got.lastActivityAt).toBe(later.toISOString());
      // Activity is not an edit of the customer.
      expect(got.updatedAt).toBe(c.updatedAt);
    });
  });
});
