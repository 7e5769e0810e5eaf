#!/usr/bin/env node
// Starts `npm start` on a fresh DATA_DIR (embedded database, generated secret), checks that /health and
// /docs answer and that the printed admin token works, then stops it with SIGTERM and expects a clean exit.
const { spawn } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

const dataDir = mkdtempSync(path.join(tmpdir(), 'cdp-smoke-'));
const port = 3900 + Math.floor(Math.random() * 90);
const env = { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn' };
delete env.DATABASE_URL;
delete env.REDIS_URL;
delete env.JWT_SECRET;
const t0 = Date.now();
const child = spawn(process.execPath, [path.join(__dirname, '..', 'dist', 'apps', 'api', 'src', 'main.js')], {
  env,
  stdio: ['ignore', 'pipe', 'inherit'],
});
let out = '';
child.stdout.on('data', (d) => (out += d));

const fail = (msg) => {
  console.error(`smoke: ${msg}\n--- output ---\n${out}`);
  child.kill('SIGKILL');
  process.exit(1);
};

async function waitFor(url, ms) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.ok) return r;
    } catch {
      /* not up yet */
    }
    if (Date.now() > end) fail(`${url} did not answer within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

(async () => {
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/health`, 60000);
  const upMs = Date.now() - t0;
  const docs = await fetch(`${base}/docs/`);
  if (!docs.ok || !/swagger/i.test(await docs.text())) fail('/docs is not the Swagger UI');
  const spec = await (await fetch(`${base}/openapi.json`)).json();
  if (!spec.paths || !spec.paths['/v1/settings/customers']) fail('/openapi.json lacks the API');
  const token = (out.match(/eyJ[\w-]+\.[\w-]+\.[\w-]+/) || [])[0];
  if (!token) fail('no admin token printed on the first start');
  const me = await fetch(`${base}/v1/settings/customers`, { headers: { Authorization: `Bearer ${token}` } });
  if (me.status !== 200) fail(`the printed token was refused (${me.status})`);
  // `npm run token` mints with the same generated secret.
  const { execFileSync } = require('node:child_process');
  const minted = execFileSync(
    process.execPath,
    [path.join(__dirname, '..', 'dist', 'apps', 'api', 'src', 'cli', 'token.js'), '--app', 'demo', '--role', 'agent', '--ttl', '5m'],
    { env },
  )
    .toString()
    .trim();
  const asAgent = await fetch(`${base}/v1/settings/customers`, {
    method: 'PATCH',
    headers: { Authorization: `Bearer ${minted}`, 'Content-Type': 'application/json' },
    body: '{"timezone":"Asia/Jakarta"}',
  });
  if (asAgent.status !== 403) fail(`a minted agent token should be refused a settings change (got ${asAgent.status})`);
  const read = await fetch(`${base}/v1/settings/customers`, { headers: { Authorization: `Bearer ${minted}` } });
  if (read.status !== 200) fail(`the minted agent token was refused (${read.status})`);
  child.kill('SIGTERM');
  const code = await new Promise((r) => child.on('exit', (c, s) => r(c ?? s)));
  rmSync(dataDir, { recursive: true, force: true });
  if (code !== 0) fail(`exit after SIGTERM was ${code}`);
  console.log(`smoke: ok (up in ${upMs} ms, /health, /docs, /openapi.json, printed and minted tokens, clean SIGTERM exit)`);
})().catch((e) => fail(e.stack || String(e)));
