#!/usr/bin/env node
// Builds dist/ when it is missing or older than its sources, so `npm start` works on a fresh clone: the
// service (dist/apps/api) against apps/, libs/ and bench/ .ts files, the console (dist/console) against
// apps/console.
const { execSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const consoleDir = path.join(root, 'apps', 'console');

function newest(dir, match, skip = []) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist') continue;
    const p = path.join(dir, e.name);
    if (skip.includes(p)) continue;
    if (e.isDirectory()) t = Math.max(t, newest(p, match, skip));
    else if (match.test(e.name)) t = Math.max(t, fs.statSync(p).mtimeMs);
  }
  return t;
}
const mtime = (p) => (fs.existsSync(p) ? fs.statSync(p).mtimeMs : 0);

const serviceSources = Math.max(
  ...['apps', 'libs', 'bench']
    .filter((d) => fs.existsSync(path.join(root, d)))
    .map((d) => newest(path.join(root, d), /\.ts$/, [consoleDir])),
);
const consoleSources = fs.existsSync(consoleDir) ? newest(consoleDir, /\.(ts|tsx|mts|css|html)$/) : 0;

if (mtime(path.join(root, 'dist', 'apps', 'api', 'src', 'main.js')) < serviceSources) {
  process.stderr.write('Building (dist/ is missing or older than the sources)...\n');
  execSync('npm run -s build', { cwd: root, stdio: 'inherit' });
} else if (consoleSources && mtime(path.join(root, 'dist', 'console', 'index.html')) < consoleSources) {
  process.stderr.write('Building the console (dist/console is missing or older than its sources)...\n');
  execSync('npm run -s build:console', { cwd: root, stdio: 'inherit' });
}
