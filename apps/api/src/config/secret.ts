import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from './env';

/**
 * The JWT secret: `JWT_SECRET`, or (embedded mode only) one generated into `DATA_DIR/jwt-secret` on the first
 * start and reused after. `generated` tells the caller to print a ready admin token.
 */
export function resolveJwtSecret(env: Env): { secret: string; generated: boolean } {
  if (env.JWT_SECRET) return { secret: env.JWT_SECRET, generated: false };
  const file = join(env.DATA_DIR, 'jwt-secret');
  if (existsSync(file)) return { secret: readFileSync(file, 'utf8').trim(), generated: false };
  mkdirSync(env.DATA_DIR, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return { secret, generated: true };
}
