import type { PGlite } from '@electric-sql/pglite';
import { existsSync, mkdirSync, readdirSync, unlinkSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import * as tar from 'tar';

const NAME = /^pglite-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z\.tar\.gz$/;

export interface Snapshot {
  file: string;
  /** When it was taken: the database as it was then. */
  at: Date;
}

const stamp = (at: Date) => at.toISOString().replace(/[-:]/g, '').replace('.', '');

/**
 * Restorable copies of the embedded database (`pglite-<UTC time>.tar.gz`: the database folder's files,
 * paths relative to the folder), newest last. The files are streamed from disk through gzip into the
 * snapshot, so taking one costs a little memory whatever the database's size (PGlite's own `dumpDataDir`
 * builds the whole folder in memory: gigabytes at 100,000 customers). A snapshot is written under a
 * temporary name, flushed to disk and then renamed, so a process killed while writing one never leaves a
 * half file under a real name. Snapshots made by `dumpDataDir` (the same layout, paths starting with `/`)
 * restore the same way.
 */
export class SnapshotStore {
  constructor(
    readonly dir: string,
    private readonly keep: number,
  ) {}

  list(): Snapshot[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .map((name) => {
        const m = NAME.exec(name);
        if (!m) return undefined;
        const [, y, mo, d, h, mi, s, ms] = m;
        return { file: join(this.dir, name), at: new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`) };
      })
      .filter((s): s is Snapshot => !!s)
      .sort((a, b) => a.at.getTime() - b.at.getTime());
  }

  newest(): Snapshot | undefined {
    return this.list().at(-1);
  }

  /**
   * Writes a snapshot of `pglite`, whose files are in `dataDir`. Call it at a clean point, holding the
   * database's only connection so that nothing writes meanwhile (see `EmbeddedDatabase`): a checkpoint
   * first (every change is then in the files), then the files as they are. Keeps the newest `keep`.
   */
  async take(pglite: PGlite, dataDir: string): Promise<Snapshot> {
    const at = new Date();
    await pglite.exec('checkpoint');
    mkdirSync(this.dir, { recursive: true });
    const file = join(this.dir, `pglite-${stamp(at)}.tar.gz`);
    const partial = `${file}.partial`;
    // The lock file of the folder's lock sits beside it, not in it; postmaster.pid is PGlite's own.
    await tar.create({ gzip: { level: 1 }, cwd: dataDir, file: partial, portable: true, filter: (path) => path !== './postmaster.pid' }, [
      '.',
    ]);
    const fd = await open(partial, 'r+');
    try {
      await fd.sync();
    } finally {
      await fd.close();
    }
    await rename(partial, file);
    this.prune();
    return { file, at };
  }

  /** Unpacks a snapshot into `dir` (a new, empty folder): a database folder PGlite opens. */
  async extract(snapshot: Snapshot, dir: string): Promise<void> {
    mkdirSync(dir, { recursive: true });
    await tar.extract({ file: snapshot.file, cwd: dir });
  }

  private prune(): void {
    const all = this.list();
    for (const old of all.slice(0, Math.max(0, all.length - this.keep))) unlinkSync(old.file);
    for (const name of readdirSync(this.dir)) if (name.endsWith('.partial')) unlinkSync(join(this.dir, name));
  }
}
