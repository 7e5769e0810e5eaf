import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { assertDataDirFree, DataDirLockedError, lockDataDir, restoreFromSnapshot, SnapshotStore } from '@cdp/platform';
import { ConfigError, loadEnv } from '../config/env';
import { parseArgs } from './args';

/**
 * `npm run db:restore [-- --list] [-- --from <file>]`: puts the embedded database in DATA_DIR back to its newest
 * snapshot (or the given one), as start-up does by itself when the folder does not open. The current folder
 * is moved aside, never deleted. The server must be stopped (the folder's lock says so otherwise).
 */
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const env = loadEnv({ ...process.env, JWT_SECRET: process.env.JWT_SECRET ?? 'x'.repeat(32) });
  if (env.DATABASE_URL)
    throw new ConfigError('db:restore is for the embedded database: unset DATABASE_URL (PostgreSQL has its own backups)');
  const dataDir = join(env.DATA_DIR, 'pglite');
  assertDataDirFree(dataDir);
  const store = new SnapshotStore(join(env.DATA_DIR, 'snapshots'), env.SNAPSHOT_KEEP);
  const all = store.list();
  if (args.list) {
    if (!all.length) process.stdout.write(`No snapshot in ${resolve(store.dir)}\n`);
    for (const s of all) process.stdout.write(`${s.at.toISOString()}  ${s.file}\n`);
    return;
  }
  let chosen = all.at(-1);
  if (typeof args.from === 'string') {
    chosen = all.find((s) => resolve(s.file) === resolve(args.from as string) || s.file.endsWith(`/${args.from as string}`));
    if (!chosen) throw new ConfigError(`--from: no snapshot ${args.from} in ${resolve(store.dir)} (npm run db:restore -- --list)`);
  }
  if (!chosen) throw new ConfigError(`No snapshot to restore in ${resolve(store.dir)}`);
  const release = await lockDataDir(dataDir, { command: 'npm run db:restore' });
  try {
    const had = existsSync(dataDir);
    const { pglite, snapshot, movedTo } = await restoreFromSnapshot(dataDir, store, chosen);
    await pglite.close();
    process.stdout.write(
      `Restored the embedded database in ${resolve(dataDir)} to the snapshot of ${snapshot.at.toISOString()}` +
        (had ? `; the previous folder is kept in ${movedTo}` : '') +
        '\n',
    );
  } finally {
    await release();
  }
}

main().catch((e: unknown) => {
  const known = e instanceof ConfigError || e instanceof DataDirLockedError;
  process.stderr.write(known ? `${(e as Error).message}\n` : `Restore failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
