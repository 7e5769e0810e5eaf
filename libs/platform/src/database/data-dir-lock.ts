import { existsSync, mkdirSync, readFileSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import * as lockfile from 'proper-lockfile';

/** A second process asked for a data folder another live process holds: the message is the one line to print. */
export class DataDirLockedError extends Error {}

interface Owner {
  pid: number;
  host: string;
  command: string;
  since: string;
}

/**
 * The holder refreshes its lock every 10 s, but the embedded database runs on the event loop and may hold it
 * for minutes (a first start's migrations on a busy machine): the lock must not go stale meanwhile. A holder
 * that died is recognised by its pid instead; only a lock of another machine (a shared folder) that nobody
 * refreshed for a week is taken over by proper-lockfile itself.
 */
const UPDATE_MS = 10_000;
const STALE_MS = 7 * 24 * 3600_000;

const lockPath = (dir: string) => `${resolve(dir)}.lock`;
// Inside the lock's folder: a new lock never shows a killed holder's details (the folder is new).
const ownerPath = (dir: string) => `${lockPath(dir)}/owner.json`;

/** Folders this process holds (its own pid in a lock is otherwise a dead holder's, reused). */
const held = new Set<string>();

function readOwner(dir: string): Owner | undefined {
  try {
    return JSON.parse(readFileSync(ownerPath(dir), 'utf8')) as Owner;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Holds `dir` (the embedded database's folder) for this process alone: an exclusive lock (`<dir>.lock`,
 * created atomically by proper-lockfile) and, inside it, who holds it (pid, command,
 * since when). A lock left by a process of this machine that is gone (killed) is taken over at once; a lock
 * of a live process stops the caller with a `DataDirLockedError` naming that process. Answers the release.
 */
export async function lockDataDir(
  dir: string,
  opts: { command: string; onCompromised?: (err: Error) => void },
): Promise<() => Promise<void>> {
  const target = resolve(dir);
  mkdirSync(dirname(target), { recursive: true });
  const options = {
    lockfilePath: lockPath(target),
    realpath: false,
    stale: STALE_MS,
    update: UPDATE_MS,
    retries: 0,
    onCompromised:
      opts.onCompromised ??
      ((err: Error) => {
        throw err;
      }),
  };
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(target, options);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
    const owner = readOwner(target);
    const gone = !held.has(target) && owner && owner.host === hostname() && (owner.pid === process.pid || !isAlive(owner.pid));
    if (!gone) throw new DataDirLockedError(lockedMessage(target, owner));
    // Its holder was killed without releasing it: nobody uses the folder.
    rmSync(lockPath(target), { recursive: true, force: true });
    try {
      release = await lockfile.lock(target, options);
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code === 'ELOCKED') throw new DataDirLockedError(lockedMessage(target, readOwner(target)));
      throw again;
    }
  }
  const owner: Owner = { pid: process.pid, host: hostname(), command: opts.command, since: new Date().toISOString() };
  // proper-lockfile checks that the folder's mtime is still the one it set: writing a file into the folder
  // changes it, so it is put back.
  const { atime, mtime } = statSync(lockPath(target));
  writeFileSync(ownerPath(target), JSON.stringify(owner) + '\n');
  utimesSync(lockPath(target), atime, mtime);
  held.add(target);
  return async () => {
    held.delete(target);
    try {
      const times = statSync(lockPath(target));
      unlinkSync(ownerPath(target));
      utimesSync(lockPath(target), times.atime, times.mtime);
    } catch {
      /* already gone */
    }
    await release();
  };
}

function lockedMessage(dir: string, owner: Owner | undefined): string {
  const who = owner
    ? `process ${owner.pid} (${owner.command}${owner.host === hostname() ? '' : ` on ${owner.host}`}, since ${owner.since})`
    : 'another process';
  return (
    `The embedded database in ${dir} is in use by ${who}: stop that process first (or, for a server that should run ` +
    `beside it, point DATA_DIR elsewhere or use PostgreSQL with DATABASE_URL).`
  );
}

/**
 * Throws the `DataDirLockedError` a process would get, when another live process holds `dir` now, without
 * taking the lock: an entry point calls it first, to stop with one line before it builds anything. (The lock
 * itself is taken when the database is opened.)
 */
export function assertDataDirFree(dir: string): void {
  if (!existsSync(lockPath(dir))) return;
  const owner = readOwner(dir);
  if (!held.has(resolve(dir)) && owner && owner.host === hostname() && (owner.pid === process.pid || !isAlive(owner.pid))) return;
  throw new DataDirLockedError(lockedMessage(resolve(dir), owner));
}
