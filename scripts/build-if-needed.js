#!/usr/bin/env node
// Builds dist/ (the service and the console) when it is missing or older than any source file, so `npm start` works on a fresh clone.
const { execSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const marker = path.join(root, 'dist', 'apps', 'api', 'src', 'main.js');

function newest(dir) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (/\.(ts|tsx|mts)$/.test(e.name)) t = Math.max(t, fs.statSync(p).mtimeMs);
  }
  return t;
}

const consoleIndex = path.join(root, 'dist', 'console', 'index.html');
const built =
  fs.existsSync(marker) && fs.existsSync(consoleIndex) ? Math.min(fs.statSync(marker).mtimeMs, fs.statSync(consoleIndex).mtimeMs) : 0;
const sources = Math.max(
  ...['apps', 'libs', 'bench'].filter((d) => fs.existsSync(path.join(root, d))).map((d) => newest(path.join(root, d))),
);
if (built < sources) {
  process.stderr.write('Building (dist/ is missing or older than the sources)...\n');
  execSync('npm run -s build', { cwd: root, stdio: 'inherit' });
}
