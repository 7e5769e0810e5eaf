import { buildSearchText } from '@cdp/customers';
import { Db, newId, sql } from '@cdp/platform';
import { factories } from './support/factories';
import { createTestApp, newAppId, type TestApp } from './support/test-app';

/** FEATURES.md C4 (search), C9 (sorts, cursor paging), X8 (keyset pages, search plan); API.md "Lists". */
describe('Customer search, sorts and pages', () => {
  let t: TestApp;
  let seq = 0;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  // Identifiers of their own where a test searches by substring: random digits could hold the term.
  const waId = () => `62813${String(1000000 + ++seq).padStart(7, '0')}`;
  const search = (appId: string, body: Record<string, unknown>) =>
    t.http().post('/v1/customers/search').set(t.auth(appId, 'agent')).send(body);
  const names = async (appId: string, term: string): Promise<string[]> => {
    const r = await search(appId, { filter: { search: term }, limit: 100 });
    expect(r.status).toBe(200);
    return (r.body.data as { name: string }[]).map((c) => c.name).sort();
  };
  /** Every page of a list, following nextCursor; `during` runs alongside each page request. */
  const walk = async (
    appId: string,
    body: Record<string, unknown>,
    during?: () => Promise<void>,
  ): Promise<{ id: string; name: string }[]> => {
    const seen: { id: string; name: string }[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 100; i++) {
      const [r] = await Promise.all([search(appId, { ...body, ...(cursor ? { cursor } : {}) }), during?.()]);
      expect(r.status).toBe(200);
      seen.push(...r.body.data);
      if (!r.body.nextCursor) return seen;
      cursor = r.body.nextCursor;
    }
    throw new Error('the walk did not end');
  };

  describe('search (C4)', () => {
    let appId: string;
    beforeAll(async () => {
      appId = newAppId();
      const f = factories(t, appId);
      const wa = await f.channel('wa');
      await f.customer(wa, { identifier: waId(), name: 'Đặng Thị Hương', email: 'huong.dang@example.com' });
      await f.customer(wa, { identifier: waId(), name: 'ณัฐวุฒิ ศรีสุข' });
      await f.customer(wa, {
        name: 'Budi Santoso',
        email: 'Budi.S@Example.com',
        phoneNumber: '+62 811-2233-4455',
        identifier: '6281299887766',
      });
      await f.customer(wa, { identifier: waId(), name: 'Søren Ærø' });
      await f.customer(wa, { identifier: waId(), name: 'Andi 100% _real_ \\ backslash' });
      // Inserted directly: creating a customer whose name holds ';' is the customers API's own test.
      const evil = "x'); drop table customers; --";
      await t.app.get(Db)
        .run(sql`insert into customers (id, app_id, channel_id, identifier, name, source, search_text, created_at, updated_at)
        values (${newId()}::uuid, ${appId}, ${wa}::uuid, ${waId()}, ${evil}, 'admin', ${buildSearchText({ name: evil, identifier: '0' })}, now(), now())`);
      await f.customer(wa, { identifier: waId(), name: 'Bu Ani' });
    });

    it('C4: accents and case are folded for any script', async () => {
      for (const term of ['dang', 'HUONG', 'Hương', 'đặng thị', 'thi huong']) expect(await names(appId, term)).toEqual(['Đặng Thị Hương']);
      expect(await names(appId, 'ณัฐ')).toEqual(['ณัฐวุฒิ ศรีสุข']);
      expect(await names(appId, 'ศรีสุข')).toEqual(['ณัฐวุฒิ ศรีสุข']);
      expect(await names(appId, 'SOREN')).toEqual(['Søren Ærø']);
      expect(await names(appId, 'aero')).toEqual(['Søren Ærø']);
    });

    it('C4: a substring of the name, e-mail, phone number or identifier matches', async () => {
      expect(await names(appId, 'santo')).toEqual(['Budi Santoso']);
      expect(await names(appId, 'budi.s@example')).toEqual(['Budi Santoso']);
      expect(await names(appId, '2233')).toEqual(['Budi Santoso']);
      expect(await names(appId, '+62811223')).toEqual(['Budi Santoso']);
      expect(await names(appId, '99887766')).toEqual(['Budi Santoso']);
      expect(await names(appId, 'example.com')).toEqual(['Budi Santoso', 'Đặng Thị Hương']);
      expect(await names(appId, 'nobody-here')).toEqual([]);
    });

    it('C4: terms of 1–2 characters match the start of the name', async () => {
      expect(await names(appId, 'bu')).toEqual(['Bu Ani', 'Budi Santoso']);
      expect(await names(appId, 'Đ')).toEqual(['Đặng Thị Hương']);
      // "an" is inside "Bu Ani" and "Santoso" but starts no name but "Andi …".
      expect(await names(appId, 'an')).toEqual(['Andi 100% _real_ \\ backslash']);
      expect(await names(appId, '   ')).toHaveLength(7);
    });

    it('C4: wildcards, backslashes, quotes and SQL in search text are literal', async () => {
      expect(await names(appId, '100%')).toEqual(['Andi 100% _real_ \\ backslash']);
      expect(await names(appId, '%')).toEqual([]);
      expect(await names(appId, '_real_')).toEqual(['Andi 100% _real_ \\ backslash']);
      expect(await names(appId, 'i_1')).toEqual([]);
      expect(await names(appId, '\\ back')).toEqual(['Andi 100% _real_ \\ backslash']);
      expect(await names(appId, "'); drop")).toEqual(["x'); drop table customers; --"]);
      expect(await names(appId, "' or '1'='1")).toEqual([]);
      const r = await t
        .http()
        .get(`/v1/customers?search=${encodeURIComponent("'); drop table customers; --")}`)
        .set(t.auth(appId));
      expect(r.status).toBe(200);
      expect(r.body.data).toHaveLength(1);
      expect(await names(appId, '')).toHaveLength(7);
    });

    it("C4: tenancy: another app's customers are never found", async () => {
      expect(await names(newAppId(), 'budi')).toEqual([]);
    });
  });

  describe('sorts and cursors (C9, X8)', () => {
    let appId: string;
    let wa: string;
    const made: string[] = [];
    beforeAll(async () => {
      appId = newAppId();
      const f = factories(t, appId);
      wa = await f.channel('wa');
      for (const n of ['Delta', 'Alpha', 'Echo', 'Charlie', 'Bravo']) made.push((await f.customer(wa, { name: n })).id);
    });

    it('C9: newest first by default; sort=name ascending', async () => {
      const r = await t.http().get('/v1/customers').set(t.auth(appId));
      expect(r.status).toBe(200);
      expect(r.body.data.map((c: { id: string }) => c.id)).toEqual([...made].reverse());
      expect(r.body.nextCursor).toBeNull();
      const c = r.body.data[0];
      // The Customer of API.md, with `consent` (API.md "Consent": a new customer is unknown).
      expect(c.consent).toEqual({ status: 'unknown', updatedAt: null, source: null });
      expect(Object.keys(c).sort()).toEqual(
        [
          'channel',
          'consent',
          'createdAt',
          'email',
          'id',
          'identifier',
          'lastActivityAt',
          'linked',
          'mainChannel',
          'name',
          'phoneNumber',
          'platform',
          'profileId',
          'properties',
          'source',
          'tags',
          'updatedAt',
        ].sort(),
      );
      expect(c.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      const byName = await t.http().get('/v1/customers?sort=name').set(t.auth(appId));
      expect(byName.body.data.map((x: { name: string }) => x.name)).toEqual(['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo']);
    });

    it('C9: pages by cursor in every sort, each customer exactly once', async () => {
      for (const sort of ['-createdAt', 'name', '-lastActivityAt']) {
        const seen = await walk(appId, { sort, limit: 2 });
        expect(seen.map((c) => c.id).sort()).toEqual([...made].sort());
      }
      const byName = await walk(appId, { sort: 'name', limit: 2, filter: { search: 'a' } });
      expect(byName.map((c) => c.name)).toEqual(['Alpha']);
    });

    it('C9: -lastActivityAt puts the most recently active first and customers without activity last', async () => {
      const other = newAppId();
      const ch = await factories(t, other).channel('wa');
      // Inserted directly, so that no created-activity is recorded for them: only the activity rows below count.
      const db = t.app.get(Db);
      const insert = async (createdAt: string): Promise<string> => {
        const id = newId();
        const identifier = waId();
        await db.run(sql`insert into customers (id, app_id, channel_id, identifier, name, source, search_text, created_at, updated_at)
          values (${id}::uuid, ${other}, ${ch}::uuid, ${identifier}, ${identifier}, 'admin', ${buildSearchText({ name: identifier, identifier })}, ${createdAt}::timestamptz, ${createdAt}::timestamptz)`);
        return id;
      };
      const a = await insert('2026-10-01T00:00:00.000Z');
      const b = await insert('2026-10-02T00:00:00.000Z');
      const c = await insert('2026-10-03T00:00:00.000Z');
      const d = await insert('2026-10-04T00:00:00.000Z');
      await db.run(sql`insert into customer_activity (app_id, customer_id, last_activity_at) values
        (${other}, ${a}::uuid, '2026-11-02T10:00:00.000Z'), (${other}, ${c}::uuid, '2026-11-03T10:00:00.000Z')`);
      const seen = await walk(other, { sort: '-lastActivityAt', limit: 1 });
      expect(seen.map((x) => x.id)).toEqual([c, a, d, b]);
      const first = await search(other, { sort: '-lastActivityAt', limit: 10 });
      expect(first.body.data[0].lastActivityAt).toBe('2026-11-03T10:00:00.000Z');
      expect(first.body.data[3].lastActivityAt).toBeNull();
    });

    it('a page walk returns every customer exactly once while new customers are being added', async () => {
      const other = newAppId();
      const f = factories(t, other);
      const ch = await f.channel('wa');
      const before: string[] = [];
      for (let i = 0; i < 7; i++) before.push((await f.customer(ch)).id);
      const added: string[] = [];
      for (const sort of ['-createdAt', 'name', '-lastActivityAt']) {
        const seen = await walk(other, { sort, limit: 3 }, async () => {
          const more = await Promise.all([f.customer(ch, { name: `Aaron ${++seq}` }), f.customer(ch, { name: `Zed ${++seq}` })]);
          added.push(...more.map((c) => c.id));
        });
        const ids = seen.map((c) => c.id);
        expect(new Set(ids).size).toBe(ids.length);
        for (const id of before) expect(ids.filter((x) => x === id)).toHaveLength(1);
      }
      expect(added.length).toBeGreaterThan(0);
    });

    it('a forged cursor, one of another app, or of another sort or filter: 422 invalid_cursor', async () => {
      const first = await search(appId, { limit: 2 });
      const cursor: string = first.body.nextCursor;
      expect(cursor).toEqual(expect.any(String));
      const [body, sig] = cursor.split('.');
      const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
      const tampered = `${Buffer.from(JSON.stringify({ ...payload, p: ['2099-01-01T00:00:00.000Z', payload.p[1]] })).toString('base64url')}.${sig}`;
      const otherApp = newAppId();
      const cases: [string, Record<string, unknown>][] = [
        [appId, { cursor: 'not-a-cursor' }],
        [appId, { cursor: tampered }],
        [appId, { cursor: `${body}.${'A'.repeat(sig.length)}` }],
        [otherApp, { cursor }],
        [appId, { cursor, sort: 'name' }],
        [appId, { cursor, sort: '-lastActivityAt' }],
        [appId, { cursor, filter: { search: 'alpha' } }],
      ];
      for (const [app, q] of cases) {
        const r = await search(app, { limit: 2, ...q });
        expect(r.status).toBe(422);
        expect(r.body.code).toBe('invalid_cursor');
      }
      const get = await t
        .http()
        .get(`/v1/customers?cursor=${encodeURIComponent(cursor)}&sort=name`)
        .set(t.auth(appId));
      expect(get.body.code).toBe('invalid_cursor');
      const ok = await t
        .http()
        .get(`/v1/customers?limit=2&cursor=${encodeURIComponent(cursor)}`)
        .set(t.auth(appId));
      expect(ok.status).toBe(200);
      expect(ok.body.data.map((c: { id: string }) => c.id)).toEqual([made[2], made[1]]);
    });

    it('limit is 1–100 (0, 101 or text: 422 validation_failed); an unknown sort: 422', async () => {
      for (const q of ['limit=0', 'limit=101', 'limit=ten', 'sort=-name', 'sort=createdAt']) {
        const r = await t.http().get(`/v1/customers?${q}`).set(t.auth(appId));
        expect(r.status).toBe(422);
        expect(r.body.code).toBe('validation_failed');
      }
      for (const limit of [0, 101]) expect((await search(appId, { limit })).body.code).toBe('validation_failed');
      expect((await search(appId, { limit: 1 })).body.data).toHaveLength(1);
    });
  });

  describe('search plan on a larger app (PERFORMANCE.md rule 2)', () => {
    let appId: string;
    const OLD_MATCH = 'Quillon Zephyrine';
    beforeAll(async () => {
      appId = newAppId();
      const wa = await factories(t, appId).channel('wa');
      const db = t.app.get(Db);
      // 6,000 customers, more than the first step's window; the rare name is the oldest of them.
      const oldest = newId();
      await db.run(sql`insert into customers (id, app_id, channel_id, identifier, name, source, search_text, created_at, updated_at)
        values (${oldest}::uuid, ${appId}, ${wa}::uuid, '628000000001', ${OLD_MATCH}, 'admin',
                ${buildSearchText({ name: OLD_MATCH, identifier: '628000000001' })}, '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z')`);
      await db.run(sql`insert into customers (id, app_id, channel_id, identifier, name, source, search_text, created_at, updated_at)
        select (lpad(to_hex(g), 8, '0') || '-0000-7000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, ${appId}, ${wa}::uuid,
               '6290' || g, 'Bulk ' || g, 'admin', 'bulk ' || g || ' \u0001 6290' || g,
               timestamptz '2021-01-01T00:00:00Z' + g * interval '1 minute', timestamptz '2021-01-01T00:00:00Z'
        from generate_series(1, 6000) g`);
    });

    it('X8: a rare match older than the newest few thousand customers is still found, in every sort', async () => {
      for (const sort of ['-createdAt', 'name', '-lastActivityAt']) {
        const r = await search(appId, { filter: { search: 'zephyr' }, sort });
        expect(r.status).toBe(200);
        expect(r.body.data.map((c: { name: string }) => c.name)).toEqual([OLD_MATCH]);
      }
      const count = await t
        .http()
        .post('/v1/customers/count')
        .set(t.auth(appId))
        .send({ filter: { search: 'zephyr' } });
      expect(count.body).toEqual({ count: 1, capped: false });
    });

    it('X8: a common fragment pages newest first across the window boundary, exactly once', async () => {
      const first = await search(appId, { filter: { search: 'bulk 59' }, limit: 100 });
      expect(first.body.data[0].name).toBe('Bulk 5999');
      // 59, 590–599, 5900–5999: 111 matches, spread over the newest 5,100 customers.
      const seen = await walk(appId, { filter: { search: 'bulk 59' }, limit: 40 });
      expect(seen).toHaveLength(111);
      expect(new Set(seen.map((c) => c.id)).size).toBe(111);
      expect(seen[seen.length - 1].name).toBe('Bulk 59');
      const capped = await t
        .http()
        .post('/v1/customers/count')
        .set(t.auth(appId))
        .send({ filter: { search: 'bulk' }, limit: 1000 });
      expect(capped.body).toEqual({ count: 1000, capped: true });
    });
  });
});
