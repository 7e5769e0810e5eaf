import type { PGlite } from '@electric-sql/pglite';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

const NAME = /^pglite-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z\.tar\.gz$/;

export interface Snapshot {
  file: string;
  /** When it was taken: the database as it was then. */
  at: Date;
}

const stamp = (at: Date) => at.toISOString().replace(/[-:]/g, '').replace('.', '');

/**
 * Restorable copies of the embedded database (`pglite-<UTC time>.tar.gz`, PGlite's `dumpDataDir` tarball,
 * gzipped off the event loop), newest last. A snapshot is written under a temporary name, flushed to disk
 * and then renamed, so a process killed while writing one never leaves a half file under a real name.
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
   * Writes a snapshot of `pglite`. Call it at a clean point (no transaction open: see `EmbeddedDatabase`):
   * a checkpoint first, then the files as they are in that instant. Keeps the newest `keep`.
   */
  async take(pglite: PGlite): Promise<Snapshot> {
    const at = new Date();
    await pglite.exec('checkpoint');
    const tar = Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer());
    const gz = await gzipAsync(tar, { level: 1 });
    mkdirSync(this.dir, { recursive: true });
    const file = join(this.dir, `pglite-${stamp(at)}.tar.gz`);
    const partial = `${file}.partial`;
    const fd = openSync(partial, 'w');
    try {
      writeSync(fd, gz);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(partial, file);
    this.prune();
    return { file, at };
  }

  /** The tarball of a snapshot, ready for PGlite's `loadDataDir`. */
  async read(snapshot: Snapshot): Promise<Blob> {
    return new Blob([await gunzipAsync(readFileSync(snapshot.file))]);
  }

  private prune(): void {
    const all = this.list();
    for (const old of all.slice(0, Math.max(0, all.length - this.keep))) unlinkSync(old.file);
    for (const name of readdirSync(this.dir)) if (name.endsWith('.partial')) unlinkSync(join(this.dir, name));
  }
}
