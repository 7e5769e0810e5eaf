import { Db, sql } from '@cdp/platform';
import { factories } from './support/factories';
import { createTestApp, newAppId, type TestApp } from './support/test-app';

/** FEATURES.md C5–C7, C9, C12; API.md "Customers" search/count/normalize and "Filter". */
describe('Customer filter (API.md "Filter")', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const search = (appId: string, body: Record<string, unknown>, role: 'admin' | 'agent' = 'admin') =>
    t.http().post('/v1/customers/search').set(t.auth(appId, role)).send(body);
  const ids = async (appId: string, filter: Record<string, unknown>): Promise<string[]> => {
    const r = await search(appId, { filter, limit: 100 });
    expect(r.status).toBe(200);
    return (r.body.data as { id: string }[]).map((c) => c.id).sort();
  };
  const count = (appId: string, body: Record<string, unknown>) => t.http().post('/v1/customers/count').set(t.auth(appId)).send(body);
  // Sources other than admin come from events (another lib); the link columns from merges. Set them directly.
  const setColumns = (appId: string, id: string, cols: { source?: string; profileId?: string }) =>
    t.app.get(Db).run(sql`update customers set source = coalesce(${cols.source ?? null}::text, source),
      profile_id = coalesce(${cols.profileId ?? null}::uuid, profile_id) where app_id = ${appId} and id = ${id}::uuid`);

  describe('channels (C5)', () => {
    let appId: string;
    let wa1: string, wa2: string, tg: string;
    let a: string, b: string, c: string;
    beforeAll(async () => {
      appId = newAppId();
      const f = factories(t, appId);
      wa1 = await f.channel('wa');
      wa2 = await f.channel('wa');
      tg = await f.channel('telegram');
      a = (await f.customer(wa1)).id;
      b = (await f.customer(wa2)).id;
      c = (await f.customer(tg)).id;
    });

    it('C5: one or more channel instances; instances and types combine with OR', async () => {
      expect(await ids(appId, { channelIds: [wa1] })).toEqual([a]);
      expect(await ids(appId, { channelIds: [wa1, tg] })).toEqual([a, c].sort());
      expect(await ids(appId, { channelTypes: ['wa'] })).toEqual([a, b].sort());
      expect(await ids(appId, { channelTypes: ['telegram'], channelIds: [wa2] })).toEqual([b, c].sort());
      expect(await ids(appId, {})).toEqual([a, b, c].sort());
    });

    it('C5: GET /v1/customers takes comma lists of channel ids and types', async () => {
      const r = await t.http().get(`/v1/customers?channelId=${wa1},${tg}`).set(t.auth(appId, 'agent'));
      expect(r.status).toBe(200);
      expect(r.body.data.map((x: { id: string }) => x.id).sort()).toEqual([a, c].sort());
      const byType = await t.http().get('/v1/customers?channelType=wa').set(t.auth(appId));
      expect(byType.body.data.map((x: { id: string }) => x.id).sort()).toEqual([a, b].sort());
      expect(byType.body.data[0].channel.type).toBe('wa');
    });

    it('C5: an unknown channel type, or a channel id of another app: 422 validation_failed naming the field', async () => {
      const other = newAppId();
      const foreign = await factories(t, other).channel('wa');
      const r = await search(appId, { filter: { channelIds: [foreign] } });
      expect(r.status).toBe(422);
      expect(r.body.code).toBe('validation_failed');
      expect(r.body.errors[0].field).toBe('filter.channelIds');
      const unknown = await search(appId, { filter: { channelIds: ['018f0000-0000-7000-8000-000000000000'] } });
      expect(unknown.status).toBe(422);
      const type = await search(appId, { filter: { channelTypes: ['myspace'] } });
      expect(type.status).toBe(422);
      expect(type.body.errors[0].field).toBe('filter.channelTypes');
      const notUuid = await t.http().get('/v1/customers?channelId=nope').set(t.auth(appId));
      expect(notUuid.status).toBe(422);
      expect(notUuid.body.code).toBe('validation_failed');
    });
  });

  describe('sources (C7)', () => {
    let appId: string;
    let wa: string, tg: string;
    let ad: string, org: string, adm: string;
    beforeAll(async () => {
      appId = newAppId();
      const f = factories(t, appId);
      wa = await f.channel('wa');
      tg = await f.channel('telegram');
      ad = (await f.customer(wa)).id;
      org = (await f.customer(wa)).id;
      adm = (await f.customer(tg)).id;
      await setColumns(appId, ad, { source: 'ads' });
      await setColumns(appId, org, { source: 'organic' });
    });

    it('C7: ads and broadcast with WhatsApp channels selected filter by source', async () => {
      expect(await ids(appId, { channelIds: [wa], sources: ['ads'] })).toEqual([ad]);
      expect(await ids(appId, { channelTypes: ['wa'], sources: ['ads', 'organic'] })).toEqual([ad, org].sort());
      expect(await ids(appId, { sources: ['admin'] })).toEqual([adm]);
      const r = await t.http().get(`/v1/customers?channelId=${wa}&source=ads,organic`).set(t.auth(appId));
      expect(r.status).toBe(200);
      expect(r.body.data.map((x: { id: string }) => x.id).sort()).toEqual([ad, org].sort());
    });

    it('C7: ads or broadcast with no channel, or with any non-WhatsApp channel: 422 source_requires_whatsapp', async () => {
      for (const filter of [
        { sources: ['ads'] },
        { sources: ['broadcast', 'organic'] },
        { channelIds: [wa, tg], sources: ['ads'] },
        { channelIds: [wa], channelTypes: ['line'], sources: ['broadcast'] },
        { channelTypes: ['telegram'], sources: ['ads'] },
      ]) {
        const r = await search(appId, { filter });
        expect(r.status).toBe(422);
        expect(r.body.code).toBe('source_requires_whatsapp');
        expect(r.body.detail).toMatch(/WhatsApp/);
      }
      const count422 = await count(appId, { filter: { sources: ['ads'] } });
      expect(count422.body.code).toBe('source_requires_whatsapp');
      const get = await t.http().get(`/v1/customers?channelId=${tg}&source=ads`).set(t.auth(appId));
      expect(get.body.code).toBe('source_requires_whatsapp');
    });

    it('C7: normalize after a channel change drops ads/broadcast ([ads] → [] = All, [ads, organic] → [organic]) and says which are enabled', async () => {
      const n = (filter: Record<string, unknown>) =>
        t.http().post('/v1/customers/filter/normalize').set(t.auth(appId, 'agent')).send({ filter });
      const a = await n({ channelIds: [tg], sources: ['ads'], search: 'budi' });
      expect(a.status).toBe(200);
      expect(a.body.filter).toEqual({ channelIds: [tg], sources: [], search: 'budi' });
      expect(a.body.changes).toHaveLength(1);
      expect(a.body.changes[0]).toMatch(/Ads.*WhatsApp.*All/);
      expect(a.body.sourceOptions).toEqual([
        { source: 'admin', enabled: true },
        { source: 'ads', enabled: false },
        { source: 'organic', enabled: true },
        { source: 'broadcast', enabled: false },
      ]);
      const b = await n({ channelIds: [wa, tg], sources: ['ads', 'organic'] });
      expect(b.body.filter.sources).toEqual(['organic']);
      const none = await n({ sources: ['broadcast'] });
      expect(none.body.filter.sources).toEqual([]);
      expect(none.body.sourceOptions.find((o: { source: string }) => o.source === 'broadcast').enabled).toBe(false);
      const ok = await n({ channelIds: [wa], sources: ['ads'] });
      expect(ok.body).toEqual({
        filter: { channelIds: [wa], sources: ['ads'] },
        changes: [],
        sourceOptions: [
          { source: 'admin', enabled: true },
          { source: 'ads', enabled: true },
          { source: 'organic', enabled: true },
          { source: 'broadcast', enabled: true },
        ],
      });
      const foreign = await n({ channelIds: [await factories(t, newAppId()).channel('wa')] });
      expect(foreign.status).toBe(422);
      expect(foreign.body.code).toBe('validation_failed');
      const missing = await t.http().post('/v1/customers/filter/normalize').set(t.auth(appId)).send({});
      expect(missing.status).toBe(422);
    });
  });

  describe('properties (C6)', () => {
    let appId: string;
    const c: Record<string, string> = {};
    beforeAll(async () => {
      appId = newAppId();
      const f = factories(t, appId);
      await f.property('city', 'text');
      await f.property('age', 'number');
      await f.property('birthday', 'date');
      await f.property('vip', 'boolean');
      await f.property('tier', 'select', { options: ['gold', 'silver'] });
      await f.property('note', 'text');
      const wa = await f.channel('wa');
      c.jkt = (await f.customer(wa, { properties: { city: 'Jakarta', age: 30, birthday: '1990-05-01', vip: true, tier: 'gold' } })).id;
      c.bdg = (await f.customer(wa, { properties: { city: 'Bandung', age: 45, birthday: '1980-12-31', vip: false, tier: 'silver' } })).id;
      c.sby = (await f.customer(wa, { properties: { city: 'South Jakarta', age: 7.5, tier: 'gold' } })).id;
      c.none = (await f.customer(wa)).id;
    });
    const cond = (key: string, operator: string, value?: unknown) => ({ key, operator, ...(value === undefined ? {} : { value }) });
    const props = (match: string, ...conditions: unknown[]) => ({ properties: { match, conditions } });
    const of = (...keys: string[]) => keys.map((k) => c[k]).sort();

    it('C6: text operators; neq and not_contains also match customers without a value', async () => {
      expect(await ids(appId, props('all', cond('city', 'eq', 'Jakarta')))).toEqual(of('jkt'));
      expect(await ids(appId, props('all', cond('city', 'neq', 'Jakarta')))).toEqual(of('bdg', 'sby', 'none'));
      expect(await ids(appId, props('all', cond('city', 'contains', 'jakarta')))).toEqual(of('jkt', 'sby'));
      expect(await ids(appId, props('all', cond('city', 'not_contains', 'Jakarta')))).toEqual(of('bdg', 'none'));
      expect(await ids(appId, props('all', cond('city', 'is_set')))).toEqual(of('jkt', 'bdg', 'sby'));
      expect(await ids(appId, props('all', cond('city', 'is_not_set')))).toEqual(of('none'));
    });

    it('C6: number and date operators compare by value', async () => {
      expect(await ids(appId, props('all', cond('age', 'eq', 30)))).toEqual(of('jkt'));
      expect(await ids(appId, props('all', cond('age', 'neq', 30)))).toEqual(of('bdg', 'sby', 'none'));
      expect(await ids(appId, props('all', cond('age', 'gt', 30)))).toEqual(of('bdg'));
      expect(await ids(appId, props('all', cond('age', 'gte', 30)))).toEqual(of('jkt', 'bdg'));
      expect(await ids(appId, props('all', cond('age', 'lt', 30)))).toEqual(of('sby'));
      expect(await ids(appId, props('all', cond('age', 'lte', 7.5)))).toEqual(of('sby'));
      expect(await ids(appId, props('all', cond('birthday', 'eq', '1990-05-01')))).toEqual(of('jkt'));
      expect(await ids(appId, props('all', cond('birthday', 'gt', '1985-01-01')))).toEqual(of('jkt'));
      expect(await ids(appId, props('all', cond('birthday', 'lte', '1990-05-01')))).toEqual(of('jkt', 'bdg'));
      expect(await ids(appId, props('all', cond('birthday', 'lt', '1980-12-31')))).toEqual([]);
      expect(await ids(appId, props('all', cond('birthday', 'neq', '1990-05-01')))).toEqual(of('bdg', 'sby', 'none'));
      expect(await ids(appId, props('all', cond('birthday', 'is_not_set')))).toEqual(of('sby', 'none'));
    });

    it('C6: boolean and select operators', async () => {
      expect(await ids(appId, props('all', cond('vip', 'eq', true)))).toEqual(of('jkt'));
      expect(await ids(appId, props('all', cond('vip', 'neq', true)))).toEqual(of('bdg', 'sby', 'none'));
      expect(await ids(appId, props('all', cond('vip', 'is_set')))).toEqual(of('jkt', 'bdg'));
      expect(await ids(appId, props('all', cond('tier', 'eq', 'gold')))).toEqual(of('jkt', 'sby'));
      expect(await ids(appId, props('all', cond('tier', 'neq', 'gold')))).toEqual(of('bdg', 'none'));
    });

    it('C6: match all joins conditions with AND (equalities merged), match any with OR', async () => {
      expect(await ids(appId, props('all', cond('tier', 'eq', 'gold'), cond('city', 'eq', 'Jakarta')))).toEqual(of('jkt'));
      expect(await ids(appId, props('all', cond('tier', 'eq', 'gold'), cond('age', 'lt', 10)))).toEqual(of('sby'));
      expect(await ids(appId, props('all', cond('city', 'eq', 'Jakarta'), cond('city', 'eq', 'Bandung')))).toEqual([]);
      expect(await ids(appId, props('any', cond('city', 'eq', 'Jakarta'), cond('city', 'eq', 'Bandung')))).toEqual(of('jkt', 'bdg'));
      expect(await ids(appId, props('any', cond('vip', 'eq', false), cond('age', 'lt', 10), cond('note', 'is_set')))).toEqual(
        of('bdg', 'sby'),
      );
      expect(await ids(appId, { properties: { conditions: [cond('tier', 'eq', 'gold'), cond('vip', 'eq', true)] } })).toEqual(of('jkt'));
    });

    it('C6: at most 5 conditions; a sixth is 422 too_many_property_conditions', async () => {
      const five = Array.from({ length: 5 }, () => cond('city', 'is_set'));
      expect((await search(appId, { filter: props('any', ...five) })).status).toBe(200);
      const r = await search(appId, { filter: props('any', ...five, cond('age', 'is_set')) });
      expect(r.status).toBe(422);
      expect(r.body.code).toBe('too_many_property_conditions');
      expect((await count(appId, { filter: props('all', ...five, cond('age', 'is_set')) })).body.code).toBe('too_many_property_conditions');
    });

    it('C6: an unknown key, an operator the type does not take, or a value of the wrong type: 422 validation_failed', async () => {
      const bad = [
        props('all', cond('shoe_size', 'eq', 42)),
        props('all', cond('age', 'contains', '3')),
        props('all', cond('vip', 'gt', true)),
        props('all', cond('tier', 'gt', 'gold')),
        props('all', cond('city', 'gte', 'A')),
        props('all', cond('age', 'eq', '30')),
        props('all', cond('birthday', 'eq', '01/05/1990')),
        props('all', cond('birthday', 'gt', '2026-02-30')),
        props('all', cond('tier', 'eq', 'platinum')),
        props('all', cond('vip', 'eq', 'yes')),
        props('all', cond('city', 'eq')),
        props('all', cond('city', 'is_set', 'x')),
        props('every', cond('city', 'is_set')),
        props('all', cond('city', 'like', 'x')),
        props('all', { key: 'city', operator: 'eq', value: 'x', extra: 1 }),
      ];
      for (const filter of bad) {
        const r = await search(appId, { filter });
        expect(r.status).toBe(422);
        expect(r.body.code).toBe('validation_failed');
      }
      const r = await search(appId, { filter: props('all', cond('shoe_size', 'eq', 42)) });
      expect(r.body.errors[0].field).toBe('filter.properties.conditions[0].key');
    });

    it('property keys and values that look like SQL are only data', async () => {
      const evil = "x'); drop table customers; --";
      const r = await search(appId, { filter: props('all', cond(evil, 'is_set')) });
      expect(r.status).toBe(422);
      expect(r.body.errors[0].field).toBe('filter.properties.conditions[0].key');
      for (const value of [evil, '%', '_', '\\', "O'Brien", '"quoted"']) {
        expect(await ids(appId, props('all', cond('city', 'eq', value)))).toEqual([]);
        expect(await ids(appId, props('all', cond('city', 'contains', value)))).toEqual([]);
        expect(await ids(appId, props('all', cond('city', 'not_contains', value)))).toEqual(of('jkt', 'bdg', 'sby', 'none'));
      }
      expect(await ids(appId, {})).toHaveLength(4);
    });
  });

  describe('combined filters (C9), linked (C12), tags and platforms', () => {
    let appId: string;
    let wa: string, tg: string;
    const c: Record<string, string> = {};
    beforeAll(async () => {
      appId = newAppId();
      const f = factories(t, appId);
      await f.property('city', 'text');
      wa = await f.channel('wa');
      tg = await f.channel('telegram');
      c.budiWa = (await f.customer(wa, { name: 'Budi Santoso', tags: ['vip'], platform: 'web', properties: { city: 'Jakarta' } })).id;
      c.budiTg = (
        await f.customer(tg, { name: 'Budi Santoso', tags: ['vip', 'new'], platform: 'mobile', properties: { city: 'Jakarta' } })
      ).id;
      c.siti = (await f.customer(wa, { name: 'Siti Aminah', tags: ['new'], properties: { city: 'Jakarta' } })).id;
      c.budiLinked = (await f.customer(wa, { name: 'Budi Linked', properties: { city: 'Bandung' } })).id;
      await setColumns(appId, c.budiWa, { source: 'ads' });
      await setColumns(appId, c.budiLinked, { profileId: '018f0000-0000-7000-8000-0000000000aa' });
    });
    const of = (...keys: string[]) => keys.map((k) => c[k]).sort();

    it('C9: different keys combine with AND; search combines with filters', async () => {
      expect(await ids(appId, { search: 'budi', channelTypes: ['wa'] })).toEqual(of('budiWa', 'budiLinked'));
      expect(await ids(appId, { search: 'budi', channelIds: [wa], sources: ['ads'], tags: ['vip'] })).toEqual(of('budiWa'));
      expect(
        await ids(appId, {
          search: 'santoso',
          properties: { match: 'all', conditions: [{ key: 'city', operator: 'eq', value: 'Jakarta' }] },
        }),
      ).toEqual(of('budiWa', 'budiTg'));
      expect(await ids(appId, { tags: ['new'] })).toEqual(of('budiTg', 'siti'));
      expect(await ids(appId, { tags: ['vip', 'new'], platforms: ['mobile'] })).toEqual(of('budiTg'));
      expect(await ids(appId, { platforms: ['web', 'mobile'] })).toEqual(of('budiWa', 'budiTg'));
    });

    it('C12: linked: false finds the customers not yet linked (the merge picker); linked: true the others', async () => {
      expect(await ids(appId, { search: 'budi', linked: false })).toEqual(of('budiWa', 'budiTg'));
      expect(await ids(appId, { linked: true })).toEqual(of('budiLinked'));
      const r = await t.http().get('/v1/customers?search=budi&linked=false').set(t.auth(appId, 'agent'));
      expect(r.status).toBe(200);
      expect(r.body.data.map((x: { id: string }) => x.id).sort()).toEqual(of('budiWa', 'budiTg'));
      expect(r.body.data.every((x: { linked: boolean }) => x.linked === false)).toBe(true);
      const bad = await t.http().get('/v1/customers?linked=maybe').set(t.auth(appId));
      expect(bad.status).toBe(422);
    });

    it('count: the matches, or with limit counting stops there and capped says more match', async () => {
      expect((await count(appId, {})).body).toEqual({ count: 4, capped: false });
      expect((await count(appId, { filter: { search: 'budi' } })).body).toEqual({ count: 3, capped: false });
      expect((await count(appId, { filter: { search: 'budi' }, limit: 2 })).body).toEqual({ count: 2, capped: true });
      expect((await count(appId, { filter: { search: 'budi' }, limit: 3 })).body).toEqual({ count: 3, capped: false });
      const r = await count(appId, { filter: { linked: false }, limit: 0 });
      expect(r.status).toBe(422);
    });

    it('syntax: unknown fields, a long search, bad sources or too many channel ids: 422 validation_failed', async () => {
      for (const filter of [
        { colour: 'red' },
        { search: 'x'.repeat(201) },
        { sources: ['facebook'] },
        { platforms: ['desktop'] },
        { linked: 'no' },
        { channelIds: Array.from({ length: 51 }, () => '018f0000-0000-7000-8000-000000000000') },
        { tags: 'vip' },
        { timezone: 'Mars/Olympus' },
        { activity: { on: '2026-11-01', from: '2026-11-01' } },
        { activity: { from: 'yesterday' } },
      ]) {
        const r = await search(appId, { filter });
        expect(r.status).toBe(422);
        expect(r.body.code).toBe('validation_failed');
      }
    });

    it("tenancy: another app's customers are never listed, searched or counted", async () => {
      const other = newAppId();
      expect((await search(other, { filter: { search: 'budi' } })).body.data).toEqual([]);
      expect((await count(other, {})).body).toEqual({ count: 0, capped: false });
      const list = await t.http().get('/v1/customers').set(t.auth(other));
      expect(list.body).toEqual({ data: [], nextCursor: null });
    });

    it('the OpenAPI document describes the list, search, count and normalize endpoints', async () => {
      const r = await t.http().get('/openapi.json');
      expect(r.status).toBe(200);
      const paths = r.body.paths;
      expect(paths['/v1/customers'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
        expect.arrayContaining(['search', 'channelId', 'channelType', 'source', 'linked', 'sort', 'limit', 'cursor']),
      );
      for (const path of ['/v1/customers/search', '/v1/customers/count', '/v1/customers/filter/normalize']) {
        expect(paths[path].post.responses['200']).toBeDefined();
        expect(paths[path].post.responses['422']).toBeDefined();
      }
      expect(r.body.components.schemas.CustomerFilterDto.properties).toHaveProperty('properties');
    });

    it('the list is for every role that reads customers, and needs a token', async () => {
      for (const role of ['admin', 'supervisor', 'agent'] as const) {
        const r = await t.http().get('/v1/customers').set(t.auth(appId, role));
        expect(r.status).toBe(200);
      }
      expect((await t.http().post('/v1/customers/search').send({})).status).toBe(401);
      expect((await t.http().get('/v1/customers').set(t.auth(appId, 'operator'))).status).toBe(403);
    });
  });
});
