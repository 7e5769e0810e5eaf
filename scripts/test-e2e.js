#!/usr/bin/env node
// `npm run test:e2e`: the console in a real browser (Debian's Chromium driven by playwright-core) against the
// built service on a fresh embedded database. Without Chromium it stops, saying how to install it.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!fs.existsSync(chromium)) {
  process.stderr.write(
    `Chromium is not installed (${chromium}): install it with "apt-get install -y chromium" (as root), or set CHROMIUM_PATH.\n`,
  );
  process.exit(1);
}
const root = path.resolve(__dirname, '..');
const built = spawnSync(process.execPath, [path.join(__dirname, 'build-if-needed.js')], { stdio: 'inherit', cwd: root });
if (built.status !== 0) process.exit(built.status ?? 1);
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
const r = spawnSync(process.execPath, [vitest, 'run', '--config', 'apps/console/e2e/vitest.config.mts', ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: root,
  env: { ...process.env, CHROMIUM_PATH: chromium },
});
process.exit(r.status ?? 1);
