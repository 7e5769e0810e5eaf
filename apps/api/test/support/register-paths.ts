// Jest's moduleNameMapper does not reach globalSetup/globalTeardown; resolve `@cdp/<lib>` for them here.
import { register } from 'tsconfig-paths';
import { join } from 'node:path';

register({
  baseUrl: join(__dirname, '..', '..', '..', '..'),
  paths: { '@cdp/*': ['libs/*/src'] },
});
