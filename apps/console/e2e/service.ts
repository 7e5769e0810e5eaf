import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

/**
 * The service as a user runs it: `dist/apps/api/src/main.js` on a fresh embedded DATA_DIR. The first start
 * prints the sign-in link; the service is then stopped, the app `demo` seeded (E2E_CUSTOMERS customers) and
 * started again. Tests get the base URL, the link and a way to mint tokens through `inject`.
 */
const root = resolve(__dirname, '../../..');
const main = join(root, 'dist/apps/api/src/main.js');
let child: ChildProcess | undefined;
let dataDir: string;

function start(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; out: () => string }> {
  return new Promise((ok, fail) => {
    const c = spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout!.on('data', (d) => (out += d));
    c.stderr!.on('data', (d) => (out += d));
    c.once('exit', (code) => fail(new Error(`The service exited (${code}):\n${out}`)));
    const wait = async () => {
      for (let i = 0; i < 600; i++) {
        try {
          if ((await fetch(`${env.PUBLIC_BASE_URL}/health`)).ok) return ok({ child: c, out: () => out });
        } catch {
          /* not up yet */
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      fail(new Error(`The service did not start:\n${out}`));
    };
    void wait();
  });
}

function stop(c: ChildProcess): Promise<void> {
  return new Promise((r) => {
    c.removeAllListeners('exit');
    c.once('exit', () => r());
    c.kill('SIGTERM');
  });
}

export default async function setup(project: TestProject) {
  dataDir = process.env.E2E_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'cdp-console-e2e-'));
  const port = 4100 + Math.floor(Math.random() * 800);
  const base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(port),
    PUBLIC_BASE_URL: base,
    LOG_LEVEL: 'warn',
    // The webhook tests' receiver listens on 127.0.0.1, a loopback address the service refuses by default.
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  delete env.JWT_SECRET;

  let link = '';
  if (!process.env.E2E_DATA_DIR) {
    const first = await start(env);
    link = /Open the console:\s+(\S+)/.exec(first.out())?.[1] ?? '';
    await stop(first.child);
    if (!link) throw new Error(`The first start printed no sign-in link:\n${first.out()}`);
    const customers = process.env.E2E_CUSTOMERS ?? '300';
    const t0 = Date.now();
    const seeded = spawnSync(process.execPath, [join(root, 'dist/apps/api/src/cli/seed.js'), '--app', 'demo', '--customers', customers], {
      env,
      encoding: 'utf8',
    });
    if (seeded.status !== 0) throw new Error(`Seeding failed:\n${seeded.stdout}${seeded.stderr}`);
    process.stdout.write(`[e2e] seeded ${customers} customers in ${Date.now() - t0} ms\n`);
  }
  const svc = await start(env);
  child = svc.child;
  project.provide('base', base);
  project.provide('link', link);
  project.provide('dataDir', dataDir);
  return async () => {
    if (child) await stop(child);
    if (!process.env.E2E_DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    base: string;
    link: string;
    dataDir: string;
  }
}
