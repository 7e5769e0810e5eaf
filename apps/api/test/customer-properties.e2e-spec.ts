import { factories } from './support/factories';
import { createTestApp, newAppId, type TestApp } from './support/test-app';

describe('Customer properties (API.md "Customers", FEATURES.md C11)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const define = (appId: string, body: Record<string, unknown>, role: 'admin' | 'supervisor' | 'agent' = 'admin') =>
    t.http().post('/v1/customer-properties').set(t.auth(appId, role)).send(body);

  it('C11: an admin defines properties of every type; every role lists them', async () => {
    const appId = newAppId();
    const defs = [
      { key: 'city', label: 'City', type: 'select', options: ['Jakarta', 'Bandung', 'Surabaya'] },
      { key: 'birthday', label: 'Birthday', type: 'date' },
      { key: 'vip', label: 'VIP', type: 'boolean' },
      { key: 'lifetime_value', label: 'Lifetime value', type: 'number' },
      { key: 'note', label: '  Note  ', type: 'text' },
    ];
    for (const d of defs) {
      const r = await define(appId, d);
      expect(r.status).toBe(201);
      expect(r.body).toEqual({ ...d, label: d.label.trim() });
    }
    for (const role of ['admin', 'supervisor', 'agent'] as const) {
      const r = await t.http().get('/v1/customer-properties').set(t.auth(appId, role));
      expect(r.status).toBe(200);
      expect(r.body.map((d: { key: string }) => d.key)).toEqual(['city', 'birthday', 'vip', 'lifetime_value', 'note']);
      expect(r.body[0].options).toEqual(['Jakarta', 'Bandung', 'Surabaya']);
      expect(r.body[1]).not.toHaveProperty('options');
    }
    const one = await t.http().get('/v1/customer-properties/vip').set(t.auth(appId, 'agent'));
    expect(one.body).toEqual({ key: 'vip', label: 'VIP', type: 'boolean' });
  });

  it('C11: only admins manage definitions (403 forbidden for supervisors and agents)', async () => {
    const appId = newAppId();
    expect((await define(appId, { key: 'city', label: 'City', type: 'text' })).status).toBe(201);
    for (const role of ['supervisor', 'agent'] as const) {
      const post = await define(appId, { key: 'tier', label: 'Tier', type: 'text' }, role);
      expect(post.status).toBe(403);
      expect(post.body.code).toBe('forbidden');
      expect((await t.http().patch('/v1/customer-properties/city').set(t.auth(appId, role)).send({ label: 'Town' })).status).toBe(403);
      expect((await t.http().delete('/v1/customer-properties/city').set(t.auth(appId, role))).status).toBe(403);
    }
    const list = await t.http().get('/v1/customer-properties').set(t.auth(appId));
    expect(list.body).toEqual([{ key: 'city', label: 'City', type: 'text' }]);
  });

  it('C11: keys, types and options are validated (422 validation_failed naming the field)', async () => {
    const appId = newAppId();
    expect((await define(appId, { key: 'City', label: 'City', type: 'text' })).status).toBe(201);
    const cases: [Record<string, unknown>, string][] = [
      [{ key: '1city', label: 'x', type: 'text' }, 'key'],
      [{ key: 'my-key', label: 'x', type: 'text' }, 'key'],
      [{ key: 'a'.repeat(65), label: 'x', type: 'text' }, 'key'],
      [{ key: 'phoneNumber', label: 'x', type: 'text' }, 'key'],
      [{ key: 'EMAIL', label: 'x', type: 'text' }, 'key'],
      [{ key: 'lastactivityat', label: 'x', type: 'date' }, 'key'],
      [{ key: 'city', label: 'x', type: 'text' }, 'key'],
      [{ key: 'City', label: 'x', type: 'text' }, 'key'],
      [{ key: 'tier', label: '', type: 'text' }, 'label'],
      [{ key: 'tier', label: 'Tier', type: 'color' }, 'type'],
      [{ key: 'tier', label: 'Tier', type: 'select' }, 'options'],
      [{ key: 'tier', label: 'Tier', type: 'select', options: [] }, 'options'],
      [{ key: 'tier', label: 'Tier', type: 'select', options: ['gold', 'gold'] }, 'options'],
      [{ key: 'tier', label: 'Tier', type: 'select', options: Array.from({ length: 101 }, (_, i) => `o${i}`) }, 'options'],
      [{ key: 'tier', label: 'Tier', type: 'text', options: ['gold'] }, 'options'],
    ];
    for (const [body, field] of cases) {
      const r = await define(appId, body);
      expect(r.status).toBe(422);
      expect(r.body.code).toBe('validation_failed');
      expect(r.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect((await t.http().get('/v1/customer-properties').set(t.auth(appId))).body).toHaveLength(1);
  });

  it('C11: the label and options change, the type never; removing an option removes that value from customers', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    await f.property('tier', 'select', { label: 'Tier', options: ['gold', 'silver', 'bronze'] });
    await f.property('vip', 'boolean', { label: 'VIP' });
    const tg = await f.channel('telegram');
    const { id: gold } = await f.customer(tg, { properties: { tier: 'gold', vip: true } });
    const { id: silver } = await f.customer(tg, { properties: { tier: 'silver' } });
    const r = await t
      .http()
      .patch('/v1/customer-properties/tier')
      .set(t.auth(appId))
      .send({ label: 'Loyalty tier', options: ['gold', 'platinum', 'bronze'] });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ key: 'tier', label: 'Loyalty tier', type: 'select', options: ['gold', 'platinum', 'bronze'] });
    expect((await t.http().get(`/v1/customers/${gold}`).set(t.auth(appId))).body.properties).toEqual({ tier: 'gold', vip: true });
    expect((await t.http().get(`/v1/customers/${silver}`).set(t.auth(appId))).body.properties).toEqual({});
    // The new option is usable, the removed one is not.
    expect((await t.http().put(`/v1/customers/${silver}/properties`).set(t.auth(appId)).send({ tier: 'platinum' })).status).toBe(200);
    expect((await t.http().put(`/v1/customers/${silver}/properties`).set(t.auth(appId)).send({ tier: 'silver' })).status).toBe(422);
    for (const body of [{ type: 'text' }, { options: ['x'], type: 'boolean' }]) {
      const bad = await t.http().patch('/v1/customer-properties/tier').set(t.auth(appId)).send(body);
      expect(bad.status).toBe(422);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toContain('type');
    }
    const noOptions = await t
      .http()
      .patch('/v1/customer-properties/vip')
      .set(t.auth(appId))
      .send({ options: ['yes'] });
    expect(noOptions.status).toBe(422);
    expect(noOptions.body.errors[0].field).toBe('options');
    const same = await t.http().patch('/v1/customer-properties/vip').set(t.auth(appId)).send({ type: 'boolean', label: 'Very important' });
    expect(same.body).toEqual({ key: 'vip', label: 'Very important', type: 'boolean' });
  });

  it('C11: deleting a definition removes its values from every customer of the app', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    await f.property('city', 'text', { label: 'City' });
    await f.property('vip', 'boolean', { label: 'VIP' });
    const tg = await f.channel('telegram');
    const { id: a } = await f.customer(tg, { properties: { city: 'Jakarta', vip: true } });
    const { id: b } = await f.customer(tg, { properties: { city: 'Bandung' } });
    const del = await t.http().delete('/v1/customer-properties/city').set(t.auth(appId));
    expect(del.status).toBe(204);
    expect((await t.http().get(`/v1/customers/${a}`).set(t.auth(appId))).body.properties).toEqual({ vip: true });
    expect((await t.http().get(`/v1/customers/${b}`).set(t.auth(appId))).body.properties).toEqual({});
    expect((await t.http().get('/v1/customer-properties/city').set(t.auth(appId))).status).toBe(404);
    expect((await t.http().delete('/v1/customer-properties/city').set(t.auth(appId))).status).toBe(404);
    const put = await t.http().put(`/v1/customers/${a}/properties`).set(t.auth(appId)).send({ city: 'Jakarta' });
    expect(put.status).toBe(422);
    expect(put.body.errors[0].field).toBe('properties.city');
  });

  it('C10, C11: values are validated by type on every write', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    await f.property('note', 'text', { label: 'Note' });
    await f.property('ltv', 'number', { label: 'LTV' });
    await f.property('birthday', 'date', { label: 'Birthday' });
    await f.property('vip', 'boolean', { label: 'VIP' });
    await f.property('city', 'select', { label: 'City', options: ['Jakarta'] });
    const { id } = await f.customer(await f.channel('telegram'));
    const put = (body: Record<string, unknown>) => t.http().put(`/v1/customers/${id}/properties`).set(t.auth(appId, 'agent')).send(body);
    const good = await put({ note: 'x'.repeat(1000), ltv: -12.75, birthday: '2000-02-29', vip: false, city: 'Jakarta' });
    expect(good.status).toBe(200);
    expect(good.body.properties).toEqual({ note: 'x'.repeat(1000), ltv: -12.75, birthday: '2000-02-29', vip: false, city: 'Jakarta' });
    for (const [body, field] of [
      [{ note: 'x'.repeat(1001) }, 'properties.note'],
      [{ note: 5 }, 'properties.note'],
      [{ ltv: '12' }, 'properties.ltv'],
      [{ birthday: '2001-02-29' }, 'properties.birthday'],
      [{ birthday: '2001-02-03T00:00:00Z' }, 'properties.birthday'],
      [{ vip: 'true' }, 'properties.vip'],
      [{ city: 'jakarta' }, 'properties.city'],
      [{ City: 'Jakarta' }, 'properties.City'],
    ] as [Record<string, unknown>, string][]) {
      const r = await put(body);
      expect(r.status).toBe(422);
      expect(r.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
    expect((await t.http().get(`/v1/customers/${id}`).set(t.auth(appId))).body.properties).toEqual(good.body.properties);
  });

  it("tenancy: definitions are per app; another app's key is 404 and its customers keep their values", async () => {
    const a = newAppId();
    const b = newAppId();
    const fa = factories(t, a);
    await fa.property('city', 'select', { label: 'City', options: ['Jakarta', 'Bandung'] });
    const { id: customer } = await fa.customer(await fa.channel('telegram'), { properties: { city: 'Bandung' } });
    expect((await t.http().get('/v1/customer-properties').set(t.auth(b))).body).toEqual([]);
    expect((await t.http().get('/v1/customer-properties/city').set(t.auth(b))).status).toBe(404);
    expect(
      (
        await t
          .http()
          .patch('/v1/customer-properties/city')
          .set(t.auth(b))
          .send({ options: ['Jakarta'] })
      ).status,
    ).toBe(404);
    expect((await t.http().delete('/v1/customer-properties/city').set(t.auth(b))).status).toBe(404);
    // The same key in app B is its own definition; changing it leaves app A alone.
    expect((await define(b, { key: 'city', label: 'Kota', type: 'select', options: ['Jakarta'] })).status).toBe(201);
    expect((await t.http().delete('/v1/customer-properties/city').set(t.auth(b))).status).toBe(204);
    expect((await t.http().get(`/v1/customers/${customer}`).set(t.auth(a))).body.properties).toEqual({ city: 'Bandung' });
    expect((await t.http().get('/v1/customer-properties/city').set(t.auth(a))).body.label).toBe('City');
  });
});
