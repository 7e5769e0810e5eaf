import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertDataDirFree, DataDirLockedError, lockDataDir } from './data-dir-lock';

describe('the embedded data folder lock (issue 11)', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'cdp-lock-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('issue 11: one holder at a time; the refusal is one line naming the holder and what to do; released, it can be taken again', async () => {
    const dir = join(root, 'pglite');
    const release = await lockDataDir(dir, { command: 'npm start' });
    expect(JSON.parse(readFileSync(`${dir}.lock/owner.json`, 'utf8'))).toMatchObject({ pid: process.pid, command: 'npm start' });
    const refused = await lockDataDir(dir, { command: 'npm run seed' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DataDirLockedError);
    const msg = (refused as Error).message;
    expect(msg.split('\n')).toHaveLength(1);
    expect(msg).toContain(`is in use by process ${process.pid} (npm start, since `);
    expect(msg).toMatch(/stop that process first/);
    expect(() => assertDataDirFree(dir)).toThrow(DataDirLockedError);
    await release();
    expect(() => assertDataDirFree(dir)).not.toThrow();
    const again = await lockDataDir(dir, { command: 'npm run migrate' });
    await again();
  });

  it('issue 11: a lock left by a process that was killed is taken over at once', async () => {
    const dir = join(root, 'pglite');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const pid = Number(dead.stdout.toString());
    mkdirSync(`${dir}.lock`, { recursive: true });
    writeFileSync(
      `${dir}.lock/owner.json`,
      JSON.stringify({ pid, host: hostname(), command: 'npm start', since: new Date().toISOString() }),
    );
    expect(() => assertDataDirFree(dir)).not.toThrow();
    const release = await lockDataDir(dir, { command: 'npm start' });
    expect(JSON.parse(readFileSync(`${dir}.lock/owner.json`, 'utf8')).pid).toBe(process.pid);
    await release();
  });
});
