import { isRole } from '@cdp/access';
import { APP_ID_PATTERN } from '../auth/auth.guard';
import { ConfigError, loadEnv } from '../config/env';
import { resolveJwtSecret } from '../config/secret';
import { parseArgs } from './args';
import { mintToken } from './mint';

/** `npm run token -- --app demo --role admin [--ttl 1h] [--sub user-1] [--email a@b.c]` prints a bearer token. */
function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const app = typeof args.app === 'string' ? args.app : 'demo';
  const role = typeof args.role === 'string' ? args.role : 'admin';
  if (!APP_ID_PATTERN.test(app)) throw new ConfigError(`--app must match ${APP_ID_PATTERN}`);
  if (!isRole(role)) throw new ConfigError('--role must be one of admin, supervisor, agent, operator');
  // A token needs only the JWT secret: the suppression secret may be absent here.
  const env = loadEnv({ ...process.env, SUPPRESSION_SECRET: process.env.SUPPRESSION_SECRET || 'token-only'.padEnd(32, '-') });
  const { secret } = resolveJwtSecret(env);
  const token = mintToken(secret, {
    app,
    role,
    ttl: typeof args.ttl === 'string' ? args.ttl : '1h',
    sub: typeof args.sub === 'string' ? args.sub : undefined,
    email: typeof args.email === 'string' ? args.email : undefined,
  });
  process.stdout.write(token + '\n');
}

try {
  main();
} catch (e) {
  process.stderr.write((e instanceof Error ? e.message : String(e)) + '\n');
  process.exit(1);
}
