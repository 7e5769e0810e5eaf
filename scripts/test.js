#!/usr/bin/env node
// `npm test`: the whole suite. Embedded PGlite by default; with DATABASE_URL (and REDIS_URL) set, the same
// suite against those servers, in a fresh database created and dropped by the run (apps/api/test/support).
// Then the console's component tests (Vitest in a DOM emulation; they use no database, so the pass against
// DATABASE_URL leaves them out). Paths given narrow the run: paths under apps/console go to Vitest, the
// others to Jest; options go to Jest.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.join(__dirname, '..');
const args = process.argv.slice(2);
const paths = args.filter((a) => !a.startsWith('-'));
const consolePaths = paths.filter((p) => p.replace(/\\/g, '/').includes('apps/console'));
const jestPaths = paths.filter((p) => !consolePaths.includes(p));
const options = args.filter((a) => a.startsWith('-'));
const runJest = paths.length === 0 || jestPaths.length > 0;
const runVitest = (paths.length === 0 && !process.env.DATABASE_URL) || consolePaths.length > 0;

let status = 0;
if (runJest) {
  const env = { ...process.env };
  // PGlite loads its WASM through dynamic import, which Jest's VM needs this flag for (STACK.md pitfall 1).
  env.NODE_OPTIONS = [env.NODE_OPTIONS, '--experimental-vm-modules', '--no-warnings=ExperimentalWarning'].filter(Boolean).join(' ');
  const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
  const r = spawnSync(process.execPath, [jest, ...options, ...jestPaths], { stdio: 'inherit', env });
  status = r.status ?? 1;
}
if (runVitest && status === 0) {
  const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
  const filters = consolePaths.map((p) => path.relative(path.join(root, 'apps', 'console'), path.resolve(p)));
  const r = spawnSync(process.execPath, [vitest, 'run', '--config', 'apps/console/vite.config.mts', ...filters], {
    stdio: 'inherit',
    cwd: root,
  });
  status = r.status ?? 1;
}
process.exit(status);
