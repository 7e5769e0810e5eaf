import { PGlite } from '@electric-sql/pglite';
import { mkdirSync } from 'node:fs';

// The package's type declarations are ESM-only while it ships CommonJS too; load the CommonJS build.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { pg_trgm } = require('@electric-sql/pglite/contrib/pg_trgm') as typeof import('@electric-sql/pglite/contrib/pg_trgm', {
  with: { 'resolution-mode': 'import' },
});

/**
 * Opens the embedded database with the extensions the schema needs. MikroORM borrows the instance and
 * does not close it, so the owner must (STACK.md pitfall 2).
 */
export async function openPglite(opts: { dataDir?: string; loadDataDir?: Blob } = {}): Promise<PGlite> {
  const dataDir = opts.dataDir ?? 'memory://';
  if (!dataDir.includes('://')) mkdirSync(dataDir, { recursive: true });
  const db = new PGlite({ dataDir, extensions: { pg_trgm }, loadDataDir: opts.loadDataDir });
  await db.waitReady;
  return db;
}
