#!/usr/bin/env node
// `npm test`: the whole suite. Embedded PGlite by default; with DATABASE_URL (and REDIS_URL) set, the same
// suite against those servers, in a fresh database created and dropped by the run (apps/api/test/support).
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const env = { ...process.env };
// PGlite loads its WASM through dynamic import, which Jest's VM needs this flag for (STACK.md pitfall 1).
env.NODE_OPTIONS = [env.NODE_OPTIONS, '--experimental-vm-modules', '--no-warnings=ExperimentalWarning'].filter(Boolean).join(' ');
const jest = path.join(__dirname, '..', 'node_modules', 'jest', 'bin', 'jest.js');
const r = spawnSync(process.execPath, [jest, ...process.argv.slice(2)], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
