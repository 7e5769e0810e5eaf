import './register-paths';
import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/core';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { buildOrmOptions, openPglite } from '@cdp/platform';
import { MIGRATIONS } from '../../src/migrations';

/**
 * Once per run: a fresh, migrated database. With DATABASE_URL, a new database on that server (dropped by the
 * teardown); without it, an in-memory PGlite migrated once and dumped, which every test file loads
 * (STACK.md pitfall 13). Tests isolate by app id, so files share the database safely.
 */
export default async function globalSetup(): Promise<void> {
  const base = process.env.DATABASE_URL;
  if (base) {
    const name = `cdp_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
    const admin = new Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    const orm = await MikroORM.init(await buildOrmOptions({ databaseUrl: url.toString(), migrations: MIGRATIONS }));
    await orm.getMigrator().up();
    await orm.close(true);
    // The migrated database is the template each test app copies (support/test-app.ts); nobody connects to it.
    process.env.CDP_TEST_DATABASE_URL = url.toString();
    process.env.CDP_TEST_DATABASE_NAME = name;
    process.env.CDP_TEST_ADMIN_URL = base;
    return;
  }
  const pglite = await openPglite();
  const holder = { instance: pglite, owned: false };
  const orm = await MikroORM.init(await buildOrmOptions({ pglite, migrations: MIGRATIONS }, holder));
  await orm.getMigrator().up();
  await orm.close(true);
  const dump = await pglite.dumpDataDir('none');
  await pglite.close();
  const file = join(tmpdir(), `cdp-test-${process.pid}-${randomBytes(3).toString('hex')}.tar`);
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  process.env.CDP_TEST_PGLITE_DUMP = file;
}
