import { Db, pgSessionOptions, sql } from '@cdp/platform';
import { createTestApp, onRealServices, type TestApp } from './support/test-app';

/** Whether a plan (EXPLAIN's text lines) starts parallel workers. */
const parallel = (plan: { 'QUERY PLAN': string }[]) => plan.some((r) => /Gather/.test(r['QUERY PLAN']));

describe('The planner settings of the service’s PostgreSQL sessions (issue 17: a filtered page waits for no workers)', () => {
  it('PGOPTIONS set by the operator replaces the service’s own session settings', () => {
    expect(pgSessionOptions({})).toBe('-c parallel_setup_cost=30000');
    expect(pgSessionOptions({ PGOPTIONS: '-c parallel_setup_cost=5000' })).toBeUndefined();
  });

  // Parallel plans, and the connection's startup options, exist only on a server; PGlite runs no workers.
  if (onRealServices)
    describe('on a server (real PostgreSQL)', () => {
      let t: TestApp;
      beforeAll(async () => {
        t = await createTestApp();
      });
      afterAll(() => t.close());

      it('a count of a few milliseconds that stock settings run with parallel workers runs without them on the service’s sessions (real PostgreSQL)', async () => {
        const db = t.app.get(Db);
        await db.run(sql`create table planner_probe as select g as id, g % 97 as k from generate_series(1, 400000) g`);
        try {
          await db.run(sql`analyze planner_probe`);
          const probe = sql`explain select count(*) from planner_probe where k = 5`;
          // On the service's connections, outside and inside a transaction.
          expect(await db.one<{ parallel_setup_cost: string }>(sql`show parallel_setup_cost`)).toEqual({ parallel_setup_cost: '30000' });
          expect(parallel(await db.query(probe))).toBe(false);
          const inTx = await db.transaction((tx) => tx.query<{ 'QUERY PLAN': string }>(probe));
          expect(parallel(inTx)).toBe(false);
          // The same statement with the server's stock setting: the table is large enough for workers.
          const stock = await db.transaction(async (tx) => {
            await tx.run(sql`set local parallel_setup_cost = 1000`);
            return tx.query<{ 'QUERY PLAN': string }>(probe);
          });
          expect(parallel(stock)).toBe(true);
          // And the answer is the same either way.
          expect(await db.one(sql`select count(*)::int as n from planner_probe where k = 5`)).toEqual({ n: 4124 });
        } finally {
          await db.run(sql`drop table planner_probe`);
        }
      });
    });
});
