import { Db, sql } from '@cdp/platform';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * Ready for a distributed PostgreSQL (Citus, distribution column `app_id`; docs/scaling.md): reads the migrated
 * schema and fails when a tenant table's primary key, unique constraint or index, or foreign key lacks `app_id`,
 * or when a table has no `app_id` and is not a declared reference table. A table added without thinking of it
 * fails here the day it is added.
 */
// Reference tables (replicated to every node): small, read without knowing the app first, or not per app.
const REFERENCE_TABLES: Record<string, string> = {
  mikro_orm_migrations: 'the migrations run, one list for the whole database',
  activity_types: "the platform's available types (app_id '') beside each app's custom ones; small, read by every ingestion",
  api_keys: 'an API key is looked up by its hash before its app is known; small',
};

interface KeyRow {
  table: string;
  name: string;
  kind: 'p' | 'u' | 'f' | 'i';
  cols: string[];
  ref_table: string | null;
  ref_cols: string[] | null;
}

describe('Schema ready for distribution by app_id (issue: Citus readiness)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  async function schema() {
    const db = t.app.get(Db);
    const tables = await db.query<{ table: string; has_app: boolean }>(sql`
      select c.relname as table,
        exists(select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'app_id' and not a.attisdropped) as has_app
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema() and c.relkind in ('r', 'p')
      order by c.relname`);
    const keys = await db.query<KeyRow>(sql`
      select c.relname as table, con.conname as name, con.contype as kind,
        array(select a.attname::text from unnest(con.conkey) k join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k) as cols,
        rc.relname as ref_table,
        case when con.contype = 'f' then
          array(select a.attname::text from unnest(con.confkey) k join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k)
        end as ref_cols
      from pg_constraint con
      join pg_class c on c.oid = con.conrelid
      join pg_namespace n on n.oid = c.relnamespace
      left join pg_class rc on rc.oid = con.confrelid
      where n.nspname = current_schema() and con.contype in ('p', 'u', 'f')
      union all
      select c.relname, ic.relname, 'i',
        array(select coalesce(a.attname::text, '(expression)') from unnest(i.indkey) k left join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k),
        null, null
      from pg_index i
      join pg_class ic on ic.oid = i.indexrelid
      join pg_class c on c.oid = i.indrelid
      join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema() and i.indisunique
        and not exists (select 1 from pg_constraint con where con.conindid = i.indexrelid)
      order by 1, 2`);
    return { tables, keys };
  }

  it('every table has app_id or is a declared reference table; every key and unique index of a tenant table carries app_id', async () => {
    const { tables, keys } = await schema();
    expect(tables.length).toBeGreaterThan(15);
    const reference = new Set(Object.keys(REFERENCE_TABLES));
    const problems: string[] = [];
    for (const { table, has_app } of tables)
      if (!has_app && !reference.has(table)) problems.push(`${table}: no app_id and not a declared reference table`);
    for (const k of keys) {
      if (reference.has(k.table)) continue;
      if (k.kind === 'f') {
        // A key to a reference table is allowed as it is; between tenant tables both sides carry app_id.
        if (k.ref_table && reference.has(k.ref_table)) continue;
        if (!k.cols.includes('app_id') || !k.ref_cols?.includes('app_id'))
          problems.push(`${k.table}.${k.name}: foreign key (${k.cols}) -> ${k.ref_table} (${k.ref_cols}) lacks app_id`);
      } else if (!k.cols.includes('app_id')) {
        problems.push(
          `${k.table}.${k.name}: ${{ p: 'primary key', u: 'unique constraint', i: 'unique index' }[k.kind]} (${k.cols}) lacks app_id`,
        );
      }
    }
    expect(problems).toEqual([]);
  });

  it('the check itself sees a key without app_id (it would fail on one)', async () => {
    const db = t.app.get(Db);
    await db.run(sql`create table test_not_distributable (app_id text not null, id uuid primary key)`);
    try {
      const { keys } = await schema();
      expect(keys.find((k) => k.table === 'test_not_distributable')).toMatchObject({ kind: 'p', cols: ['id'] });
    } finally {
      await db.run(sql`drop table test_not_distributable`);
    }
  });
});
