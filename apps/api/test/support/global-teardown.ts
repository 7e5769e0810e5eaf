import { rmSync } from 'node:fs';
import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const name = process.env.CDP_TEST_DATABASE_NAME;
  if (name && process.env.DATABASE_URL) {
    const admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
  if (process.env.CDP_TEST_PGLITE_DUMP) rmSync(process.env.CDP_TEST_PGLITE_DUMP, { force: true });
}
