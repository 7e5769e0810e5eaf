import { CustomersService } from '@cdp/customers';
import { Db, sql, sqlArray } from '@cdp/platform';
import { factories } from './support/factories';
import { createTestApp, newAppId, type TestApp } from './support/test-app';

// Values are bound, never spliced into the statement: quotes, semicolons and comment markers stay data
// on both backends (the embedded driver treats text with `;` specially; this pins that it still works).
describe('SQL values are data, never statements', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const nasty = ["x'); drop table customers; --", 'a;b;c', "'", '\\', '%_%', '$1', "';--", 'semi;colon'];

  it('reads back every value exactly, in a query and inside a transaction', async () => {
    const db = t.app.get(Db);
    for (const v of nasty) {
      const rows = await db.query<{ v: string; n: number }>(sql`select ${v}::text as v, 1 as n`);
      expect(rows).toEqual([{ v, n: 1 }]);
      const inTx = await db.transaction((tx) => tx.one<{ v: string }>(sql`select ${v}::text as v`));
      expect(inTx).toEqual({ v });
    }
    // Arrays travel as one parameter, their items as data too.
    const arr = await db.query<{ a: string[] }>(sql`select ${nasty}::text[] as a`);
    expect(arr[0].a).toEqual(nasty);
    const withNull = await db.query<{ n: number }>(sql`select cardinality(${['x', null, '"q"']}::text[])::int as n`);
    expect(withNull[0].n).toBe(3);
    const affected = await db.run(sql`update app_settings set timezone = ${'a;b'} where app_id = ${'no-such-app;'}`);
    expect(affected).toBe(0);
    const tables = await db.query<{ n: number }>(
      sql`select count(*)::int as n from information_schema.tables where table_name = 'customers'`,
    );
    expect(tables[0].n).toBe(1);
  });

  // Issue: a statement assembled from optional parts broke when its first part was missing (duplicate
  // suggestions without a phone). Lists are bound as one array parameter, so an empty list is an empty
  // array, never a broken `in ()`; every optional branch of a union names its columns.
  it('a list binds as one parameter: empty, one, many, with quotes, commas, braces and the word NULL', async () => {
    const db = t.app.get(Db);
    for (const list of [[], ['one'], [...nasty, 'NULL', 'a,b', '{x}', ' spaced ', '']]) {
      const rows = await db.query<{ v: string }>(sql`select unnest(${sqlArray(list, 'text')}) as v`);
      expect(rows.map((r) => r.v)).toEqual(list);
      const n = await db.one<{ n: number }>(sql`select count(*)::int as n from channels where id = any(${sqlArray([], 'uuid')})`);
      expect(n?.n).toBe(0);
    }
  });

  it('the customers lib answers empty lists and probes with missing parts without an error', async () => {
    const appId = newAppId();
    const f = factories(t, appId);
    const c = await f.customer(await f.channel('line'), { name: 'Solo' });
    const customers = t.app.get(CustomersService);
    expect(await customers.getMany(appId, [])).toEqual([]);
    expect(await t.app.get(Db).transaction((tx) => customers.holdExisting(tx, appId, []))).toEqual([]);
    expect(await t.app.get(Db).transaction((tx) => customers.holdByIdentifiers(tx, appId, []))).toEqual(new Map());
    const base = { customerId: c.id, channelId: c.channel.id, phones: [], emails: [], identifiers: [], name: '', exclude: [] };
    // Every combination of present and missing branches (phone, e-mail, identifiers, name) is a valid statement.
    for (let mask = 0; mask < 16; mask++) {
      const probe = {
        ...base,
        phones: mask & 1 ? ['+6281234567890'] : [],
        emails: mask & 2 ? ['solo@example.com'] : [],
        identifiers: mask & 4 ? [{ channel_id: c.channel.id, identifier: 'U0', reason: 'same_phone' as const }] : [],
        name: mask & 8 ? 'Solo' : '',
      };
      await expect(customers.duplicateCandidates(appId, probe)).resolves.toEqual([]);
    }
  });
});
