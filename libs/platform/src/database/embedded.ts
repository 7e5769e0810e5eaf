import type { PGlite } from '@electric-sql/pglite';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { lockDataDir } from './data-dir-lock';
import { openPglite } from './pglite';
import { SnapshotStore, type Snapshot } from './snapshots';

export interface EmbeddedOptions {
  /** The database's folder (`DATA_DIR/pglite`). */
  dataDir: string;
  /** Where snapshots are kept (`DATA_DIR/snapshots`). */
  snapshotDir: string;
  /** Snapshots kept (the newest ones). */
  snapshotKeep: number;
  /** What the lock says holds the folder (e.g. `npm start`), for the line a second process prints. */
  owner: string;
  /** One-line messages for the operator (start-up recovery). */
  log: (level: 'warn' | 'error' | 'info', line: string) => void;
}

/** The embedded database of this process: the folder held by its lock, the open instance and its snapshots. */
export interface EmbeddedDatabase {
  pglite: PGlite;
  /** The folder it keeps its files in. */
  dataDir: string;
  snapshots: SnapshotStore;
  /** When start-up had to restore a snapshot: the snapshot, and where the broken folder was moved. */
  restored?: { snapshot: Snapshot; movedTo: string };
  /** Closes the instance, then releases the folder. */
  close: () => Promise<void>;
}

const brokenName = (dataDir: string) => `${resolve(dataDir)}.broken-${new Date().toISOString().replace(/[-:.]/g, '')}`;

/**
 * Opens the embedded database for this process alone: takes the folder's lock (a second process stops with
 * `DataDirLockedError`), then opens it. A folder that exists but does not open (PGlite's file storage can be
 * left so by an abrupt exit) is moved aside, never deleted, and the newest snapshot is restored in its place;
 * the log says so in one line, then which time the database goes back to.
 */
export async function openEmbedded(opts: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const release = await lockDataDir(opts.dataDir, {
    command: opts.owner,
    onCompromised: (err) => {
      // Someone removed or took over the lock while this process held it: two processes may now share the
      // folder. Stop before writing more.
      opts.log('error', `The lock of the embedded database in ${resolve(opts.dataDir)} was lost (${err.message}): stopping`);
      process.exit(1);
    },
  });
  const snapshots = new SnapshotStore(opts.snapshotDir, opts.snapshotKeep);
  try {
    let pglite: PGlite;
    let restored: Awaited<ReturnType<typeof restoreFromSnapshot>> | undefined;
    try {
      pglite = await openPglite({ dataDir: opts.dataDir });
    } catch (err) {
      if (!existsSync(join(opts.dataDir, 'PG_VERSION'))) throw err;
      opts.log('error', `The embedded database in ${resolve(opts.dataDir)} does not open (${reason(err)}): restoring the newest snapshot`);
      restored = await restoreFromSnapshot(opts.dataDir, snapshots);
      pglite = restored.pglite;
      opts.log(
        'warn',
        `Restored the embedded database from the snapshot of ${restored.snapshot.at.toISOString()} (${restored.snapshot.file}); ` +
          `changes made after that time are lost. The folder that did not open is kept in ${restored.movedTo}`,
      );
    }
    const db = pglite;
    return {
      pglite: db,
      dataDir: opts.dataDir,
      snapshots,
      restored: restored && { snapshot: restored.snapshot, movedTo: restored.movedTo },
      close: async () => {
        try {
          if (!db.closed) await db.close();
        } finally {
          await release();
        }
      },
    };
  } catch (err) {
    await release();
    throw err;
  }
}

/**
 * Moves the folder aside (when there is one) and loads a snapshot (the newest, or `snapshot`) in its place;
 * the caller holds the folder's lock. Throws, leaving the moved folder where it is, when there is none.
 */
export async function restoreFromSnapshot(
  dataDir: string,
  store: SnapshotStore,
  snapshot: Snapshot | undefined = store.newest(),
): Promise<{ pglite: PGlite; snapshot: Snapshot; movedTo: string }> {
  let movedTo = '';
  if (existsSync(dataDir)) {
    movedTo = brokenName(dataDir);
    renameSync(dataDir, movedTo);
  }
  if (!snapshot) {
    throw new Error(
      `no snapshot to restore in ${resolve(store.dir)}` + (movedTo ? `; the folder that did not open is kept in ${movedTo}` : ''),
    );
  }
  // Loaded beside the folder and renamed into place once complete: a process killed while loading leaves
  // no half folder that the next start would take for a database.
  const loading = `${resolve(dataDir)}.restoring`;
  if (existsSync(loading)) rmSync(loading, { recursive: true, force: true });
  await store.extract(snapshot, loading);
  renameSync(loading, dataDir);
  const pglite = await openPglite({ dataDir });
  return { pglite, snapshot, movedTo };
}

function reason(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.split('\n')[0].slice(0, 200);
}
