import { Db, sql } from '@cdp/platform';
import { createTestApp, type TestApp } from './support/test-app';

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
});
