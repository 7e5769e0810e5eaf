import { Db, EmbeddedMaintenance, sql, upkeepOf } from '@cdp/platform';
import { seedDemoData } from '../src/cli/seed-data';
import { createTestApp, newAppId, onRealServices, type TestApp } from './support/test-app';

// Issue 17: the embedded database has no autovacuum; the service keeps the planner's statistics itself.
describe('Table upkeep of the embedded database (issue 17)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const estimate = async (appId: string): Promise<number> => {
    const [row] = await t.app
      .get(Db)
      .query<{ 'QUERY PLAN': { Plan: { 'Plan Rows': number } }[] }>(
        sql`explain (format json) select 1 from customers c where c.app_id = ${appId}`,
      );
    return row['QUERY PLAN'][0].Plan['Plan Rows'];
  };

  it('issue 17: after customers are added, a round brings the planner’s row estimate for the app close to the truth (PGlite; PostgreSQL leaves it to autovacuum)', async () => {
    const appId = newAppId();
    await seedDemoData(t.app, appId, 600);
    const done = await t.app.get(EmbeddedMaintenance).run();
    if (onRealServices) {
      expect(done).toEqual([]);
      return;
    }
    expect(done).toEqual(expect.arrayContaining(['customers', 'activities']));
    // Without statistics the planner takes an app's rows for half a percent of the table: 3 of 600.
    const rows = await estimate(appId);
    expect(rows).toBeGreaterThan(300);
    // Nothing is due right after a round.
    expect(await t.app.get(EmbeddedMaintenance).run()).not.toContain('customers');
    // Lists still answer as before.
    const list = await t.http().get('/v1/customers?limit=5').set(t.auth(appId));
    expect(list.status).toBe(200);
    expect(list.body.data).toHaveLength(5);
  });

  it('issue 17: decides like autovacuum — nothing for an empty or settled table, ANALYZE after 10 % changes, VACUUM for a table never looked at, grown by a fifth, or with many dead rows', () => {
    const settled = { table: 't', reltuples: 10_000, relpages: 100, pages: 100, modSinceAnalyze: 0, deadTuples: 0, insSinceVacuum: 0 };
    expect(upkeepOf({ ...settled, pages: 0, relpages: 0, reltuples: -1 })).toBeUndefined();
    expect(upkeepOf(settled)).toBeUndefined();
    expect(upkeepOf({ ...settled, modSinceAnalyze: 1_000 })).toBeUndefined();
    expect(upkeepOf({ ...settled, modSinceAnalyze: 1_100 })).toBe('analyze');
    expect(upkeepOf({ ...settled, reltuples: -1, relpages: 0 })).toBe('vacuum');
    expect(upkeepOf({ ...settled, pages: 125 })).toBe('vacuum');
    expect(upkeepOf({ ...settled, deadTuples: 2_100 })).toBe('vacuum');
    expect(upkeepOf({ ...settled, insSinceVacuum: 3_100 })).toBe('vacuum');
  });
});
