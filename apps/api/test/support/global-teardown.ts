import { rmSync } from 'node:fs';
import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const name = process.env.CDP_TEST_DATABASE_NAME;
  if (name && process.env.DATABASE_URL) {
    const admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    // The template, and any copy a test app left behind (a test that failed before closing its app).
    const { rows } = await admin.query<{ datname: string }>(`select datname from pg_database where datname like $1`, [`${name}%`]);
    for (const { datname } of rows) await admin.query(`drop database if exists ${datname} with (force)`);
    await admin.end();
  }
  if (process.env.CDP_TEST_PGLITE_DUMP) rmSync(process.env.CDP_TEST_PGLITE_DUMP, { force: true });
}
