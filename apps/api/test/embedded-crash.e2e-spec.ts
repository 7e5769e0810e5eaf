import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintToken } from '../src/cli/mint';
import { eventually } from './support/eventually';
import { onRealServices } from './support/test-app';

/**
 * Issue 11: the embedded database and its jobs under `kill -9`, on the built server (`dist/`, built first when
 * older than the sources) run as a real child process on a DATA_DIR of its own. These specs do not depend on
 * the backend of the run (the child always uses the embedded database), so they run in the PGlite pass only.
 */
const root = join(__dirname, '..', '..', '..');
const dist = (file: string) => join(root, 'dist', 'apps', 'api', 'src', file);
const SECRET = 'embedded-crash-test-'.padEnd(48, 'x');
const APP = 'crash-app';
const token = mintToken(SECRET, { app: APP, role: 'admin', sub: 'crash-test', ttl: '2h' });
const auth = { Authorization: `Bearer ${token}` };

/** One run of the server on `dataDir`: its output, its health, and its end. */
class Server {
  readonly child: ChildProcess;
  readonly base: string;
  out = '';
  readonly exited: Promise<number | string>;

  constructor(
    readonly dataDir: string,
    env: Record<string, string>,
    port: number,
  ) {
    this.base = `http://127.0.0.1:${port}`;
    const childEnv: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      DATA_DIR: dataDir,
      PORT: String(port),
      JWT_SECRET: SECRET,
      LOG_LEVEL: 'info',
      PUBLIC_BASE_URL: this.base,
      ...env,
    };
    this.child = spawn(process.execPath, [dist('main.js')], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (d: Buffer) => (this.out += d.toString()));
    this.child.stderr!.on('data', (d: Buffer) => (this.out += d.toString()));
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve(code ?? signal ?? '?')));
  }

  /** Waits until /health answers (a loaded machine may need a minute); fails at once if the process ended. */
  async ready(timeoutMs = 240_000): Promise<void> {
    let ended: number | string | undefined;
    void this.exited.then((c) => (ended = c));
    await eventually(
      async () => {
        if (ended !== undefined) return;
        const r = await fetch(`${this.base}/health`);
        if (!r.ok) throw new Error(`health ${r.status}`);
      },
      timeoutMs,
      200,
    );
    if (ended !== undefined) throw new Error(`the server ended (${ended}) before it answered:\n${this.out.slice(-3000)}`);
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<number | string> {
    this.child.kill(signal);
    return this.exited;
  }

  fetch(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.base}${path}`, { ...init, headers: { ...auth, ...(init.headers ?? {}) } });
  }

  async json<T = Record<string, unknown>>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
    const r = await this.fetch(path, init);
    return { status: r.status, body: (await r.json()) as T };
  }

  post(path: string, body: unknown) {
    return this.json(path, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
  }

  /** The time the start-up restored a snapshot to, when it had to. */
  restoredTo(): Date | undefined {
    const m = /Restored the embedded database from the snapshot of (\S+)/.exec(this.out);
    return m ? new Date(m[1]) : undefined;
  }

  /** Every customer identifier of the app (pages of 100). */
  async identifiers(): Promise<Set<string>> {
    const all = new Set<string>();
    let cursor: string | undefined;
    do {
      const r = await this.json<{ data: { identifier: string }[]; nextCursor: string | null }>(
        `/v1/customers?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      if (r.status !== 200) throw new Error(`list: ${r.status} ${JSON.stringify(r.body)}`);
      for (const c of r.body.data) all.add(c.identifier);
      cursor = r.body.nextCursor ?? undefined;
    } while (cursor);
    return all;
  }
}

/**
 * A port nobody listens on (other services of the machine do), below Linux's ephemeral range (32768 and up),
 * where outgoing connections take theirs while the server starts.
 */
async function freePort(): Promise<number> {
  for (;;) {
    const port = 12000 + randomInt(20000);
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '0.0.0.0', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

const lineId = () => `U${randomBytes(16).toString('hex')}`;

async function newChannel(s: Server): Promise<string> {
  const r = await s.post('/v1/channels', { type: 'line', name: `line ${randomBytes(3).toString('hex')}` });
  if (r.status !== 201) throw new Error(`channel: ${r.status} ${JSON.stringify(r.body)}`);
  return (r.body as { id: string }).id;
}

const tempDir = () => mkdtempSync(join(tmpdir(), 'cdp-crash-'));

const describeEmbedded = onRealServices ? describe.skip : describe;

describeEmbedded('the embedded database under kill -9 (issue 11)', () => {
  const dirs: string[] = [];
  const servers: Server[] = [];
  const start = async (dataDir: string, env: Record<string, string> = {}) => {
    const s = new Server(dataDir, env, await freePort());
    servers.push(s);
    return s;
  };

  beforeAll(() => {
    execFileSync(process.execPath, [join(root, 'scripts', 'build-if-needed.js')], { cwd: root, stdio: 'inherit', timeout: 900_000 });
  }, 900_000);

  afterEach(async () => {
    for (const s of servers.splice(0)) if (s.child.exitCode === null && s.child.signalCode === null) await s.kill();
  });

  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const dataDir = () => {
    const d = tempDir();
    dirs.push(d);
    return d;
  };

  it('issue 11 lock: a second server, seed, migrate or restore on a held DATA_DIR stops at once with one line naming the holder', async () => {
    const dir = dataDir();
    const a = await start(dir);
    await a.ready();
    const channel = await newChannel(a);
    for (const [file, args] of [
      ['main.js', []],
      ['cli/seed.js', ['--app', APP, '--customers', '5']],
      ['cli/migrate.js', []],
      ['cli/restore.js', []],
    ] as const) {
      const began = Date.now();
      const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
        execFile(
          process.execPath,
          [dist(file), ...args],
          { env: { PATH: process.env.PATH ?? '', DATA_DIR: dir, PORT: '1', JWT_SECRET: SECRET }, timeout: 60_000 },
          (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        ),
      );
      expect({ file, code: r.code }).toEqual({ file, code: 1 });
      const lines = r.stderr.trim().split('\n');
      expect({ file, lines }).toEqual({ file, lines: [expect.stringContaining(`is in use by process ${a.child.pid} (npm start, since `)] });
      expect(lines[0]).toMatch(/stop that process first/);
      expect(r.stdout).toBe('');
      expect(Date.now() - began).toBeLessThan(30_000);
    }
    // The holder never noticed: its data is all there and it goes on.
    const c = await a.post('/v1/customers', { channelId: channel, identifier: lineId(), name: 'After the refusals' });
    expect(c.status).toBe(201);
    expect((await a.identifiers()).size).toBe(1);
    expect(await a.kill('SIGTERM')).toBe(0);
  }, 600_000);

  it('issue 11 kill loop: SIGKILL during writes 30 times; every start succeeds with every acknowledged row up to the last snapshot', async () => {
    const dir = dataDir();
    const env = { SNAPSHOT_INTERVAL: '0.05', SNAPSHOT_KEEP: '2' };
    let s = await start(dir, env);
    await s.ready();
    const channel = await newChannel(s);
    const acked: { identifier: string; at: number }[] = [];
    let everything = 0;
    let restores = 0;
    const KILLS = 30;
    for (let round = 0; round <= KILLS; round++) {
      if (round > 0) {
        s = await start(dir, env);
        await s.ready();
        const restoredTo = s.restoredTo();
        const present = await s.identifiers();
        const owed = restoredTo ? acked.filter((a) => a.at < restoredTo.getTime()) : acked;
        const missing = owed.filter((a) => !present.has(a.identifier)).map((a) => a.identifier);
        expect({ round, restoredTo, missing }).toEqual({ round, restoredTo, missing: [] });
        if (restoredTo) restores++;
        if (acked.every((a) => present.has(a.identifier))) everything++;
        // What the database has is what counts from here on.
        for (let i = acked.length - 1; i >= 0; i--) if (!present.has(acked[i].identifier)) acked.splice(i, 1);
      }
      if (round === KILLS) break;
      // Two writers, each acknowledged row remembered with the time its answer came.
      let writing = true;
      const writer = async () => {
        while (writing) {
          const identifier = lineId();
          try {
            const r = await s.post('/v1/customers', { channelId: channel, identifier, name: `Round ${round}` });
            if (r.status === 201) acked.push({ identifier, at: Date.now() });
          } catch {
            return; // killed mid-request
          }
        }
      };
      const writers = [writer(), writer()];
      await new Promise((r) => setTimeout(r, 300 + randomInt(1500)));
      await s.kill('SIGKILL');
      writing = false;
      await Promise.all(writers);
    }
    // A graceful stop leaves a snapshot behind and exits 0.
    expect(await s.kill('SIGTERM')).toBe(0);
    expect(readdirSync(join(dir, 'snapshots')).filter((f) => f.endsWith('.tar.gz')).length).toBeGreaterThanOrEqual(1);
    expect(readdirSync(join(dir, 'snapshots')).filter((f) => f.endsWith('.tar.gz')).length).toBeLessThanOrEqual(2);
    expect(acked.length).toBeGreaterThan(30);
    process.stdout.write(
      `kill loop: ${KILLS} kills, ${acked.length} rows kept, every acknowledged row back after ${everything} of ${KILLS} restarts, ${restores} snapshot restore(s)\n`,
    );
  }, 2_400_000);

  it('issue 11 recovery: a folder that does not open is moved aside and the newest snapshot restored at start; npm run db:restore does it by hand', async () => {
    const dir = dataDir();
    let s = await start(dir);
    await s.ready();
    const channel = await newChannel(s);
    const kept = lineId();
    expect((await s.post('/v1/customers', { channelId: channel, identifier: kept, name: 'Kept' })).status).toBe(201);
    expect(await s.kill('SIGTERM')).toBe(0); // the shutdown snapshot has it
    // What PGlite's storage looks like after the failure in the issue: no valid checkpoint record.
    writeFileSync(join(dir, 'pglite', 'global', 'pg_control'), Buffer.alloc(8192, 7));
    s = await start(dir);
    await s.ready();
    expect(s.out).toMatch(/"msg":"The embedded database in \S+ does not open \([^)]*\): restoring the newest snapshot"/);
    const restoredTo = s.restoredTo();
    expect(restoredTo).toBeInstanceOf(Date);
    expect(s.out).toMatch(/changes made after that time are lost\. The folder that did not open is kept in \S+pglite\.broken-/);
    expect(await s.identifiers()).toEqual(new Set([kept]));
    const broken = readdirSync(dir).filter((f) => f.startsWith('pglite.broken-'));
    expect(broken).toHaveLength(1);
    expect(existsSync(join(dir, broken[0], 'PG_VERSION'))).toBe(true); // never deleted
    const later = lineId();
    expect((await s.post('/v1/customers', { channelId: channel, identifier: later, name: 'Later' })).status).toBe(201);
    expect(await s.kill('SIGTERM')).toBe(0);

    // By hand: the list, then the newest snapshot (the shutdown one, with both customers).
    const env = { PATH: process.env.PATH ?? '', DATA_DIR: dir };
    const list = execFileSync(process.execPath, [dist('cli/restore.js'), '--list'], { env }).toString();
    expect(list.trim().split('\n').length).toBeGreaterThanOrEqual(1);
    const out = execFileSync(process.execPath, [dist('cli/restore.js')], { env, timeout: 300_000 }).toString();
    expect(out).toMatch(
      /^Restored the embedded database in \S+ to the snapshot of \S+Z; the previous folder is kept in \S+pglite\.broken-/,
    );
    expect(readdirSync(dir).filter((f) => f.startsWith('pglite.broken-'))).toHaveLength(2);
    s = await start(dir);
    await s.ready();
    expect(await s.identifiers()).toEqual(new Set([kept, later]));
  }, 900_000);

  it('issue 11 jobs: an import and an export killed mid-way are resumed at the next start; every row exactly once, and the link in the mail works', async () => {
    const dir = dataDir();
    let s = await start(dir);
    await s.ready();
    const channel = await newChannel(s);
    const ROWS = 1000; // the most one file may hold (two batches of 500)
    const ids = Array.from({ length: ROWS }, () => lineId());
    const csv = 'name,identifier,channel_id,source\n' + ids.map((id, i) => `Row ${i},${id},${channel},line`).join('\n') + '\n';
    const form = new FormData();
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'customers.csv');
    const up = await s.json<{ id: string }>('/v1/customers/imports', { method: 'POST', body: form });
    if (up.status !== 202) throw new Error(`import: ${up.status} ${JSON.stringify(up.body)}`);
    const importPath = `/v1/customers/imports/${up.body.id}`;
    type ImportRecord = { status: string; createdCount: number; skippedCount: number; failedCount: number; totalRows: number };
    // Killed as soon as it is seen running, twice.
    for (let kill = 0; kill < 2; kill++) {
      const seen = await eventually(
        async () => {
          const r = await s.json<ImportRecord>(importPath);
          if (r.body.status === 'queued') throw new Error('not started yet');
          return r.body;
        },
        120_000,
        10,
      );
      if (seen.status !== 'processing') break; // finished before it could be killed: nothing left to show
      await s.kill('SIGKILL');
      s = await start(dir);
      await s.ready();
    }
    const done = await eventually(
      async () => {
        const r = await s.json<ImportRecord>(importPath);
        if (r.body.status !== 'completed') throw new Error(`import ${r.body.status}`);
        return r.body;
      },
      300_000,
      200,
    );
    expect(done).toMatchObject({ status: 'completed', totalRows: ROWS, createdCount: ROWS, skippedCount: 0, failedCount: 0 });
    expect((await s.post('/v1/customers/count', {})).body).toEqual({ count: ROWS, capped: false });
    expect(await s.identifiers()).toEqual(new Set(ids));

    // An export killed right after it was accepted.
    const ex = await s.post('/v1/customers/exports', { email: 'ops@example.com' });
    expect(ex.status).toBe(202);
    const exportId = (ex.body as { id: string }).id;
    await s.kill('SIGKILL');
    s = await start(dir);
    await s.ready();
    const exported = await eventually(
      async () => {
        const r = await s.json<{ status: string; rowCount: number }>(`/v1/customers/exports/${exportId}`);
        if (r.body.status !== 'completed') throw new Error(`export ${r.body.status}`);
        return r.body;
      },
      300_000,
      200,
    );
    expect(exported.rowCount).toBe(1000);
    const mails = await eventually(() => {
      const found = existsSync(join(dir, 'mail'))
        ? readdirSync(join(dir, 'mail')).map((f) =>
            readFileSync(join(dir, 'mail', f), 'utf8')
              .replace(/=\r?\n/g, '')
              .replace(/=3D/g, '='),
          )
        : [];
      const links = found.map((m) => /\/v1\/exports\/[0-9a-f-]+\/download\?token=[A-Za-z0-9_-]+/.exec(m)?.[0]).filter(Boolean);
      if (!links.length) throw new Error('no mail yet');
      return links as string[];
    }, 120_000);
    for (const link of mails) {
      const r = await fetch(`${s.base}${link}`);
      expect({ link, status: r.status }).toEqual({ link, status: 200 });
      const lines = (await r.text()).trim().split(/\r\n/);
      expect(lines).toHaveLength(1001);
    }
    expect(await s.kill('SIGTERM')).toBe(0);
  }, 1_200_000);
});
